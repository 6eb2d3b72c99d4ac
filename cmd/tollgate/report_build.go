package main

import (
	"cmp"
	"maps"
	"slices"
	"time"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/decisionlog"
	"github.com/tollgate-authz/tollgate/policy"
)

// counts is how many times each principal did something.
type counts map[string]int

func (c counts) add(p string) {
	if p == "" {
		p = "(no identity)"
	}
	c[p]++
}

// reportBuilder tallies decision lines.
type reportBuilder struct {
	lines, otherSchema int
	used               map[string]map[string]bool // principal -> permits that determined its allows
	allowsBy           counts                     // permit -> allows determined
	exceptions         map[string]counts          // ticket -> principals
	forbids            map[string]counts          // forbid -> principals denied
	errors             map[[2]string]counts       // (policy, kind) -> principals
}

func newReportBuilder() *reportBuilder {
	return &reportBuilder{used: map[string]map[string]bool{}, allowsBy: counts{},
		exceptions: map[string]counts{}, forbids: map[string]counts{}, errors: map[[2]string]counts{}}
}

func (rb *reportBuilder) line(l *decisionlog.Line) error {
	if l.SchemaVersion != decisionlog.SchemaVersion {
		rb.otherSchema++
		return nil
	}
	rb.lines++
	if l.Principal != "" && rb.used[l.Principal] == nil {
		rb.used[l.Principal] = map[string]bool{}
	}
	if l.Allowed() && l.Code == string(policy.ReasonPermit) {
		for _, id := range l.Policies {
			rb.allowsBy[id]++
			if l.Principal != "" {
				rb.used[l.Principal][id] = true
			}
		}
		for _, t := range l.Exceptions {
			addTo(rb.exceptions, t, l.Principal)
		}
	}
	if l.Code == string(policy.ReasonForbid) {
		for _, id := range l.Policies {
			addTo(rb.forbids, id, l.Principal)
		}
	}
	for _, e := range l.EvalErrors {
		k := [2]string{e.Policy, e.Kind}
		if rb.errors[k] == nil {
			rb.errors[k] = counts{}
		}
		rb.errors[k].add(l.Principal)
	}
	return nil
}

func addTo(m map[string]counts, key, principal string) {
	if m[key] == nil {
		m[key] = counts{}
	}
	m[key].add(principal)
}

// result joins the tallies with the policies in force.
func (rb *reportBuilder) result(snap *policy.Snapshot, ents []types.Entity, from, until time.Time) *reportResult {
	r := &reportResult{From: from.UTC(), Until: until.UTC(), Decisions: rb.lines, OtherSchema: rb.otherSchema,
		UnusedPermits: []unusedPermit{}, UnusedGrants: []unusedGrants{}, PolicyVersion: snap.Version()}
	for _, m := range snap.Policies() {
		if m.Effect == policy.EffectPermit && rb.allowsBy[m.ID] == 0 {
			r.UnusedPermits = append(r.UnusedPermits, unusedPermit{Policy: m.ID, File: m.File, Line: m.Line})
		}
	}
	for _, p := range slices.Sorted(maps.Keys(rb.used)) {
		id, err := spiffeid.FromString(p)
		if err != nil {
			continue // the log holds only verified SPIFFE IDs
		}
		pe := authz.PrincipalEntity(identity.Identity{ID: id, Source: identity.SourcePrincipal})
		var unused []string
		for _, g := range snap.Grants(pe.UID, overlayEntities([]types.Entity{pe}, ents)...) {
			if !rb.used[p][g] {
				unused = append(unused, g)
			}
		}
		if len(unused) > 0 {
			r.UnusedGrants = append(r.UnusedGrants, unusedGrants{Principal: p, Policies: unused})
		}
	}
	r.Exceptions = byPrincipal(rb.exceptions, func(t string) string { return exceptionPolicy(snap, t) })
	r.Forbids = byPrincipal(rb.forbids, nil)
	r.EvalErrors = []evalErrorUse{}
	for _, k := range slices.SortedFunc(maps.Keys(rb.errors), cmpPair) {
		r.EvalErrors = append(r.EvalErrors, evalErrorUse{Policy: k[0], Kind: k[1], Principals: sortedCounts(rb.errors[k])})
	}
	return r
}

func cmpPair(a, b [2]string) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

// exceptionPolicy is the @id of the exception with ticket t, or "".
func exceptionPolicy(snap *policy.Snapshot, t string) string {
	for _, m := range snap.Policies() {
		if m.Exception != nil && m.Exception.Ticket == t {
			return m.ID
		}
	}
	return ""
}

func byPrincipal(m map[string]counts, policyOf func(string) string) []keyUse {
	out := []keyUse{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		u := keyUse{Key: k, Principals: sortedCounts(m[k])}
		if policyOf != nil {
			u.Policy = policyOf(k)
		}
		out = append(out, u)
	}
	return out
}

func sortedCounts(c counts) []principalCount {
	out := make([]principalCount, 0, len(c))
	for _, p := range slices.Sorted(maps.Keys(c)) {
		out = append(out, principalCount{Principal: p, Count: c[p]})
	}
	return out
}
