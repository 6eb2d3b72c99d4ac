package authz

import (
	"fmt"
	"sort"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"
)

// ctxAttr is one context attribute the mapper may build.
type ctxAttr struct {
	always bool // present on every request of the route
	fits   func(resolved.IsType) bool
	want   string             // the Cedar type, for messages
	claims map[string]bool    // for jwt and subject: the configured claim names
	sub    map[string]ctxAttr // for a record: its attributes
	open   bool               // a record whose attributes the request chooses
	entity types.EntityType   // an entity: its type (its attributes are IAM's data)
}

// mapperContext describes the context mapper.build produces (held in step
// by TestMapperContextMatchesDescription): fixed request attributes, then signals and JWT claims, which
// may be absent on any given request, and enforcement_point, which only an
// AuthZEN evaluation has; with deleg, the subject a workload
// acts for (addDelegation), absent without a token. With mcp, it adds context.mcp as
// mcpContext builds it for MCP routes. It is the one description of the
// context: the manifest schema check and the policy shape check (Shape)
// both derive from it.
func mapperContext(signals []Signal, claims []string, deleg *DelegationContext, mcp bool) map[string]ctxAttr {
	str := ctxAttr{always: true, fits: isType[resolved.StringType], want: "String"}
	out := map[string]ctxAttr{
		"method": str, "path": str, "host": str, "scheme": str,
		"tls":            {always: true, fits: isType[resolved.BoolType], want: "Bool"},
		"time":           {always: true, fits: isExt("datetime"), want: "datetime"},
		"source_address": {fits: isExt("ipaddr"), want: "ipaddr"},
		// The SPIFFE ID of the AuthZEN enforcement point that asked
		// (queryShape.context); absent from a proxy's request.
		"enforcement_point": {fits: isType[resolved.StringType], want: "String"},
	}
	for _, s := range signals {
		switch s.Type {
		case TypeLong:
			out[s.Name] = ctxAttr{fits: isType[resolved.LongType], want: "Long"}
		case TypeBool:
			out[s.Name] = ctxAttr{fits: isType[resolved.BoolType], want: "Bool"}
		default:
			out[s.Name] = ctxAttr{fits: isType[resolved.StringType], want: "String"}
		}
	}
	if len(claims) > 0 {
		out["jwt"] = claimsAttr(claims)
	}
	if deleg != nil {
		addDelegationAttrs(out, deleg)
	}
	if mcp {
		out["mcp"] = mcpContextAttr()
	}
	return out
}

// claimsAttr describes a record of configured token claims (claimsRecord).
func claimsAttr(claims []string) ctxAttr {
	set := map[string]bool{}
	for _, c := range claims {
		set[c] = true
	}
	a := ctxAttr{fits: isType[resolved.RecordType], want: "record", claims: set, sub: map[string]ctxAttr{}}
	for c := range set {
		a.sub[c] = ctxAttr{want: "claim", open: true} // a claim's type is the token's
	}
	return a
}

// addDelegationAttrs describes what addDelegation builds (keep the two in
// step): all absent on a request without a subject token.
func addDelegationAttrs(out map[string]ctxAttr, d *DelegationContext) {
	et := d.EntityType
	if et == "" {
		et = DefaultSubjectType
	}
	// The subject's attributes are IAM's data, not the request's.
	out["on_behalf_of"] = ctxAttr{fits: isEntity(et), want: string(et), open: true, entity: et}
	out["delegation"] = ctxAttr{fits: isStringSet, want: "Set<String>"}
	out["delegation_length"] = ctxAttr{fits: isType[resolved.LongType], want: "Long"}
	if len(d.Claims) > 0 {
		out["subject"] = claimsAttr(d.Claims)
	}
	if d.Txn != nil {
		addTxnAttrs(out, d.Txn)
	}
}

func isEntity(et types.EntityType) func(resolved.IsType) bool {
	return func(t resolved.IsType) bool { e, ok := t.(resolved.EntityType); return ok && types.EntityType(e) == et }
}

func isStringSet(t resolved.IsType) bool {
	s, ok := t.(resolved.SetType)
	return ok && isType[resolved.StringType](s.Element)
}

// mcpContextAttr describes context.mcp as mcpContext builds it (keep the
// two in step): server and method always; arguments on every message but
// a listing; tool, uri and prompt when the message has them; listing when
// a tools/list result is filtered (listingContext).
func mcpContextAttr() ctxAttr {
	str := ctxAttr{want: "String"}
	return ctxAttr{always: true, want: "record", sub: map[string]ctxAttr{
		"server": str, "method": str, "tool": str, "uri": str, "prompt": str,
		"arguments": {want: "record", open: true},
		// listing is true when a tools/list result is filtered (FilterTools):
		// the tools/call of a listed tool, without arguments.
		"listing": {want: "Bool"},
	}}
}

func isType[T resolved.IsType](t resolved.IsType) bool { _, ok := t.(T); return ok }

func isExt(name string) func(resolved.IsType) bool {
	return func(t resolved.IsType) bool { e, ok := t.(resolved.ExtensionType); return ok && string(e) == name }
}

// tolerated are context attributes other parts of Tollgate may add for
// route kinds this check does not model (MCP tool calls); they are not
// checked here.
var tolerated = map[string]bool{"mcp": true}

// checkContext compares the declared context with what the mapper builds.
func checkContext(declared resolved.RecordType, provided map[string]ctxAttr) []string {
	names := make([]string, 0, len(declared))
	for k := range declared {
		names = append(names, string(k))
	}
	sort.Strings(names)
	var msgs []string
	for _, name := range names {
		if tolerated[name] {
			continue
		}
		decl := declared[resolvedKey(name)]
		p, ok := provided[name]
		switch {
		case !ok && !decl.Optional:
			msgs = append(msgs, never+fmt.Sprintf("the schema requires context.%s, which Tollgate never provides "+
				"(declare it optional with %s? or add a signal)", name, name))
		case !ok:
		case !p.fits(decl.Type):
			msgs = append(msgs, fmt.Sprintf("context.%s is a %s in requests but the schema declares %s",
				name, p.want, typeName(decl.Type)))
		case !p.always && !decl.Optional:
			msgs = append(msgs, never+fmt.Sprintf("the schema requires context.%s, which is absent from some requests; "+
				"declare it optional (%s?) and test it with `has`", name, name))
		case p.claims != nil:
			msgs = append(msgs, checkClaims(name, decl.Type.(resolved.RecordType), p.claims)...)
		}
	}
	return msgs
}

func checkClaims(record string, declared resolved.RecordType, claims map[string]bool) []string {
	var msgs []string
	for k, a := range declared {
		switch {
		case !claims[string(k)] && !a.Optional:
			msgs = append(msgs, never+fmt.Sprintf("the schema requires context.%s.%s, which is not a configured claim", record, k))
		case !a.Optional:
			msgs = append(msgs, never+fmt.Sprintf("the schema requires context.%s.%s, but a token may omit it; declare it optional", record, k))
		}
	}
	sort.Strings(msgs)
	return msgs
}

func resolvedKey(name string) types.String { return types.String(name) }

// typeName names a schema type in Cedar schema syntax.
func typeName(t resolved.IsType) string {
	switch x := t.(type) {
	case resolved.StringType:
		return "String"
	case resolved.LongType:
		return "Long"
	case resolved.BoolType:
		return "Bool"
	case resolved.ExtensionType:
		return string(x)
	case resolved.SetType:
		return "Set<" + typeName(x.Element) + ">"
	case resolved.RecordType:
		return "a record"
	case resolved.EntityType:
		return string(x)
	}
	return fmt.Sprintf("%T", t)
}
