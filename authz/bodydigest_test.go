package authz

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
)

// TestDecisionBindsBody: the SHA-256 of the exact body decided is on the
// Decision and in its log line, allowed or denied; a request without a
// body has none.
func TestDecisionBindsBody(t *testing.T) {
	var log bytes.Buffer
	e := newMCPEngine(t, &log, nil)
	for _, body := range []string{call(1, "search_issues", `{"q":"bug"}`), call(1, "delete_repo", `{}`), call(1, "search_issues", `{"q":"bug"} `)} {
		log.Reset()
		d := e.Check(context.Background(), mcpReq("/mcp", body))
		sum := sha256.Sum256([]byte(body))
		want := hex.EncodeToString(sum[:])
		var line map[string]any
		if err := json.Unmarshal(log.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if d.BodySHA256 != want || line["body_sha256"] != want {
			t.Errorf("%s: decision %q, log %v, want %s", body, d.BodySHA256, line["body_sha256"], want)
		}
	}
	log.Reset()
	if d := e.Check(context.Background(), req(agent, "GET", "/orders/1")); d.BodySHA256 != "" || bytes.Contains(log.Bytes(), []byte("body_sha256")) {
		t.Errorf("a request without a body got a digest: %q %s", d.BodySHA256, log.String())
	}
}
