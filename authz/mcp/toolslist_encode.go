package mcp

import (
	"bytes"
	"encoding/json"

	"github.com/tollgate-authz/tollgate/authz/mcp/internal/strictjson"
)

// Encode writes the body with, in every tools/list result, only the tools
// keep accepts (msg indexes Messages, tool indexes its Tools). Everything
// else, nextCursor included, is written as the server sent it. Messages
// without tools are copied byte for byte.
func (b *ServerBody) Encode(keep func(msg, tool int) bool) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b.root.Raw))
	if !b.Batch {
		b.encodeMessage(&buf, &b.root, 0, keep)
		return buf.Bytes()
	}
	buf.WriteByte('[')
	for i := range b.root.Elems {
		if i > 0 {
			buf.WriteByte(',')
		}
		b.encodeMessage(&buf, &b.root.Elems[i], i, keep)
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

func (b *ServerBody) encodeMessage(buf *bytes.Buffer, v *strictjson.Value, i int, keep func(int, int) bool) {
	if !b.Messages[i].IsList {
		buf.Write(v.Raw)
		return
	}
	writeObject(buf, v, func(key string, val *strictjson.Value) {
		if key != "result" {
			buf.Write(val.Raw)
			return
		}
		writeObject(buf, val, func(key string, val *strictjson.Value) {
			if key != "tools" {
				buf.Write(val.Raw)
				return
			}
			buf.WriteByte('[')
			n := 0
			for t := range val.Elems {
				if !keep(i, t) {
					continue
				}
				if n > 0 {
					buf.WriteByte(',')
				}
				buf.Write(val.Elems[t].Raw)
				n++
			}
			buf.WriteByte(']')
		})
	})
}

// writeObject writes an object member by member; value writes each value.
func writeObject(buf *bytes.Buffer, v *strictjson.Value, value func(string, *strictjson.Value)) {
	buf.WriteByte('{')
	for i := range v.Members {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(v.Members[i].Key) // a string always encodes
		buf.Write(k)
		buf.WriteByte(':')
		value(v.Members[i].Key, &v.Members[i].Val)
	}
	buf.WriteByte('}')
}
