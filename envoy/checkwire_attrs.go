package envoy

import (
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// The fast decoder's AttributeContext, its TLS session and its maps.

func (d *decoder) attributes(b []byte, a *authv3.AttributeContext) bool {
	return eachField(b, func(f field) bool {
		var ok bool
		switch f.tag {
		case 1<<3 | wLen: // source
			if d.src == nil {
				d.src = &peerBlock{}
				a.Source = &d.src.peer
			}
			ok = d.peer(f.b, d.src)
		case 2<<3 | wLen: // destination
			if d.dst == nil {
				d.dst = &peerBlock{}
				a.Destination = &d.dst.peer
			}
			ok = d.peer(f.b, d.dst)
		case 4<<3 | wLen: // request
			if a.Request == nil {
				a.Request = &d.blk.req
			}
			ok = d.request(f.b, a.Request)
		case 10<<3 | wLen: // context_extensions
			a.ContextExtensions, ok = d.mapEntry(f.b, a.ContextExtensions, 0)
		case 11<<3 | wLen: // metadata_context
			a.MetadataContext, ok = emptyMetadata(f.b, a.MetadataContext)
		case 12<<3 | wLen: // tls_session
			if a.TlsSession == nil {
				a.TlsSession = &authv3.AttributeContext_TLSSession{}
			}
			ok = d.tlsSession(f.b, a.TlsSession)
		case 13<<3 | wLen: // route_metadata_context
			a.RouteMetadataContext, ok = emptyMetadata(f.b, a.RouteMetadataContext)
		default:
			return false
		}
		return ok
	})
}

// emptyMetadata decodes a Metadata field only when it is empty: its map of
// Structs is left to proto.Unmarshal.
func emptyMetadata(b []byte, m *corev3.Metadata) (*corev3.Metadata, bool) {
	if len(b) != 0 {
		return m, false
	}
	if m == nil {
		m = &corev3.Metadata{}
	}
	return m, true
}

func (d *decoder) tlsSession(b []byte, t *authv3.AttributeContext_TLSSession) bool {
	return eachField(b, func(f field) bool {
		if f.tag != 1<<3|wLen { // sni
			return false
		}
		var ok bool
		t.Sni, ok = d.str(f.b)
		return ok
	})
}

// mapEntry adds one map<string, string> entry to m, creating m with room
// for hint entries if it is nil. As in proto.Unmarshal, the key and value
// come in either order, a repeated one keeps its last value, a missing one
// is "", and a repeated key keeps its last entry. Anything else in the
// entry (proto.Unmarshal skips it) is a fallback.
func (d *decoder) mapEntry(b []byte, m map[string]string, hint int) (map[string]string, bool) {
	var k, v string
	ok := eachField(b, func(f field) bool {
		ok := false
		switch f.tag {
		case 1<<3 | wLen:
			k, ok = d.str(f.b)
		case 2<<3 | wLen:
			v, ok = d.str(f.b)
		}
		return ok
	})
	if !ok {
		return m, false
	}
	if m == nil {
		m = make(map[string]string, hint)
	}
	m[k] = v
	return m, true
}
