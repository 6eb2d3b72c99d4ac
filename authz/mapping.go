package authz

import (
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
)

// WorkloadType is the Cedar entity type of a principal.
const WorkloadType types.EntityType = "Workload"

// mapper builds the Cedar request for a verified identity and a matched route.
type mapper struct {
	signals []Signal
	claims  []string
	// subjectClaims are the subject token claims copied into
	// context.subject.
	subjectClaims []string
	// txn is what Txn-Tokens add to the context (delegation_txn.go).
	txn        *TxnContext
	principals principalCache // principal entities by SPIFFE ID
	contexts   sync.Pool      // types.RecordMap, reused by build
}

// cedarInput is a Cedar request plus the principal and resource entities
// that overlay IAM's entity data.
type cedarInput struct {
	req       types.Request
	principal types.Entity
	resource  types.Entity
}

func (m *mapper) build(r *Request, id *identity.Identity, dl *delegated, rt *manifest.Rule, vals []string, path string, now time.Time) (cedarInput, error) {
	ctx, err := m.context(r, id, dl, path, now, 0)
	if err != nil {
		return cedarInput{}, err
	}
	res := rt.ResourceFor(vals)
	in := assembleFor(m.principals.get(id), rt.CedarAction(), res, ctx)
	m.release(ctx) // NewRecord copied ctx
	return in, nil
}

// release returns a context map from context for reuse.
func (m *mapper) release(ctx types.RecordMap) {
	clear(ctx)
	m.contexts.Put(ctx)
}

// context builds the request's Cedar context; extra reserves room for
// attributes the caller adds.
func (m *mapper) context(r *Request, id *identity.Identity, dl *delegated, path string, now time.Time, extra int) (types.RecordMap, error) {
	ctx, _ := m.contexts.Get().(types.RecordMap)
	if ctx == nil {
		ctx = make(types.RecordMap, 9+len(m.signals)+extra)
	}
	if err := addSignals(ctx, m.signals, r); err != nil {
		return nil, err
	}
	ctx["method"] = types.String(r.Method)
	ctx["path"] = types.String(path)
	ctx["host"] = types.String(normalizeHost(r.Host))
	ctx["scheme"] = types.String(strings.ToLower(r.Scheme))
	ctx["tls"] = types.Boolean(r.TLS)
	ctx["time"] = types.NewDatetime(now)
	if ip, ok := parseSourceAddress(r.SourceAddress); ok {
		ctx["source_address"] = ip
	}
	if id.Source == identity.SourceJWT && len(m.claims) > 0 {
		ctx["jwt"] = claimsRecord(id.Claims, m.claims)
	}
	if dl != nil {
		addDelegation(ctx, dl, m.subjectClaims, m.txn)
	}
	return ctx, nil
}

// assembleFor builds the Cedar request and the overlay entities.
func assembleFor(principal types.Entity, action, resource types.EntityUID, ctx types.RecordMap) cedarInput {
	in := cedarInput{principal: principal, resource: types.Entity{UID: resource}}
	in.req = types.Request{
		Principal: in.principal.UID,
		Action:    action,
		Resource:  resource,
		Context:   types.NewRecord(ctx),
	}
	return in
}

// principalEntity is Workload::"<spiffe id>" with trust_domain and path,
// plus namespace and service_account for paths of the exact form
// /ns/<namespace>/sa/<service account>.
func principalEntity(id *identity.Identity) types.Entity {
	p := id.ID.Path()
	attrs := types.RecordMap{
		"trust_domain": types.String(id.ID.TrustDomain().Name()),
		"path":         types.String(p),
	}
	if ns, sa, ok := k8sParts(p); ok {
		attrs["namespace"] = types.String(ns)
		attrs["service_account"] = types.String(sa)
	}
	return types.Entity{
		UID:        types.NewEntityUID(WorkloadType, types.String(id.ID.String())),
		Attributes: types.NewRecord(attrs),
	}
}

func k8sParts(p string) (ns, sa string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/ns/")
	if !ok {
		return "", "", false
	}
	ns, rest, ok = strings.Cut(rest, "/sa/")
	if !ok || ns == "" || rest == "" || strings.Contains(ns, "/") || strings.Contains(rest, "/") {
		return "", "", false
	}
	return ns, rest, true
}

// parseSourceAddress reads one IP address, without a zone. An
// IPv4-mapped IPv6 address (::ffff:10.0.0.1, as dual-stack listeners
// report IPv4 peers) is its IPv4 address, so ip("10.0.0.0/8") holds it.
func parseSourceAddress(s string) (types.IPAddr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return types.IPAddr{}, false
	}
	a = a.Unmap()
	return types.IPAddr(netip.PrefixFrom(a, a.BitLen())), true
}

// normalizeHost lower-cases the host and drops the port and a trailing
// dot, so "Orders.Example.com.:443" and "orders.example.com" are the same
// context.host.
func normalizeHost(h string) string {
	if strings.Contains(h, ":") { // SplitHostPort's error allocates
		if host, _, err := net.SplitHostPort(h); err == nil {
			h = host
		} else if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
			h = h[1 : len(h)-1]
		}
	}
	h = strings.TrimSuffix(h, ".")
	for i := 0; i < len(h); i++ {
		if c := h[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(h)
		}
	}
	return h
}

// validHost reports a Host (:authority) that is a host and an optional
// port (RFC 9110 uri-host: a reg-name of unreserved and sub-delims
// characters, an IPv4 address or an IP literal). Userinfo ("x@admin"),
// a path, escapes, spaces and non-ASCII bytes are refused: a URL parser
// reads "x@admin.example.org" as admin.example.org, a policy on
// context.host does not. An empty host is valid (HTTP/1.0).
func validHost(h string) bool {
	if len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:[]", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// maxCachedPrincipals bounds principalCache; when full it starts over.
const maxCachedPrincipals = 4096

// principalCache memoises principalEntity: it depends only on the SPIFFE
// ID, and building its attribute record is a large part of the mapping
// cost. Entities are immutable, so they are shared between requests. The
// zero value is ready to use.
type principalCache struct {
	mu sync.RWMutex
	m  map[string]types.Entity
}

func (c *principalCache) get(id *identity.Identity) types.Entity {
	key := id.ID.String()
	c.mu.RLock()
	e, ok := c.m[key]
	c.mu.RUnlock()
	if ok {
		return e
	}
	e = principalEntity(id)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedPrincipals {
		c.m = make(map[string]types.Entity)
	}
	c.m[key] = e
	c.mu.Unlock()
	return e
}
