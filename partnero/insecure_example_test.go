package partnero_test

import (
	"fmt"

	"github.com/couponkit/couponkit/partnero"
)

// A plain http:// base URL to a host other than localhost or a loopback
// address is refused: the credentials would cross the network in clear
// text. WithInsecureHTTP opts in, for a TLS-terminating proxy on the same
// machine.
func ExampleWithInsecureHTTP() {
	const proxy = "http://tls-proxy.internal:8080"
	_, err := partnero.NewClient("api-key", partnero.WithBaseURL(proxy))
	fmt.Println(err)

	c, err := partnero.NewClient("api-key", partnero.WithBaseURL(proxy), partnero.WithInsecureHTTP())
	fmt.Println(c != nil, err)

	// Loopback hosts, such as the test servers', need no opt-in.
	c, err = partnero.NewClient("api-key", partnero.WithBaseURL("http://127.0.0.1:8080"))
	fmt.Println(c != nil, err)
	// Output:
	// partnero: WithBaseURL: plain http to "tls-proxy.internal:8080" would send the credentials in clear text; use https, a loopback host (localhost, 127.0.0.1, ::1), or add WithInsecureHTTP() for a TLS-terminating proxy on this machine
	// true <nil>
	// true <nil>
}
