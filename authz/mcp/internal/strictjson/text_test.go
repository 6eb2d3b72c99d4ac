package strictjson

import (
	"bytes"
	"strings"
	"testing"
)

// naiveRun is plainRun one byte at a time.
func naiveRun(b []byte) int {
	for i, c := range b {
		if c < 0x20 || c == '"' || c == '\\' {
			return i
		}
	}
	return len(b)
}

// TestPlainRunEveryByte puts every byte value at every offset of a
// 24-byte run over backgrounds next to the word tests' edges.
func TestPlainRunEveryByte(t *testing.T) {
	for _, bg := range []byte{'a', ' ', '!', '#', '[', ']', 0x7f, 0x80, 0xc3, 0xff} {
		for c := 0; c < 256; c++ {
			for at := 0; at < 24; at++ {
				b := bytes.Repeat([]byte{bg}, 24)
				b[at] = byte(c)
				for start := 0; start < 8; start++ {
					if got, want := plainRun(b[start:]), naiveRun(b[start:]); got != want {
						t.Fatalf("plainRun(%q) = %d, want %d", b[start:], got, want)
					}
				}
			}
		}
	}
}

func FuzzPlainRun(f *testing.F) {
	f.Add([]byte("abcdefgh\"ijklmnop"))
	f.Add([]byte("\xe9\xe9\xe9\xe9\xe9\xe9\xe9\xe9\x1f"))
	f.Add([]byte(`0123456789abcdef\u0000`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := plainRun(b), naiveRun(b); got != want {
			t.Fatalf("plainRun(%q) = %d, want %d", b, got, want)
		}
	})
}

// TestLongStringsNoted: strings at and around longString, escaped or not,
// as keys and values, read the same as encoding/json reads them when the
// building pass takes their ends from the counting pass.
func TestLongStringsNoted(t *testing.T) {
	var docs []string
	for _, n := range []int{longString - 3, longString - 2, longString - 1, longString, 3 * longString} {
		plain := strings.Repeat("p", n)
		esc := strings.Repeat("e", n/2) + `\"\u00e9\ud83d\ude00` + strings.Repeat("f", n/2)
		docs = append(docs,
			`"`+plain+`"`,
			`{"`+plain+`":"`+esc+`","k":["`+esc+`",1,"`+plain+`",{"`+esc+`":"`+plain+`"}],"z":"short"}`,
			`["`+plain+`","`+plain+`x","\n`+plain+`"]`)
	}
	for _, d := range docs {
		v, err := parse([]byte(d), 8)
		if err != nil {
			t.Fatalf("%.40s…: %v", d, err)
		}
		assertSameAsStdlib(t, []byte(d), v)
		assertTextAgrees(t, &v)
	}
	long := `["` + strings.Repeat("q", 2*longString) + `",`
	for _, bad := range []string{long, long + `"` + strings.Repeat("r", longString) + "\x01\"]", long + `{"a":1,"a":2}]`} {
		if _, err := parse([]byte(bad), 8); err == nil {
			t.Errorf("%.40s… accepted", bad)
		}
	}
}
