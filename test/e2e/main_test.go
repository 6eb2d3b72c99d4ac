// Package e2e starts the real tollgate binary and checks the core request
// path: identity, mapping, decisions, reloads and shutdown.
package e2e

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
