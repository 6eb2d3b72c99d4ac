package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/authz/mcp"
)

const savedList = `{"jsonrpc":"2.0","id":2,"result":{"tools":[
 {"name":"search_issues","description":"search","inputSchema":{"type":"object","properties":{"q":{"type":"string"}}}},
 {"name":"odd: name","inputSchema":{"type":"object"},"annotations":{"readOnlyHint":true}}]}}`

// TestManifestPin: the printed block loads as a manifest's mcp.pins, and
// each pin is the one a listing of the same definition computes.
func TestManifestPin(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"response.json": savedList, "result.json": savedList[strings.Index(savedList, `{"tools"`) : len(savedList)-1]} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, "manifest", "pin", path)
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		want, _ := mcp.PinOf([]byte(`{"name":"search_issues","description":"search","inputSchema":{"type":"object","properties":{"q":{"type":"string"}}}}`))
		if !strings.Contains(out, `"search_issues": `+want) || !strings.Contains(out, `"odd: name": sha256:`) {
			t.Fatalf("%s: printed\n%s", name, out)
		}
		block := strings.ReplaceAll(out[strings.Index(out, "pins:"):], "\n  ", "\n        ")
		doc := "service: s\nroutes:\n  - name: m\n    match: { path: /mcp }\n    mcp:\n      server: github\n      mode: per_tool\n      " + block
		mpath := filepath.Join(dir, "manifest.yaml")
		_ = os.WriteFile(mpath, []byte(doc), 0o600)
		if _, err := manifest.Load(mpath); err != nil {
			t.Fatalf("the printed block does not load: %v\n%s", err, doc)
		}
	}
}

func TestManifestPinRefuses(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"not json":  `{"tools":[`,
		"no tools":  `{"jsonrpc":"2.0","id":1,"result":{}}`,
		"empty":     `{"tools":[]}`,
		"dup names": `{"tools":[{"name":"a"},{"name":"a"}]}`,
	} {
		path := filepath.Join(dir, "f.json")
		_ = os.WriteFile(path, []byte(body), 0o600)
		if code, out, _ := runCLI(t, "manifest", "pin", path); code != exitError || strings.Contains(out, "pins:") {
			t.Errorf("%s: exit %d, printed %q", name, code, out)
		}
	}
	if code, _, _ := runCLI(t, "manifest", "pin"); code != exitUsage {
		t.Errorf("no file: exit %d", code)
	}
	if code, _, _ := runCLI(t, "manifest", "pin", filepath.Join(dir, "missing.json")); code != exitError {
		t.Errorf("missing file: exit %d", code)
	}
	if code, _, _ := runCLI(t, "manifest", "unpin"); code != exitUsage {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}
