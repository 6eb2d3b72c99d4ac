package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// outcome is what a case produced.
type outcome struct {
	allow    bool
	code     string
	policies []string
	errors   []string // "id (kind)"
	errIDs   []string
	inScope  []string // policies whose scope the request was in
	problems []string // why the case is not a request Tollgate could build
	err      error
}

// diffs compares the outcome with what the case expects.
func (c *testCase) diffs(got outcome) []string {
	if got.err != nil {
		return []string{"error: " + got.err.Error()}
	}
	var d []string
	for _, p := range got.problems {
		d = append(d, "not a request Tollgate could build: "+p)
	}
	if want := c.Expect == "allow"; want != got.allow {
		d = append(d, fmt.Sprintf("decision: want %s, got %s (code=%s, policies=[%s])",
			c.Expect, verdict(got.allow), got.code, strings.Join(got.policies, ",")))
	}
	if c.Code != "" && c.Code != got.code {
		d = append(d, fmt.Sprintf("code: want %s, got %s", c.Code, got.code))
	}
	if c.Policies != nil && !sameSet(c.Policies, got.policies) {
		d = append(d, fmt.Sprintf("policies: want [%s], got [%s]",
			strings.Join(c.Policies, ","), strings.Join(got.policies, ",")))
	}
	if c.Errors != nil && !sameSet(c.Errors, got.errIDs) {
		d = append(d, fmt.Sprintf("errors: want [%s], got [%s]",
			strings.Join(c.Errors, ","), strings.Join(got.errors, ",")))
	}
	return d
}

func verdict(allow bool) string {
	if allow {
		return "allow"
	}
	return "deny"
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// at is the case's instant and the snapshot as it stands then.
func (c *testCase) at(env *offlineEnv) (time.Time, *policy.Snapshot) {
	if c.now.IsZero() {
		return time.Now(), env.snap
	}
	return c.now, env.snap.At(c.now)
}

func (c *testCase) run(env *offlineEnv) outcome {
	if c.Request != nil {
		return c.runHTTP(env)
	}
	id, err := spiffeid.FromString(c.Principal)
	if err != nil {
		return outcome{err: fmt.Errorf("principal: %v", err)}
	}
	now, snap := c.at(env)
	req, err := c.cedarRequest(now)
	if err != nil {
		return outcome{err: err}
	}
	p := authz.PrincipalEntity(identity.Identity{ID: id, Source: identity.SourcePrincipal})
	req.Principal = p.UID
	extra := []types.Entity{p}
	if req.Resource != p.UID {
		extra = append(extra, types.Entity{UID: req.Resource})
	}
	extra = overlayEntities(extra, c.ents)
	got := decided(snap, req, extra, snap.Evaluate(req, extra...))
	got.problems = snap.CheckRequest(env.shape(), req, c.own(extra)...)
	return got
}

// own returns the case's entities as evaluated (merged with the ones
// Tollgate builds, such as the principal's attributes).
func (c *testCase) own(all []types.Entity) []types.Entity {
	var out []types.Entity
	for _, e := range all {
		if slices.ContainsFunc(c.ents, func(x types.Entity) bool { return x.UID == e.UID }) {
			out = append(out, e)
		}
	}
	return out
}

// decided turns a policy decision into an outcome.
func decided(snap *policy.Snapshot, req cedar.Request, extra []types.Entity, d policy.Decision) outcome {
	o := outcome{allow: d.Allow, code: string(d.Reason), policies: d.Determining}
	for _, e := range d.Errors {
		o.errIDs = append(o.errIDs, e.PolicyID)
		o.errors = append(o.errors, fmt.Sprintf("%s (%s)", e.PolicyID, e.Kind))
	}
	o.inScope = snap.InScope(req, extra...)
	return o
}

// overlayEntities adds the case's entities to the built ones; a case
// entity with the UID of a built one (the principal, the resource) adds
// its parents and attributes to it.
func overlayEntities(built, ents []types.Entity) []types.Entity {
	out := slices.Clone(built)
	for _, e := range ents {
		i := slices.IndexFunc(out, func(b types.Entity) bool { return b.UID == e.UID })
		if i < 0 {
			out = append(out, e)
			continue
		}
		attrs := types.RecordMap{}
		for k, v := range out[i].Attributes.All() {
			attrs[k] = v
		}
		for k, v := range e.Attributes.All() {
			attrs[k] = v
		}
		parents := append(out[i].Parents.Slice(), e.Parents.Slice()...)
		out[i] = types.Entity{UID: e.UID, Attributes: types.NewRecord(attrs), Parents: types.NewEntityUIDSet(parents...),
			Tags: e.Tags}
	}
	return out
}

// cedarRequest builds the case's Cedar request. Its context is the case's
// context laid over the attributes Tollgate puts in every request.
func (c *testCase) cedarRequest(now time.Time) (cedar.Request, error) {
	action := c.Action
	if !strings.Contains(action, "::") {
		action = fmt.Sprintf("Action::%q", action)
	}
	var req cedar.Request
	if err := req.Action.UnmarshalCedar([]byte(action)); err != nil {
		return req, fmt.Errorf("action %q: want a name or a UID such as Action::\"read\"", c.Action)
	}
	if err := req.Resource.UnmarshalCedar([]byte(c.Resource)); err != nil {
		return req, fmt.Errorf("resource %q: want a UID such as Order::\"42\"", c.Resource)
	}
	ctx := authz.FixedContext("GET", "/", "app.internal", now)
	keys := make([]string, 0, len(c.Context))
	for k := range c.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := cedarValue(c.Context[k])
		if err != nil {
			return req, fmt.Errorf("context.%s: %v", k, err)
		}
		ctx[types.String(k)] = v
	}
	req.Context = types.NewRecord(ctx)
	return req, nil
}

// cedarValue converts a YAML value to Cedar: strings, integers, bools,
// lists (sets) and maps (records).
func cedarValue(v any) (types.Value, error) {
	switch x := v.(type) {
	case string:
		return types.String(x), nil
	case int:
		return types.Long(x), nil
	case bool:
		return types.Boolean(x), nil
	case []any:
		vs := make([]types.Value, len(x))
		for i, e := range x {
			cv, err := cedarValue(e)
			if err != nil {
				return nil, err
			}
			vs[i] = cv
		}
		return types.NewSet(vs...), nil
	case map[string]any:
		m := make(types.RecordMap, len(x))
		for k, e := range x {
			cv, err := cedarValue(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", k, err)
			}
			m[types.String(k)] = cv
		}
		return types.NewRecord(m), nil
	case nil:
		return types.NewRecord(nil), nil
	}
	return nil, fmt.Errorf("unsupported value %v (%T): use strings, integers, bools, lists and maps", v, v)
}

// runHTTP maps the request through the manifest with serve's engine.
func (c *testCase) runHTTP(env *offlineEnv) outcome {
	now, snap := c.at(env)
	rec := &recorder{snap: snap, add: c.ents}
	eng, err := env.engine(rec)
	if err != nil {
		return outcome{err: err}
	}
	h := c.Request
	r := &authz.Request{
		Method: h.Method, Path: h.Path, Host: h.Host, Scheme: "https", Headers: lowerKeys(h.Headers),
		SourceAddress: h.Source, TLS: true, ContentLength: -1, ContextExtensions: h.ContextExtensions,
		Credentials: identity.Credentials{SourcePrincipal: c.Principal}, Time: now,
		ProxyNormalizedPath: env.proxyNormalizes(),
	}
	if r.Method == "" {
		r.Method = "GET"
	}
	d := eng.Check(context.Background(), r)
	got := outcome{allow: d.Allowed(), code: d.Code.String(), policies: d.Policies}
	if rec.req != nil {
		pd := decided(snap, *rec.req, rec.extra, rec.decision)
		got.errors, got.errIDs, got.inScope = pd.errors, pd.errIDs, pd.inScope
		got.problems = snap.CheckRequest(env.shape(), *rec.req, c.own(rec.extra)...)
	}
	got.problems = append(got.problems, env.unknownExtensions(h.ContextExtensions)...)
	return got
}

func lowerKeys(h map[string]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[strings.ToLower(k)] = v
	}
	return out
}
