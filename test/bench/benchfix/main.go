// Command benchfix writes the fixtures of test/bench/ghz.sh into a
// directory: a test-CA trust bundle (bundle.pem), an allowed CheckRequest
// carrying an X.509-SVID as attributes.source.certificate (request.json),
// and a FileDescriptorSet of envoy.service.auth.v3 (auth.protoset) for
// ghz --protoset. It mints with internal/testca and is for benchmarks only.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tollgate-authz/tollgate/internal/testca"
)

func main() {
	dir := flag.String("dir", ".", "directory to write the fixtures into")
	flag.Parse()
	if err := write(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "benchfix:", err)
		os.Exit(1)
	}
}

func write(dir string) (err error) {
	tb := &fatalTB{}
	defer tb.recoverInto(&err)
	ca := testca.New(tb, "example.org")
	svid := ca.NewX509SVID("/ns/shop/sa/frontend")
	req, err := requestJSON(svid.EnvoyLeaf())
	if err != nil {
		return err
	}
	set, err := protoset()
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"bundle.pem":    ca.X509BundlePEM(),
		"request.json":  req,
		"auth.protoset": set,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
