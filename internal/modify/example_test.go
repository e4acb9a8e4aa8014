package modify_test

import (
	"fmt"

	"github.com/couponkit/couponkit/internal/modify"
)

func ExampleDiff() {
	before := []byte(`{"name":"Summer","amount":"10.00","applies_to":{"entity":"categories","ids":[0]}}`)
	after := []byte(`{"name":"Summer","amount":"15.00","applies_to":{"entity":"categories","ids":[3,4]}}`)
	changes, _ := modify.Diff(before, after)
	for _, c := range changes {
		fmt.Printf("%s %s -> %s\n", c.Field, c.Old, c.New)
	}
	// Output:
	// amount "10.00" -> "15.00"
	// applies_to.ids [0] -> [3,4]
}

func ExampleMerge() {
	// What the vendor sent, with a field this SDK does not model and an
	// amount in a form the SDK would not write.
	read := []byte(`{"id":7,"name":"Summer","amount":"10.0000","minimumSpend":"25.00","modifiedDate":"2025-06-23"}`)
	unchanged := []byte(`{"name":"Summer","amount":"10.0000"}`) // the typed body of the request as read
	changed := []byte(`{"name":"Autumn","amount":"10.0000"}`)   // after the change
	body, _ := modify.Merge(&modify.Write{ReadOnly: []string{"id", "modifiedDate"}}, read, unchanged, changed)
	fmt.Println(string(body))
	// Output:
	// {"name":"Autumn","amount":"10.0000","minimumSpend":"25.00"}
}
