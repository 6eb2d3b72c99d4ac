package mcp

import (
	"fmt"
	"strings"
	"testing"
)

// toolCallBody returns a tools/call body of about size bytes.
func toolCallBody(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"name":"search","arguments":{"query":"find the thing","limit":25,"score":0.75,"filters":[`)
	for i := 0; b.Len() < size-40; i++ {
		fmt.Fprintf(&b, `{"field":"f%d","op":"eq","value":"v%d","exact":true},`, i, i)
	}
	b.WriteString(`{"field":"last"}]}}}`)
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	body := toolCallBody(4096)
	if _, err := Parse(body, Options{}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
