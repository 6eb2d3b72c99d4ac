package mcp

import (
	"errors"
	"strings"
	"testing"
)

const sseStream = "\xEF\xBB\xBF: keepalive\r\nevent: message\r\nid: 1\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n" +
	"retry: 100\nx-unknown: y\ndata: two\n\n" + "data\rid: 3\r\r"

// TestSSEReaderSplitAnywhere: the events do not depend on where the
// stream is cut into chunks.
func TestSSEReaderSplitAnywhere(t *testing.T) {
	want := readAll(t, []string{sseStream})
	if len(want) != 3 || want[0].Data != "{\"a\":\n1}" || want[0].ID != "1" || want[0].Event != "message" ||
		want[0].Comments[0] != "keepalive" || want[1].Retry != "100" || want[1].Data != "two" ||
		!want[2].HasData || want[2].Data != "" || want[2].ID != "3" {
		t.Fatalf("events %+v", want)
	}
	for i := 0; i <= len(sseStream); i++ {
		for j := i; j <= len(sseStream); j++ {
			got := readAll(t, []string{sseStream[:i], sseStream[i:j], sseStream[j:]})
			if !sameEvents(got, want) {
				t.Fatalf("split at %d,%d: %+v, want %+v", i, j, got, want)
			}
		}
	}
}

func readAll(t *testing.T, chunks []string) []SSEEvent {
	t.Helper()
	r := NewSSEReader(1 << 10)
	var out []SSEEvent
	for _, c := range chunks {
		evs, err := r.Feed([]byte(c))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, evs...)
	}
	rest, err := r.End()
	if err != nil {
		t.Fatal(err)
	}
	return append(out, rest...)
}

func sameEvents(a, b []SSEEvent) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Data != b[i].Data || a[i].ID != b[i].ID || a[i].Event != b[i].Event || a[i].Retry != b[i].Retry ||
			strings.Join(a[i].Comments, "|") != strings.Join(b[i].Comments, "|") {
			return false
		}
	}
	return true
}

func TestSSEReaderRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		stream string
		want   error
	}{
		"nul":           {"data: a\x00b\n\n", ErrSSEFraming},
		"bad utf8":      {"data: \xff\n\n", ErrSSEFraming},
		"bad retry":     {"retry: 1s\n\n", ErrSSEFraming},
		"too large":     {"data: " + strings.Repeat("a", 100) + "\n\n", ErrSSETooLarge},
		"long line":     {"data: " + strings.Repeat("a", 100), ErrSSETooLarge},
		"cut in event":  {"data: a\n", ErrSSETruncated},
		"cut in a line": {"data: a", ErrSSETruncated},
	} {
		t.Run(name, func(t *testing.T) {
			r := NewSSEReader(64)
			_, err := r.Feed([]byte(tc.stream))
			if err == nil {
				_, err = r.End()
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if _, again := r.Feed([]byte("data: x\n\n")); again == nil {
				t.Fatal("a failed reader went on")
			}
		})
	}
}

func TestSSEEventAppendReadsBack(t *testing.T) {
	ev := SSEEvent{Event: "message", ID: "9", HasID: true, Retry: "5", Comments: []string{"c"}}
	out := ev.Append(nil, "{\n\"x\":1}", true)
	got := readAll(t, []string{string(out)})
	if len(got) != 1 || got[0].Data != "{\n\"x\":1}" || got[0].ID != "9" || got[0].Event != "message" || got[0].Retry != "5" {
		t.Fatalf("%q read back as %+v", out, got)
	}
}

// TestSSEReaderErrorSplitAnywhere: a stream that fails gives the events
// completed before the failure and then the same error, wherever it is
// cut. A filter that forwards events as they complete then forwards the
// same bytes for one chunk as for many (FuzzSSEFilter found the case).
func TestSSEReaderErrorSplitAnywhere(t *testing.T) {
	for name, tc := range map[string]struct {
		stream string
		want   error
	}{
		"framing":   {": ka\n\ndata: one\n\ndata: \xff\n\ndata: never\n\n", ErrSSEFraming},
		"too large": {"data: one\n\ndata: " + strings.Repeat("a", 100) + "\n\n", ErrSSETooLarge},
		"long line": {"data: one\n\ndata: " + strings.Repeat("\x00", 100) + "\n\n", ErrSSETooLarge},
		"truncated": {"data: one\n\nid: 2\r\ndata: two\n", ErrSSETruncated},
	} {
		t.Run(name, func(t *testing.T) {
			for i := 0; i <= len(tc.stream); i++ {
				evs, err := readUntilError([]string{tc.stream[:i], tc.stream[i:]})
				if !errors.Is(err, tc.want) {
					t.Fatalf("cut at %d: err %v, want %v", i, err, tc.want)
				}
				if len(evs) == 0 || evs[len(evs)-1].Data != "one" || (name == "framing" && len(evs) != 2) ||
					(name != "framing" && len(evs) != 1) {
					t.Fatalf("cut at %d: events %+v before %v", i, evs, err)
				}
			}
		})
	}
}

func readUntilError(chunks []string) ([]SSEEvent, error) {
	r := NewSSEReader(64)
	var out []SSEEvent
	for _, c := range chunks {
		evs, err := r.Feed([]byte(c))
		out = append(out, evs...)
		if err != nil {
			return out, err
		}
	}
	rest, err := r.End()
	return append(out, rest...), err
}
