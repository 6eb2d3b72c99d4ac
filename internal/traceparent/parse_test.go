package traceparent

import (
	"regexp"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"spec example", good, true},
		{"not sampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true},
		{"empty", "", false},
		{"version 01", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
		{"upper-case hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", false},
		{"zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", false},
		{"zero parent id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false},
		{"short trace id", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", false},
		{"trailing data", good + "-extra", false},
		{"leading space", " " + good[1:], false},
		{"repeated header", good + "," + good, false},
		{"non-hex", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", false},
		{"bad flags", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x", false},
		{"wrong separator", "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := Parse(tt.in)
			if ok != tt.ok {
				t.Fatalf("Parse(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok && c != (Context{}) {
				t.Fatalf("Parse(%q) = %+v on failure, want zero", tt.in, c)
			}
		})
	}
	c, _ := Parse(good)
	if c.TraceID != "4bf92f3577b34da6a3ce929d0e0e4736" || c.ParentID != "00f067aa0ba902b7" || c.Flags != "01" {
		t.Fatalf("Parse(%q) = %+v", good, c)
	}
}

// strict is the W3C version 00 grammar, written independently of Parse.
var strict = regexp.MustCompile(`^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$`)

func FuzzParse(f *testing.F) {
	f.Add("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
	f.Add("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := Parse(s)
		want := strict.MatchString(s) &&
			s[3:35] != strings.Repeat("0", 32) && s[36:52] != strings.Repeat("0", 16)
		if ok != want {
			t.Fatalf("Parse(%q) ok = %v, grammar says %v", s, ok, want)
		}
		if ok && "00-"+c.TraceID+"-"+c.ParentID+"-"+c.Flags != s {
			t.Fatalf("Parse(%q) = %+v does not rebuild the input", s, c)
		}
	})
}
