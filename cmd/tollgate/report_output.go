package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// reportResult is the access review; --output json prints it as is.
type reportResult struct {
	From          time.Time      `json:"from"`
	Until         time.Time      `json:"until"`
	PolicyVersion string         `json:"policy_version"`
	Decisions     int            `json:"decisions"`
	OtherSchema   int            `json:"other_schema_lines"` // not read: another schema_version
	UnusedPermits []unusedPermit `json:"unused_permits"`
	UnusedGrants  []unusedGrants `json:"unused_grants"`
	Exceptions    []keyUse       `json:"exceptions_used"`
	Forbids       []keyUse       `json:"forbids_fired"`
	EvalErrors    []evalErrorUse `json:"eval_errors"`
}

type unusedPermit struct {
	Policy string `json:"policy"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

type unusedGrants struct {
	Principal string   `json:"principal"`
	Policies  []string `json:"policies"`
}

// keyUse is an exception ticket (with its policy) or a forbid, and the
// principals it applied to.
type keyUse struct {
	Key        string           `json:"key"`
	Policy     string           `json:"policy,omitempty"`
	Principals []principalCount `json:"principals"`
}

type evalErrorUse struct {
	Policy     string           `json:"policy"`
	Kind       string           `json:"kind"`
	Principals []principalCount `json:"principals"`
}

type principalCount struct {
	Principal string `json:"principal"`
	Count     int    `json:"count"`
}

func (r *reportResult) printText(w io.Writer) {
	fmt.Fprintf(w, "access review %s .. %s: %d decisions, policy version %s\n",
		r.From.Format(time.RFC3339), r.Until.Format(time.RFC3339), r.Decisions, r.PolicyVersion)
	if r.OtherSchema > 0 {
		fmt.Fprintf(w, "  %d lines of another schema_version were not read\n", r.OtherSchema)
	}
	fmt.Fprintf(w, "\npermits that determined no allow: %d\n", len(r.UnusedPermits))
	for _, p := range r.UnusedPermits {
		fmt.Fprintf(w, "  %s (%s:%d)\n", p.Policy, p.File, p.Line)
	}
	fmt.Fprintf(w, "\nprincipals holding grants they never used: %d\n", len(r.UnusedGrants))
	for _, g := range r.UnusedGrants {
		fmt.Fprintf(w, "  %s: [%s]\n", g.Principal, strings.Join(g.Policies, ", "))
	}
	printUses(w, "exceptions used", r.Exceptions)
	printUses(w, "forbids that fired", r.Forbids)
	fmt.Fprintf(w, "\npolicies with evaluation errors: %d\n", len(r.EvalErrors))
	for _, e := range r.EvalErrors {
		fmt.Fprintf(w, "  %s (%s): %s\n", e.Policy, e.Kind, countsText(e.Principals))
	}
}

func printUses(w io.Writer, title string, uses []keyUse) {
	fmt.Fprintf(w, "\n%s: %d\n", title, len(uses))
	for _, u := range uses {
		name := u.Key
		if u.Policy != "" {
			name += " (" + u.Policy + ")"
		}
		fmt.Fprintf(w, "  %s: %s\n", name, countsText(u.Principals))
	}
}

func countsText(ps []principalCount) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s ×%d", p.Principal, p.Count)
	}
	return strings.Join(parts, ", ")
}
