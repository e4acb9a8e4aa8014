package utmcoupon_test

import (
	"fmt"

	"github.com/couponkit/couponkit/utmcoupon"
)

// A plain http:// base URL to a host other than localhost or a loopback
// address is refused: the credentials would cross the network in clear
// text. WithInsecureHTTP opts in, for a TLS-terminating proxy on the same
// machine.
func ExampleWithInsecureHTTP() {
	const proxy = "http://tls-proxy.internal:8080"
	_, err := utmcoupon.NewClient("mystore", "app-key", "app-token", utmcoupon.WithBaseURL(proxy))
	fmt.Println(err)

	c, err := utmcoupon.NewClient("mystore", "app-key", "app-token", utmcoupon.WithBaseURL(proxy), utmcoupon.WithInsecureHTTP())
	fmt.Println(c != nil, err)

	// Loopback hosts, such as the test servers', need no opt-in.
	c, err = utmcoupon.NewClient("mystore", "app-key", "app-token", utmcoupon.WithBaseURL("http://127.0.0.1:8080"))
	fmt.Println(c != nil, err)
	// Output:
	// utmcoupon: WithBaseURL: plain http to "tls-proxy.internal:8080" would send the credentials in clear text; use https, a loopback host (localhost, 127.0.0.1, ::1), or add WithInsecureHTTP() for a TLS-terminating proxy on this machine
	// true <nil>
	// true <nil>
}
