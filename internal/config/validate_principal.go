package config

import (
	"net"
	"net/netip"
	"strings"
)

// validateSourcePrincipal refuses trust_source_principal on a gRPC
// listener that callers other than the local Envoy can reach: whoever calls
// Check then sends the source.principal, and so chooses the identity.
// Such a listener is allowed only when listen.mtls names its callers, or
// when trust_source_principal_from_any_caller acknowledges the risk.
func (c *Config) validateSourcePrincipal(f *fileErrs) {
	id := c.Identity
	if id.TrustSourcePrincipalFromAnyCaller && !id.TrustSourcePrincipal {
		f.add("identity.trust_source_principal_from_any_caller", "acknowledges a risk only trust_source_principal: true takes; remove it")
		return
	}
	if !id.TrustSourcePrincipal || localListener(c.Listen.GRPC) || c.Listen.MTLS.namesCallers() {
		return
	}
	if id.TrustSourcePrincipalFromAnyCaller {
		c.Warnings = append(c.Warnings, f.at("identity.trust_source_principal_from_any_caller",
			"anyone who can reach listen.grpc %q may choose their own identity (trust_source_principal without listen.mtls naming callers)", c.Listen.GRPC))
		return
	}
	f.add("identity.trust_source_principal",
		"listen.grpc %q can be reached from other hosts and listen.mtls does not name its callers (allowed_ids), "+
			"so anyone who reaches it could send any source.principal and choose their identity: listen on a unix socket "+
			"or loopback, set listen.mtls.allowed_ids to the Envoy(s) that call Tollgate, or set "+
			"identity.trust_source_principal_from_any_caller: true to accept the risk", c.Listen.GRPC)
}

// localListener reports whether addr is a unix socket or a loopback TCP
// address. An empty host, a wildcard or a host name is not.
func localListener(addr string) bool {
	if strings.HasPrefix(addr, "unix://") {
		return true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// namesCallers reports whether m admits only callers it names: allowed_ids
// and no whole trust domain.
func (m *ListenMTLS) namesCallers() bool {
	return m != nil && len(m.AllowedIDs) > 0 && m.AllowedTrustDomain == ""
}
