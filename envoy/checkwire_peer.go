package envoy

import (
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
)

// The fast decoder's AttributeContext.Peer (source and destination).

func (d *decoder) peer(b []byte, p *authv3.AttributeContext_Peer) bool {
	for len(b) > 0 {
		f, rest, ok := nextField(b)
		if !ok {
			return false
		}
		b = rest
		switch f.tag {
		case 1<<3 | wLen: // address
			if p.Address == nil {
				p.Address = &corev3.Address{}
			}
			ok = d.address(f.b, p.Address)
		case 2<<3 | wLen:
			p.Service, ok = d.str(f.b)
		case 3<<3 | wLen:
			p.Labels, ok = d.mapEntry(f.b, p.Labels, 0)
		case 4<<3 | wLen:
			p.Principal, ok = d.str(f.b)
		case 5<<3 | wLen:
			p.Certificate, ok = d.str(f.b)
		default:
			return false
		}
		if !ok {
			return false
		}
	}
	return true
}

// address decodes an Address whose oneof is a socket_address; the pipe and
// internal addresses are a fallback. A repeated socket_address is merged
// into the first, as proto.Unmarshal does for the same oneof member.
func (d *decoder) address(b []byte, a *corev3.Address) bool {
	for len(b) > 0 {
		f, rest, ok := nextField(b)
		if !ok || f.tag != 1<<3|wLen { // socket_address
			return false
		}
		b = rest
		w, _ := a.Address.(*corev3.Address_SocketAddress)
		if w == nil { // only socket_address is ever set here
			w = &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{}}
			a.Address = w
		}
		if !d.socketAddress(f.b, w.SocketAddress) {
			return false
		}
	}
	return true
}

// socketAddress decodes protocol, address and port_value; a named_port (the
// other member of the port oneof) and the other fields are a fallback.
func (d *decoder) socketAddress(b []byte, s *corev3.SocketAddress) bool {
	for len(b) > 0 {
		f, rest, ok := nextField(b)
		if !ok {
			return false
		}
		b = rest
		switch f.tag {
		case 1<<3 | wVarint: // protocol: an open enum, any int32
			s.Protocol = corev3.SocketAddress_Protocol(wireInt32(f.v))
		case 2<<3 | wLen:
			if s.Address, ok = d.str(f.b); !ok {
				return false
			}
		case 3<<3 | wVarint: // port_value: set even when 0, it is a oneof
			s.PortSpecifier = &corev3.SocketAddress_PortValue{PortValue: wireUint32(f.v)}
		default:
			return false
		}
	}
	return true
}
