package strictjson

import (
	"bytes"
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
