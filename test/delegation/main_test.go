// Package delegation runs the real tollgate binary against a real OpenID
// provider on loopback (the example OP of github.com/zitadel/oidc/v3,
// in-process): an agent workload with an X.509-SVID acting for a user;
// and for Transaction Tokens minted by a test token service (txn_test.go).
package delegation

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
