package xfcc_test

import (
	"fmt"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

func Example() {
	// The client forged the first element; the trusted edge proxy appended
	// the second one after verifying the client's certificate.
	header := `By=spiffe://example.org/edge;URI=spiffe://example.org/admin,` +
		`By=spiffe://example.org/edge;Subject="O=Example, CN=web";URI=spiffe://example.org/web`

	elems, err := xfcc.Parse(header)
	if err != nil {
		fmt.Println(err)
		return
	}
	elem, i, err := xfcc.Select(elems, xfcc.Selection{
		Index:     xfcc.IndexLast,
		TrustedBy: []string{"spiffe://example.org/edge"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, err := elem.SPIFFEID()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(i, id, elem.Subject)
	// Output: 1 spiffe://example.org/web O=Example, CN=web
}

func ExampleParse_error() {
	_, err := xfcc.Parse(`URI=spiffe://example.org/web,Subject="CN=web`)
	fmt.Println(err)
	// Output: xfcc: malformed header: element 2: unterminated quote at offset 37
}
