package authz

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
)

// tailRecorder keeps every summary it is given.
type tailRecorder struct {
	mu  sync.Mutex
	got []DecisionSummary
}

func (r *tailRecorder) ObserveDecision(s DecisionSummary) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, s)
}

// TestDecisionTailGetsWhatTheLogLineHolds: with Config.Tail set, every
// Check hands the tail one summary, built where the decision line is
// written, holding the line's principal, action, resource, code and
// determining policies, and never a secret signal or JWT claim value.
func TestDecisionTailGetsWhatTheLogLineHolds(t *testing.T) {
	const secret = "s3cr3t-session-value"
	rec := &tailRecorder{}
	cfg := testConfig(t, ordersPolicies(t))
	cfg.Signals = append(cfg.Signals, Signal{Name: "session", From: FromHeader, Key: "X-Session", Type: TypeString, Secret: true})
	cfg.JWTClaims = []string{"email"}
	cfg.Identifier = fakeIdentifier{claims: map[string]any{"email": secret + "@example.org"}}
	cfg.Tail = rec
	e, err := NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	allow := req(frontend, "GET", "/orders/42")
	allow.Headers["x-session"] = secret
	allow.Headers["authorization"] = "Bearer " + secret
	deny := req(billing, "DELETE", "/orders/1")
	unauth := req("", "GET", "/orders/7")
	var ds []Decision
	for _, r := range []*Request{allow, deny, unauth} {
		ds = append(ds, e.Check(context.Background(), r))
	}
	if len(rec.got) != 3 {
		t.Fatalf("tail got %d summaries, want 3", len(rec.got))
	}
	for i, s := range rec.got {
		d := ds[i]
		if s.ID != d.ID || s.Outcome != d.Outcome.String() || s.Code != d.Code || s.Action != d.Action ||
			s.Resource != d.Resource || !slices.Equal(s.Policies, d.Policies) || s.PolicyVersion != d.PolicyVersion {
			t.Errorf("summary %d = %+v, decision %+v", i, s, d)
		}
		if strings.Contains(strings.Join([]string{s.Principal, s.Resource, s.Path, s.Reason, s.Method}, " "), secret) {
			t.Errorf("summary %d holds a secret: %+v", i, s)
		}
	}
	if a := rec.got[0]; a.Principal != frontend || a.Path != "/orders/42" || a.Method != "GET" || a.Allowed != true {
		t.Errorf("allow summary = %+v", a)
	}
	if d := rec.got[1]; d.Allowed || d.Principal != billing || d.Code == "" {
		t.Errorf("deny summary = %+v", d)
	}
	if u := rec.got[2]; u.Allowed || u.Principal != "" || u.Outcome != "unauthenticated" {
		t.Errorf("unauthenticated summary = %+v", u)
	}
}

// TestDecisionTailIsOptional: without a tail the engine decides as before.
func TestDecisionTailIsOptional(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	if d := e.Check(context.Background(), req(frontend, "GET", "/orders/42")); !d.Allowed() {
		t.Fatalf("decision = %+v", d)
	}
}
