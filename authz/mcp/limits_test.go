package mcp

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// zerosBody is a tools/call whose arguments hold one array of n zeros: the
// cheapest body per JSON value an attacker can send.
func zerosBody(n int) []byte { return arrayBody(n, "0") }

// arrayBody is a tools/call whose arguments hold one array of n copies of
// the JSON text elem.
func arrayBody(n int, elem string) []byte {
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":[`)
	b.WriteString(strings.Repeat(elem+",", n-1))
	b.WriteString(elem + `]}}}`)
	return []byte(b.String())
}

// allocBytesPerOp measures the bytes f allocates per call, as
// testing.Benchmark's B/op does, over a few calls.
func allocBytesPerOp(f func()) int64 {
	const runs = 4
	f()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc-before.TotalAlloc) / runs
}

// maxAllocPerByte bounds the bytes Parse may allocate per byte of body,
// whatever the body: a ratio, not a time, so it holds on any machine. It
// was 353 for a body of zeros. The worst shapes now ([0] and {"":0}
// elements, a tree node and a Cedar value per two or three bytes) stay
// near 140, and Options.MaxValues caps the total whatever the size.
const maxAllocPerByte = 160

// maxAllocPerBody bounds what Parse allocates for any body within the
// default limits (1 MiB); it was 353 MiB.
const maxAllocPerBody = 8 << 20

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

// TestParseAllocationsPerByteShapes tries the other cheap values: empty
// containers, empty strings, small objects and numbers Cedar keeps apart.
func TestParseAllocationsPerByteShapes(t *testing.T) {
	if testing.Short() {
		t.Skip("measures allocations")
	}
	for _, elem := range []string{"[]", "{}", `""`, `{"":0}`, "true", "[0]", "1.5", "12345678"} {
		for _, n := range []int{256, 4096, (DefaultMaxBytes - 200) / (len(elem) + 1)} {
			body := arrayBody(n, elem)
			per := allocBytesPerOp(func() { _, _ = Parse(body, Options{}) }) / int64(len(body))
			if total := per * int64(len(body)); total > maxAllocPerBody {
				t.Errorf("%d x %s (%d bytes): Parse allocates %d bytes, limit %d", n, elem, len(body), total, maxAllocPerBody)
			}
			if per > maxAllocPerByte {
				t.Errorf("%d x %s (%d bytes): Parse allocates %d bytes per body byte, limit %d", n, elem, len(body), per, maxAllocPerByte)
			}
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

func TestParseLimits(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	deepArgs := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"a":` +
		strings.Repeat("[", 4) + strings.Repeat("]", 4) + `}}}`
	tests := []struct {
		name string
		ctx  context.Context
		body []byte
		opts Options
		want error
	}{
		{"values over the default", context.Background(), zerosBody(DefaultMaxValues), Options{}, ErrTooManyValues},
		{"values over the option", context.Background(), zerosBody(10), Options{MaxValues: 12}, ErrTooManyValues},
		{"arguments too deep", context.Background(), []byte(deepArgs), Options{MaxArgumentDepth: 4}, ErrTooDeep},
		{"canceled", canceled, zerosBody(10), Options{}, ErrCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ParseContext(tt.ctx, tt.body, tt.opts)
			if b != nil || !errors.Is(err, tt.want) {
				t.Fatalf("ParseContext = %v, %v; want %v", b, err, tt.want)
			}
		})
	}
	for _, ok := range []struct {
		body []byte
		opts Options
	}{
		{zerosBody(DefaultMaxValues - 10), Options{}},
		{[]byte(deepArgs), Options{MaxArgumentDepth: 5}},
	} {
		if _, err := Parse(ok.body, ok.opts); err != nil {
			t.Errorf("Parse within limits: %v", err)
		}
	}
}
