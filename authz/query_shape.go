package authz

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// queryShape is what a Query may name: the actions and resource types the
// manifest's routes produce, and the context attributes mapperContext
// describes (minus time, which is Tollgate's clock). It is derived from
// the same description as the policy shape check (ContextShape), so a
// query can only build a request the policies were checked against.
type queryShape struct {
	manifest *manifest.Manifest
	actions  map[types.EntityUID]string // action -> metric label
	prefixes []string                   // MCP per_tool action prefixes
	resTypes map[types.EntityType]bool
	ctx      map[string]ctxAttr
	tools    []mcpTool                                     // how the MCP routes name tool calls (query_mcp.go)
	pairs    map[types.EntityUID]map[types.EntityType]bool // query_pair.go
	// mcpActions may carry context.mcp (query_mcp.go).
	mcpActions map[types.EntityUID]bool
}

// queryShape returns the shape for the manifest in use, rebuilding it
// after SetManifest.
func (e *Engine) queryShape() *queryShape {
	m := e.manifest.Load()
	if qs := e.queryShapes.Load(); qs != nil && qs.manifest == m {
		return qs
	}
	qs := newQueryShape(m, e.mapper.signals)
	e.queryShapes.Store(qs)
	return qs
}

func newQueryShape(m *manifest.Manifest, signals []Signal) *queryShape {
	qs := &queryShape{manifest: m, actions: map[types.EntityUID]string{}, resTypes: map[types.EntityType]bool{}}
	sh := ContextShape(PolicyCheck{Manifest: m, NoConfig: true})
	hasMCP := false
	for _, r := range m.Rules() {
		if r.MCPRule() != nil {
			hasMCP = true
			continue
		}
		qs.actions[r.CedarAction()] = r.Action
		qs.resTypes[r.ResourceType()] = true
	}
	for a := range sh.Actions {
		if _, ok := qs.actions[a]; !ok {
			qs.actions[a] = string(a.ID)
		}
	}
	for t := range sh.EntityTypes {
		if t != WorkloadType { // the principal type; a resource only where a route says so
			qs.resTypes[t] = true
		}
	}
	qs.prefixes = slices.Clone(sh.ActionPrefixes)
	qs.tools = mcpTools(m)
	qs.pairs = actionPairs(m)
	qs.mcpActions = mcpActions(m)
	qs.ctx = mapperContext(signals, nil, nil, hasMCP)
	delete(qs.ctx, "time")
	delete(qs.ctx, "enforcement_point")
	return qs
}

// action maps action.name: a bare name is Action::"<name>", a name with
// "::" is a Cedar entity UID, as in a manifest route.
func (qs *queryShape) action(name string) (types.EntityUID, string, error) {
	uid := types.NewEntityUID("Action", types.String(name))
	if strings.Contains(name, "::") {
		if err := uid.UnmarshalCedar([]byte(name)); err != nil {
			return types.EntityUID{}, "", fmt.Errorf("action.name %.80q is not a Cedar entity UID such as Orders::Action::\"read\"", name)
		}
	}
	if label, ok := qs.actions[uid]; ok {
		return uid, label, nil
	}
	if uid.Type == "Action" {
		for _, p := range qs.prefixes {
			if strings.HasPrefix(string(uid.ID), p) && len(uid.ID) > len(p) {
				return uid, manifest.MCPToolLabel, nil
			}
		}
	}
	return types.EntityUID{}, "", fmt.Errorf("action.name %.80q: no manifest route produces this action", name)
}

func (qs *queryShape) resource(r QueryEntity) (types.EntityUID, error) {
	t := types.EntityType(r.Type)
	if !qs.resTypes[t] {
		return types.EntityUID{}, fmt.Errorf("resource.type %.80q: no manifest route produces this resource type", r.Type)
	}
	if len(r.Properties) > 0 {
		return types.EntityUID{}, fmt.Errorf("resource.properties: not accepted: resource attributes are IAM's entity data, not the enforcement point's")
	}
	return types.NewEntityUID(t, types.String(r.ID)), nil
}

// context builds the Cedar context: time from Tollgate's clock and
// enforcement_point from the verified caller, then context,
// action.properties and subject.properties.ip_address (as source_address),
// each key at most once.
func (qs *queryShape) context(q *Query, now time.Time) (types.RecordMap, error) {
	out := types.RecordMap{"time": types.NewDatetime(now), "enforcement_point": types.String(q.Caller.String())}
	if err := qs.addAll(out, "context", q.Context); err != nil {
		return nil, err
	}
	if err := qs.addAll(out, "action.properties", q.Action.Properties); err != nil {
		return nil, err
	}
	for _, k := range slices.Sorted(maps.Keys(q.Subject.Properties)) {
		if k != "ip_address" {
			return nil, fmt.Errorf("subject.properties.%.64s: not accepted: only ip_address (as context.source_address); principal attributes come from the SPIFFE ID and IAM's entity data", k)
		}
		if err := qs.add(out, "subject.properties", k, "source_address", q.Subject.Properties[k]); err != nil {
			return nil, err
		}
	}
	return out, qs.checkPathRoute(out)
}

func (qs *queryShape) addAll(out types.RecordMap, where string, m map[string]any) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := qs.add(out, where, k, k, m[k]); err != nil {
			return err
		}
	}
	return nil
}

// add sets context.key from the value the query gave at where.name; the
// path is formatted only for an error.
func (qs *queryShape) add(out types.RecordMap, where, name, key string, v any) error {
	at := func() string { return fmt.Sprintf("%s.%.64s", where, name) }
	switch key {
	case "time":
		return fmt.Errorf("%s: not accepted: context.time is Tollgate's clock", at())
	case "enforcement_point":
		return fmt.Errorf("%s: not accepted: context.enforcement_point is the verified caller's SPIFFE ID", at())
	case "mcp":
		if m, ok := v.(map[string]any); ok {
			if _, listing := m["listing"]; listing {
				return fmt.Errorf("%s.listing: not accepted: context.mcp.listing marks Tollgate's own evaluation of a listed tool (ext_proc), never a call", at())
			}
		}
	}
	a, ok := qs.ctx[key]
	if !ok {
		return fmt.Errorf("%s: not a context attribute the policies are checked against (one of %s)", at(), strings.Join(slices.Sorted(maps.Keys(qs.ctx)), ", "))
	}
	if _, dup := out[types.String(key)]; dup {
		return fmt.Errorf("%s: context.%s is given twice", at(), key)
	}
	val, err := queryValue(a, v, at)
	if err == nil {
		err = canonicalAttr(key, v, at)
	}
	if err != nil {
		return err
	}
	out[types.String(key)] = val
	return nil
}

// queryValue converts a JSON value to the Cedar type a declares.
func queryValue(a ctxAttr, v any, at func() string) (types.Value, error) {
	switch a.want {
	case "String":
		if s, ok := v.(string); ok {
			return types.String(s), nil
		}
	case "Bool":
		if b, ok := v.(bool); ok {
			return types.Boolean(b), nil
		}
	case "Long":
		if n, ok := v.(json.Number); ok {
			if i, err := n.Int64(); err == nil {
				return types.Long(i), nil
			}
		}
	case "ipaddr":
		if s, ok := v.(string); ok {
			if ip, ok := parseSourceAddress(s); ok {
				return ip, nil
			}
		}
	case "record":
		if m, ok := v.(map[string]any); ok {
			return queryRecord(a, m, at)
		}
	default:
		return nil, fmt.Errorf("%s: not accepted from an enforcement point", at())
	}
	return nil, fmt.Errorf("%s: must be a %s", at(), a.want)
}

func queryRecord(a ctxAttr, m map[string]any, parent func() string) (types.Value, error) {
	rec := make(types.RecordMap, len(m))
	keys := newRecordKeys(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		at := func() string { return fmt.Sprintf("%s.%.64s", parent(), k) }
		err := keys.check(k, at)
		sub, known := a.sub[k]
		var val types.Value
		switch {
		case err != nil:
		case a.open:
			val, err = jsonValue(v, at)
		case known:
			val, err = queryValue(sub, v, at)
		default:
			err = fmt.Errorf("%s: not an attribute of this record (one of %s)", at(), strings.Join(slices.Sorted(maps.Keys(a.sub)), ", "))
		}
		if err != nil {
			return nil, err
		}
		rec[types.String(k)] = val
	}
	return types.NewRecord(rec), nil
}

// jsonValue converts any JSON value of an open record: integers are Long,
// arrays Sets, objects records; null and fractions have no Cedar form.
func jsonValue(v any, at func() string) (types.Value, error) {
	switch x := v.(type) {
	case string:
		return types.String(x), nil
	case bool:
		return types.Boolean(x), nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return types.Long(i), nil
		}
		return nil, fmt.Errorf("%s: %.32s is not an integer Cedar can hold", at(), x)
	case []any:
		vals := make([]types.Value, len(x))
		for i, e := range x {
			var err error
			if vals[i], err = jsonValue(e, func() string { return fmt.Sprintf("%s[%d]", at(), i) }); err != nil {
				return nil, err
			}
		}
		return types.NewSet(vals...), nil
	case map[string]any:
		return queryRecord(ctxAttr{want: "record", open: true}, x, at)
	}
	return nil, fmt.Errorf("%s: null has no Cedar value; omit the key", at())
}
