package decisionlog

import (
	"errors"
	"strings"
	"testing"
)

// TestRefusesOCSF: a log written with log.decision_format: ocsf has no
// "msg"; it must stop replay and report with an error naming the format,
// never be skipped as "not a decision" (which would replay nothing and
// report a clean result).
func TestRefusesOCSF(t *testing.T) {
	ocsf := `{"activity_id":99,"category_uid":6,"class_uid":6003,"type_uid":600399,"time":1796022253488,"metadata":{"version":"1.5.0","product":{"name":"Tollgate"}},"status_id":1}`
	for name, tc := range map[string]struct{ in, want string }{
		"ocsf event":    {good + "\n" + ocsf + "\n", `d.log:2: an OCSF event (class_uid 6003, OCSF 1.5.0)`},
		"ocsf first":    {ocsf + "\n", "log.decision_format: ocsf"},
		"no msg at all": {`{"time":"2026-11-30T05:44:20Z","outcome":"allow"}` + "\n", `d.log:1: not a slog line: no "msg"`},
	} {
		t.Run(name, func(t *testing.T) {
			n := 0
			err := Read(strings.NewReader(tc.in), "d.log", nil, func(*Line) error { n++; return nil })
			if !errors.Is(err, ErrLine) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
