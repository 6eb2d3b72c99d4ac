package mcp

import (
	"strings"
	"testing"
)

// zerosBody is a tools/call whose arguments hold one array of n zeros: the
// cheapest body per JSON value an attacker can send.
func zerosBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":[`)
	b.WriteString(strings.Repeat("0,", n-1))
	b.WriteString(`0]}}}`)
	return []byte(b.String())
}

// allocBytesPerOp measures the bytes f allocates per call.
func allocBytesPerOp(f func()) int64 {
	return testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f()
		}
	}).AllocedBytesPerOp()
}

// maxAllocPerByte bounds the bytes Parse may allocate per byte of body,
// whatever the body. A ratio, not a time: it holds on any machine.
const maxAllocPerByte = 64

// TestParseAllocationsPerByte is the MCP amplification regression test: a
// 1 MiB body of zeros made Parse allocate ~353 MiB before policy ran.
func TestParseAllocationsPerByte(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	for _, n := range []int{1 << 10, 1 << 14, 1<<19 - 200} {
		body := zerosBody(n)
		per := allocBytesPerOp(func() { _, _ = Parse(body, Options{}) }) / int64(len(body))
		if per > maxAllocPerByte {
			t.Errorf("%d zeros (%d bytes): Parse allocates %d bytes per body byte, limit %d", n, len(body), per, maxAllocPerByte)
		}
	}
}

// TestParseAllocationsPerByteTypicalBody keeps an ordinary body, many
// small objects, within the same bound.
func TestParseAllocationsPerByteTypicalBody(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	body := toolCallBody(64 << 10)
	per := allocBytesPerOp(func() { _, _ = Parse(body, Options{}) }) / int64(len(body))
	if per > maxAllocPerByte {
		t.Errorf("typical %d-byte body: Parse allocates %d bytes per body byte, limit %d", len(body), per, maxAllocPerByte)
	}
}
