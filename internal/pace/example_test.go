package pace_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
)

// A transport asks the pacer before each request and reports each answer;
// a bulk call passes its *Call, a single call nil.
func ExamplePacer() {
	p := pace.New(time.Millisecond) // BigCommerce: reset header in ms
	bulk := &pace.Call{}
	t, err := p.Acquire(context.Background(), bulk, 0)
	if err != nil {
		fmt.Println("not sent:", err)
		return
	}
	// ... send the request; its answer stated the window:
	p.Done(t, &api.RateLimit{Limit: 150, Remaining: 0, Window: 30 * time.Second, ResetIn: 20 * time.Second}, false)

	// The quota is spent: a single call that cannot wait 20 s returns at
	// once, sending nothing.
	_, err = p.Acquire(context.Background(), nil, 5*time.Second)
	wait, _ := pace.Wait(err)
	fmt.Println(err != nil, wait.Round(time.Second))
	// Output: true 20s
}
