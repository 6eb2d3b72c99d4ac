package decisionlog

import (
	"errors"
	"strings"
	"testing"
)

const good = `{"time":"2026-11-30T05:44:20Z","level":"INFO","msg":"decision","schema_version":1,"outcome":"allow","code":"permit","principal":"spiffe://example.org/a","action":"Action::\"R\"","resource":"Order::\"1\"","policies":["p"],"context":{},"context_redacted":[],"future_key":7}`

func TestRead(t *testing.T) {
	in := good + "\n\n" + `{"time":"2026-11-30T05:44:21Z","msg":"policy loaded"}` + "\n" + good + "\n"
	var got []int
	err := Read(strings.NewReader(in), "d.log", nil, func(l *Line) error {
		got = append(got, l.Number)
		if !l.Allowed() || !l.PolicyCode() || l.Where() != "d.log:"+string(rune('0'+l.Number)) {
			t.Errorf("line %+v", l)
		}
		return nil
	})
	if err != nil || len(got) != 2 || got[0] != 1 || got[1] != 4 {
		t.Fatalf("lines %v, err %v", got, err)
	}
}

// TestReadErrors: every malformed line stops the read with file:line and
// ErrLine.
func TestReadErrors(t *testing.T) {
	for name, tc := range map[string]struct{ in, want string }{
		"not json":     {good + "\nhello\n", "d.log:2: "},
		"bad json":     {`{"msg":"decision",` + "\n", "d.log:1: "},
		"wrong type":   {`{"msg":"decision","time":"2026-11-30T05:44:20Z","policies":"p"}`, "d.log:1: "},
		"no time":      {`{"msg":"decision","schema_version":1}`, `without "time"`},
		"negative ver": {`{"msg":"decision","time":"2026-11-30T05:44:20Z","schema_version":-1}`, "negative"},
		"too long":     {good + "\n" + strings.Repeat(" ", MaxLineBytes+1) + "\n", "d.log:2: line longer than"},
	} {
		t.Run(name, func(t *testing.T) {
			err := Read(strings.NewReader(tc.in), "d.log", nil, func(*Line) error { return nil })
			if !errors.Is(err, ErrLine) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// FuzzParse: any bytes either parse or give an error; never a panic, and a
// parsed line is a decision line with a time.
func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte(`{"msg":"decision","time":"2026-11-30T05:44:20Z","eval_errors":[{"policy":"x","forbid":true,"kind":"k"}]}`))
	f.Add([]byte(`{"msg":"x"}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(ocsfHead + `,"unmapped":{"tollgate":` + good + `}}`))
	f.Add([]byte(ocsfHead + `,"unmapped":{"tollgate":` + ocsfHead + `}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Parse(b)
		if err != nil && l != nil {
			t.Fatal("line and error")
		}
		if l != nil && (l.Msg != "decision" || l.Time.IsZero() || l.SchemaVersion < 0) {
			t.Fatalf("accepted %+v", l)
		}
		err = Read(strings.NewReader(string(b)+"\n"+string(b)), "f", nil, func(*Line) error { return nil })
		if err != nil && !strings.Contains(err.Error(), "f:") {
			t.Fatalf("error without file:line: %v", err)
		}
	})
}
