package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// outcome is what a case produced.
type outcome struct {
	allow    bool
	code     string
	policies []string
	err      error
}

// runCase runs one case and prints its result; it reports a pass.
func runCase(w io.Writer, env *offlineEnv, s *suite, c *testCase, verbose bool) bool {
	got := c.run(env)
	var diffs []string
	if got.err != nil {
		diffs = append(diffs, "error: "+got.err.Error())
	} else {
		if want := c.Expect == "allow"; want != got.allow {
			diffs = append(diffs, fmt.Sprintf("decision: want %s, got %s (code=%s, policies=[%s])",
				c.Expect, verdict(got.allow), got.code, strings.Join(got.policies, ",")))
		}
		if c.Policies != nil && !sameSet(c.Policies, got.policies) {
			diffs = append(diffs, fmt.Sprintf("policies: want [%s], got [%s]",
				strings.Join(c.Policies, ","), strings.Join(got.policies, ",")))
		}
	}
	name := s.Name + "/" + c.Name
	if len(diffs) == 0 {
		if verbose {
			fmt.Fprintf(w, "--- PASS: %s\n", name)
		}
		return true
	}
	fmt.Fprintf(w, "--- FAIL: %s (%s:%d)\n", name, s.file, c.line)
	for _, d := range diffs {
		fmt.Fprintf(w, "    %s\n", d)
	}
	return false
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

func (c *testCase) run(env *offlineEnv) outcome {
	if c.Request != nil {
		return c.runHTTP(env)
	}
	id, err := spiffeid.FromString(c.Principal)
	if err != nil {
		return outcome{err: fmt.Errorf("principal: %v", err)}
	}
	req, err := c.cedarRequest()
	if err != nil {
		return outcome{err: err}
	}
	p := authz.PrincipalEntity(identity.Identity{ID: id, Source: identity.SourcePrincipal})
	req.Principal = p.UID
	extra := []types.Entity{p}
	if req.Resource != p.UID {
		extra = append(extra, types.Entity{UID: req.Resource})
	}
	d := env.snap.Evaluate(req, extra...)
	return outcome{allow: d.Allow, code: string(d.Reason), policies: d.Determining}
}

func (c *testCase) cedarRequest() (cedar.Request, error) {
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
	ctx, err := cedarValue(map[string]any(c.Context))
	if err != nil {
		return req, fmt.Errorf("context: %v", err)
	}
	req.Context = ctx.(types.Record)
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
	rec := &recorder{snap: env.snap}
	eng, err := env.engine(rec)
	if err != nil {
		return outcome{err: err}
	}
	h := c.Request
	r := &authz.Request{
		Method: h.Method, Path: h.Path, Host: h.Host, Scheme: "https", Headers: lowerKeys(h.Headers),
		SourceAddress: h.Source, TLS: true, ContentLength: -1, ContextExtensions: h.ContextExtensions,
		Credentials:         identity.Credentials{SourcePrincipal: c.Principal},
		ProxyNormalizedPath: env.proxyNormalizes,
	}
	if r.Method == "" {
		r.Method = "GET"
	}
	d := eng.Check(context.Background(), r)
	return outcome{allow: d.Allowed(), code: d.Code, policies: d.Policies}
}

func lowerKeys(h map[string]string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[strings.ToLower(k)] = v
	}
	return out
}
