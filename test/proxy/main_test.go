// Package proxy_test runs Tollgate's HTTP authorization mode behind real
// nginx and Caddy, in front of an MCP tool server written in the test, and
// drives MCP CheckRequests over gRPC as Envoy would send them.
package proxy_test

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
