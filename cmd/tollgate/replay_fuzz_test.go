package main

import (
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/internal/decisionlog"
)

// TestSchemaVersionsAgree: the reader reads the version the engine writes.
func TestSchemaVersionsAgree(t *testing.T) {
	if decisionlog.SchemaVersion != authz.DecisionLogSchemaVersion {
		t.Fatalf("reader %d, writer %d", decisionlog.SchemaVersion, authz.DecisionLogSchemaVersion)
	}
}

// FuzzReplayReport: any decision line the reader accepts goes through
// replay and report without a panic, and replay files it exactly once.
func FuzzReplayReport(f *testing.F) {
	env, err := loadOffline(exampleDir, &policyFlags{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"time":"2026-11-01T00:00:00Z","msg":"decision","schema_version":1,"outcome":"allow","code":"permit","policies":["payments-refunds"]}`))
	f.Add([]byte(`{"time":"2026-11-01T00:00:00Z","msg":"decision","schema_version":1,"outcome":"allow","code":"permit","principal":"spiffe://example.org/a","action":"Action::\"RefundOrder\"","resource":"Order::\"1\"","context":{"environment":"prod"},"context_redacted":["x"],"subject":"User::\"u\""}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := decisionlog.Parse(b)
		if err != nil || l == nil {
			return
		}
		rp := newReplayer(env.snap, nil)
		_ = rp.line(l)
		r := rp.result()
		skipped := 0
		for _, n := range r.Skipped {
			skipped += n
		}
		if r.Lines != 1 || r.Unchanged+len(r.Changed)+r.unknownCount()+skipped != 1 {
			t.Fatalf("line filed %+v", r)
		}
		rb := newReportBuilder()
		_ = rb.line(l)
		rb.result(env.snap, nil, time.Time{}, time.Now())
	})
}
