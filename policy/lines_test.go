package policy

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// lineCounter, which counts lines once for increasing offsets, answers as
// counting from the start of the data each time does, for any offsets.
func TestLineCounter(t *testing.T) {
	data := []byte("[\n {\"a\": 1},\n\n  ,{\"b\": 2}\r\n,\t{}\n]\n")
	naive := func(offset int) int {
		for offset < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[offset]) >= 0 {
			offset++
		}
		return bytes.Count(data[:min(offset, len(data))], []byte("\n")) + 1
	}
	r := rand.New(rand.NewPCG(3, 4))
	c := &lineCounter{data: data, line: 1}
	for i := range 500 {
		off := r.IntN(len(data) + 2)
		if i%3 != 0 { // mostly increasing, as the decoder asks
			off = min(len(data)+1, c.off+r.IntN(4))
		}
		if got, want := c.at(off), naive(off); got != want {
			t.Fatalf("offset %d: line %d, want %d", off, got, want)
		}
	}
}
