package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A suite file is one YAML document: cases after a "---" would otherwise
// never run, and a failing case there would pass unseen.
func TestLoadSuiteRefusesSecondDocument(t *testing.T) {
	for name, suite := range map[string]string{
		"second suite": "name: a\ncases:\n  - { name: one, principal: p, action: A, resource: R::\"1\", expect: deny }\n" +
			"---\nname: b\ncases:\n  - { name: two, principal: p, action: A, resource: R::\"1\", expect: allow }\n",
		"trailing empty document": "name: a\ncases:\n  - { name: one, principal: p, action: A, resource: R::\"1\", expect: deny }\n---\n",
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "s.yaml")
			if err := os.WriteFile(file, []byte(suite), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := loadSuite(file)
			if err == nil || !strings.Contains(err.Error(), "one YAML document") {
				t.Fatalf("loadSuite: err %v, want a refusal naming the second document", err)
			}
		})
	}
}
