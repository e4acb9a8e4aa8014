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
