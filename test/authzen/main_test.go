// Package authzen runs the real tollgate binary with the AuthZEN door on
// and asks it over mTLS, as an enforcement point with an X.509-SVID from
// the test CA would.
package authzen

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
