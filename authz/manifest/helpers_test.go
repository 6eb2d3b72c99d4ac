package manifest

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// trickManifest has specific routes next to weaker catch-alls, the shape
// every parser-differential bypass of issue 8 needs.
var trickManifest = readFixture("testdata/tricks.manifest.yaml")

func readFixture(p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func ordersManifest(t testing.TB) *Manifest {
	t.Helper()
	m, err := Load("../testdata/orders.manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// protocolManifest maps no protocol method: each is decided by policy as
// Action::"mcp:<method>" on McpServer::"<server>".
var protocolManifest = readFixture("testdata/protocol.manifest.yaml")

// pinnedManifest pins its two tools (PIN_SEARCH, PIN_CREATE are replaced).
var pinnedManifest = readFixture("testdata/pinned.manifest.yaml")

func pinFor(name string) string {
	p, err := mcp.PinOf([]byte(`{"name":"` + name + `","description":"d"}`))
	if err != nil {
		panic(err)
	}
	return p
}
