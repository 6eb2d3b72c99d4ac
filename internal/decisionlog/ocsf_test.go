package decisionlog

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const ocsfHead = `{"activity_id":99,"category_uid":6,"class_uid":6003,"type_uid":600399,"time":1796022253488,"metadata":{"version":"1.5.0","product":{"name":"Tollgate"}},"status_id":1`

// TestReadsOCSF: an OCSF event written by Tollgate (log.decision_format:
// ocsf) is read through the decision line it carries in unmapped.tollgate,
// to the same Line as the JSON log.
func TestReadsOCSF(t *testing.T) {
	want, err := Parse([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse([]byte(ocsfHead + `,"unmapped":{"tollgate":` + good + `}}`))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
}

// TestRefusesOtherLines: a line without "msg" that is not an OCSF event
// of Tollgate's stops replay and report with an error naming what it is,
// never skipped as "not a decision" (which would replay nothing and
// report a clean result).
func TestRefusesOtherLines(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"ocsf without unmapped": {good + "\n" + ocsfHead + "}\n", `d.log:2: an OCSF event (class_uid 6003, OCSF 1.5.0) without Tollgate's decision line`},
		"ocsf of another product": {strings.Replace(ocsfHead, `"Tollgate"`, `"Other"`, 1) + `,"unmapped":{"tollgate":` + good + `}}` + "\n",
			"d.log:1: an OCSF event (class_uid 6003, OCSF 1.5.0) without Tollgate's decision line"},
		"unmapped not a line":    {ocsfHead + `,"unmapped":{"tollgate":{"outcome":"allow"}}}` + "\n", "whose unmapped.tollgate is not a decision line"},
		"unmapped nested ocsf":   {ocsfHead + `,"unmapped":{"tollgate":` + ocsfHead + `}}}` + "\n", "whose unmapped.tollgate is not a decision line"},
		"unmapped a string":      {ocsfHead + `,"unmapped":{"tollgate":"x"}}` + "\n", "without Tollgate's decision line"},
		"no msg at all":          {`{"time":"2026-11-30T05:44:20Z","outcome":"allow"}` + "\n", `d.log:1: not a slog line: no "msg"`},
		"odd version is clipped": {strings.Replace(ocsfHead, `"1.5.0"`, `"\u001b[31m1.5"`, 1) + "}\n", "(class_uid 6003, OCSF 31m1.5)"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Read(strings.NewReader(tc.in), "d.log", nil, func(*Line) error { return nil })
			if !errors.Is(err, ErrLine) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
