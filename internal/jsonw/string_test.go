package jsonw

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAppendString: the output is one JSON string that encoding/json reads
// back as s (invalid UTF-8 as U+FFFD, as encoding/json writes it).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "\x00\x1f\x7f", "\xff\xfe", "\u2028\u2029", "é✓"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := AppendString([]byte("x"), s)
		if b[0] != 'x' {
			t.Fatal("prefix overwritten")
		}
		var got string
		if err := json.Unmarshal(b[1:], &got); err != nil {
			t.Fatalf("AppendString(%q) = %s: %v", s, b[1:], err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); got != want && utf8.ValidString(s) {
			t.Fatalf("AppendString(%q) reads back as %q", s, got)
		}
		if strings.ContainsAny(string(b[1:]), "\u2028\u2029") {
			t.Fatalf("AppendString(%q) = %s keeps a line separator", s, b[1:])
		}
		if want := appendStringBytewise([]byte("x"), s); string(b) != string(want) {
			t.Fatalf("AppendString(%q) = %s, byte by byte %s", s, b[1:], want[1:])
		}
	})
}

// The eight-byte test agrees with the byte-by-byte rule on every byte at
// every position, whatever the other seven hold.
func TestPlain8(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\'
		for pos := 0; pos < 8; pos++ {
			for _, fill := range []byte{'a', ' ', '~', 0x7f} {
				w := []byte(strings.Repeat(string(fill), 8))
				w[pos] = byte(c)
				if got := plain8(string(w)); got != want {
					t.Fatalf("plain8(%q) = %v, want %v", w, got, want)
				}
			}
		}
	}
}

// appendStringBytewise is AppendString without the eight-byte step: the
// reference FuzzAppendString holds it to, byte for byte.
func appendStringBytewise(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = appendEscapedByte(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(append(b, `\u202`...), hexDigits[r&0xF])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

func BenchmarkAppendString(b *testing.B) {
	s := `{"principal":"spiffe://example.org/ns/shop/sa/frontend","action":"Action::\"ReadOrder\"","path":"/orders/42"}`
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = AppendString(buf[:0], s)
	}
}
