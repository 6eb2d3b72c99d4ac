package authzen

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// objectWithKeys is a body whose one nested object has n distinct keys.
func objectWithKeys(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"k":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":0`, i)
	}
	b.WriteString(`}}`)
	return []byte(b.String())
}

// TestIJSONDuplicateCheckIsLinear: finding duplicate member names costs
// work proportional to the names, not their square. A quadratic check let
// one 1 MiB body (110,000 keys) hold a core for ~13 s before any limit
// applied. Work is counted, not timed.
func TestIJSONDuplicateCheckIsLinear(t *testing.T) {
	work := func(n int) int {
		w := walker{b: objectWithKeys(n)}
		if err := w.value(0); err != nil {
			t.Fatal(err)
		}
		return w.work
	}
	small, large := work(2000), work(8000)
	if small < 2000 {
		t.Fatalf("work %d for 2000 names: the counter does not count", small)
	}
	if large > 5*small {
		t.Fatalf("work %d for 8000 names, %d for 2000: grows faster than linearly", large, small)
	}
	if err := checkIJSON([]byte(`{"a":{"x":1,"y":2,"x":3}}`)); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("duplicate not found: %v", err)
	}
}

// TestIJSONLoneSurrogate: I-JSON (RFC 7493 2.1) rules out an escaped
// unpaired surrogate; encoding/json would read it as U+FFFD, where another
// reader keeps it or fails, so one body could name two resources.
func TestIJSONLoneSurrogate(t *testing.T) {
	for _, body := range []string{`{"a":"\ud800"}`, `{"a":"x\udc00y"}`, `{"\ud800":1}`, `{"a":"\ud800\u0041"}`, `{"a":["\udbff"]}`} {
		if err := checkIJSON([]byte(body)); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: accepted (%v)", body, err)
		}
	}
	for _, body := range []string{`{"a":"\ud83d\ude00"}`, `{"a":"\u00e9\\ud800"}`, `{"a":"\uD83D\uDE00 ok"}`} {
		if err := checkIJSON([]byte(body)); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}
