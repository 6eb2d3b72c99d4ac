package config

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// referenceKey is the key cell of a row of docs/config.md: | `a.b[].c` | ...
var referenceKey = regexp.MustCompile("^\\| `([a-z0-9_.\\[\\]]+)` \\|")

// TestReferenceCoversEveryKey: docs/config.md has one entry for each key a
// config struct accepts (walked by reflection over yaml tags), and no
// entry for a key that does not exist.
func TestReferenceCoversEveryKey(t *testing.T) {
	data, err := os.ReadFile("../../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		if m := referenceKey.FindStringSubmatch(line); m != nil {
			if _, dup := documented[m[1]]; dup {
				t.Errorf("docs/config.md:%d: %s documented twice", i+1, m[1])
			}
			documented[m[1]] = i + 1
		}
	}
	keys := Keys()
	if len(keys) < 50 {
		t.Fatalf("Keys() found only %d keys: the walk is broken", len(keys))
	}
	for _, k := range keys {
		if _, ok := documented[k]; !ok {
			t.Errorf("docs/config.md has no entry for %s", k)
		}
	}
	for k, line := range documented {
		if !slices.Contains(keys, k) {
			t.Errorf("docs/config.md:%d: %s names no config field", line, k)
		}
	}
}

func TestKeysWalksNestedStructsAndLists(t *testing.T) {
	keys := Keys()
	for _, want := range []string{"listen.limits.max_recv_bytes", "identity.bundles[].x509_pem",
		"signals[].secret", "policy.bundle.on_stale", "shutdown_timeout", "identity.xfcc.trusted_proxies"} {
		if !slices.Contains(keys, want) {
			t.Errorf("Keys() lacks %s", want)
		}
	}
	for _, k := range []string{"file", "warnings", "File", "Warnings"} {
		if slices.Contains(keys, k) {
			t.Errorf("Keys() has %s: a yaml:\"-\" field", k)
		}
	}
}
