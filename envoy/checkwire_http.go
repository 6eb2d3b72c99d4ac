package envoy

import (
	"slices"
	"unicode/utf8"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// The fast decoder's AttributeContext.Request and its HttpRequest.

func (d *decoder) request(b []byte, r *authv3.AttributeContext_Request) bool {
	return eachField(b, func(f field) bool {
		var ok bool
		switch f.tag {
		case 1<<3 | wLen: // time
			if r.Time == nil {
				r.Time = &d.blk.time
			}
			ok = timestamp(f.b, r.Time)
		case 2<<3 | wLen: // http
			if r.Http == nil {
				r.Http = &d.blk.http
			}
			ok = d.httpRequest(f.b, r.Http)
		default:
			return false
		}
		return ok
	})
}

func timestamp(b []byte, t *timestamppb.Timestamp) bool {
	return eachField(b, func(f field) bool {
		switch f.tag {
		case 1<<3 | wVarint:
			t.Seconds = wireInt64(f.v)
		case 2<<3 | wVarint:
			t.Nanos = wireInt32(f.v)
		default:
			return false
		}
		return true
	})
}

func (d *decoder) httpRequest(b []byte, h *authv3.AttributeContext_HttpRequest) bool {
	all := b
	return eachField(b, func(f field) bool {
		ok := true
		switch f.tag {
		case 3<<3 | wLen: // headers
			hint := 0
			if h.Headers == nil {
				hint = countTag(all, 3<<3|wLen)
			}
			h.Headers, ok = d.mapEntry(f.b, h.Headers, hint)
		case 9<<3 | wVarint:
			h.Size = wireInt64(f.v)
		case 11<<3 | wLen: // body: its own string, see alias
			if ok = utf8.Valid(f.b); ok {
				h.Body = string(f.b)
			}
		case 12<<3 | wLen: // raw_body: its own copy, nothing shares it
			h.RawBody = append([]byte(nil), f.b...)
		case 13<<3 | wLen: // header_map
			if h.HeaderMap == nil {
				h.HeaderMap = &corev3.HeaderMap{}
			}
			ok = d.headerMap(f.b, h.HeaderMap)
		default:
			ok = d.httpString(f, h)
		}
		return ok
	})
}

// httpString decodes HttpRequest's plain string fields.
func (d *decoder) httpString(f field, h *authv3.AttributeContext_HttpRequest) bool {
	var p *string
	switch f.tag {
	case 1<<3 | wLen:
		p = &h.Id
	case 2<<3 | wLen:
		p = &h.Method
	case 4<<3 | wLen:
		p = &h.Path
	case 5<<3 | wLen:
		p = &h.Host
	case 6<<3 | wLen:
		p = &h.Scheme
	case 7<<3 | wLen:
		p = &h.Query
	case 8<<3 | wLen:
		p = &h.Fragment
	case 10<<3 | wLen:
		p = &h.Protocol
	default:
		return false
	}
	var ok bool
	*p, ok = d.str(f.b)
	return ok
}

// countTag counts the fields of b with tag, to size a map once. A
// malformed b counts what precedes the damage; decoding then fails anyway.
func countTag(b []byte, tag uint64) int {
	n := 0
	eachField(b, func(f field) bool {
		if f.tag == tag {
			n++
		}
		return true
	})
	return n
}

// headerMap appends the HeaderValues of b to m, all allocated at once.
func (d *decoder) headerMap(b []byte, m *corev3.HeaderMap) bool {
	vals := make([]corev3.HeaderValue, countTag(b, 1<<3|wLen))
	m.Headers = slices.Grow(m.Headers, len(vals))
	i := 0
	return eachField(b, func(f field) bool {
		if f.tag != 1<<3|wLen || i >= len(vals) || !d.headerValue(f.b, &vals[i]) { // headers
			return false
		}
		m.Headers = append(m.Headers, &vals[i])
		i++
		return true
	})
}

func (d *decoder) headerValue(b []byte, hv *corev3.HeaderValue) bool {
	return eachField(b, func(f field) bool {
		ok := true
		switch f.tag {
		case 1<<3 | wLen:
			hv.Key, ok = d.str(f.b)
		case 2<<3 | wLen:
			hv.Value, ok = d.str(f.b)
		case 3<<3 | wLen: // raw_value: its own copy, nothing shares it
			hv.RawValue = append([]byte(nil), f.b...)
		default:
			return false
		}
		return ok
	})
}
