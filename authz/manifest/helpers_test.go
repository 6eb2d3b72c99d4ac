package manifest

import (
	"os"
	"testing"
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
