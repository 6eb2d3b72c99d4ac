// Package prometheus runs the real tollgate binary next to a real
// Prometheus that scrapes its admin /metrics, and checks what Prometheus
// stores: the decision series with their bounded labels, and no SPIFFE ID,
// path or header value in any label.
package prometheus

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
