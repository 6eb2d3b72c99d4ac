package envoy

import (
	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
)

// The fast decoder's AttributeContext.Peer (source and destination).

func (d *decoder) peer(b []byte, pb *peerBlock) bool {
	p := &pb.peer
	return eachField(b, func(f field) bool {
		var ok bool
		switch f.tag {
		case 1<<3 | wLen: // address
			p.Address = &pb.addr // the same message each time: a repeat merges
			ok = d.address(f.b, pb)
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
		return ok
	})
}

// address decodes pb's Address, whose oneof must be a socket_address: the
// pipe and internal addresses are a fallback. A repeated socket_address is
// merged into the first, as proto.Unmarshal does for the same oneof member.
func (d *decoder) address(b []byte, pb *peerBlock) bool {
	return eachField(b, func(f field) bool {
		if f.tag != 1<<3|wLen { // socket_address
			return false
		}
		pb.sockW.SocketAddress = &pb.sock
		pb.addr.Address = &pb.sockW // the only member ever set
		return d.socketAddress(f.b, pb)
	})
}

// socketAddress decodes protocol, address and port_value; a named_port (the
// other member of the port oneof) and the other fields are a fallback.
func (d *decoder) socketAddress(b []byte, pb *peerBlock) bool {
	s := &pb.sock
	return eachField(b, func(f field) bool {
		ok := true
		switch f.tag {
		case 1<<3 | wVarint: // protocol: an open enum, any int32
			s.Protocol = corev3.SocketAddress_Protocol(wireInt32(f.v))
		case 2<<3 | wLen:
			s.Address, ok = d.str(f.b)
		case 3<<3 | wVarint: // port_value: set even when 0, it is a oneof
			pb.port.PortValue = wireUint32(f.v)
			s.PortSpecifier = &pb.port
		default:
			return false
		}
		return ok
	})
}
