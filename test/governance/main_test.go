// Package governance tests IAM-owned policy end to end against the real
// tollgate binary: signed bundles from a real HTTP server (ETag, tampering,
// wrong keys, last-known-good, staleness) and from a real OCI registry
// (CNCF distribution's registry, installed by test/tools/install.sh) and governed exceptions that
// expire without a reload, and replay and report over the decision log it wrote.
package governance

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
