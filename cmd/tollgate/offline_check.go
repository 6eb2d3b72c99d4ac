package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// offlineFlags are the check flags that explain a decision locally.
type offlineFlags struct {
	enabled  bool
	explain  bool
	policies string
	pf       policyFlags
}

func (o *offlineFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.enabled, "offline", false, "decide locally against --policies and --manifest (no server)")
	fs.BoolVar(&o.explain, "explain", false, "with --offline: say why (near-miss permits, the principal's ancestors, nearest routes, evaluation errors)")
	fs.StringVar(&o.policies, "policies", "", "policy directory or bundle archive (with --offline; default: the config's policy.dir)")
	o.pf.register(fs)
}

// runOfflineCheck runs the request through the same engine, manifest
// matching and Cedar mapping as serve, and explains the decision.
func runOfflineCheck(f *checkFlags, stdout, stderr io.Writer) int {
	src, err := policySource(f.offline.policies, f.offline.pf.config)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate check --offline:", err)
		return exitError
	}
	env, err := loadOffline(src, &f.offline.pf)
	if err != nil {
		printErrors(stderr, "tollgate check --offline", err)
		return exitError
	}
	r, err := f.authzRequest()
	if err != nil {
		fmt.Fprintln(stderr, "tollgate check --offline:", err)
		return exitError
	}
	// An --ext no signal reads is ignored by Tollgate: the decision would
	// not be about the request the user meant.
	if msgs := env.unknownExtensions(r.ContextExtensions); len(msgs) > 0 {
		for _, m := range msgs {
			fmt.Fprintln(stderr, "tollgate check --offline: --ext:", m)
		}
		return exitError
	}
	r.ProxyNormalizedPath = env.proxyNormalizes()
	rec := &recorder{snap: env.snap}
	eng, err := env.engine(rec)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate check --offline:", err)
		return exitError
	}
	d := eng.Check(context.Background(), r)
	if f.output.json() {
		res := decisionResult(&d)
		printJSON(stdout, res)
		return res.exit()
	}
	explain(stdout, rec, &d, env.secrets())
	if f.offline.explain {
		env.why(stdout, rec, &d, r)
	}
	if d.Allowed() {
		return exitOK
	}
	return exitDenied
}

func (f *checkFlags) authzRequest() (*authz.Request, error) {
	cr, err := f.checkRequest()
	if err != nil {
		return nil, err
	}
	h := cr.GetAttributes().GetRequest().GetHttp()
	return &authz.Request{
		Method: h.GetMethod(), Path: h.GetPath(), Host: h.GetHost(), Scheme: h.GetScheme(),
		Headers: h.GetHeaders(), SourceAddress: f.source, TLS: true, ContentLength: -1,
		Credentials:       identity.Credentials{SourcePrincipal: f.spiffeID},
		ContextExtensions: cr.GetAttributes().GetContextExtensions(),
		Body:              []byte(h.GetBody()),
	}, nil
}

// explain prints the Cedar request built, the decision, the determining
// policies and any evaluation errors.
func explain(w io.Writer, rec *recorder, d *authz.Decision, secrets map[string]bool) {
	if rec.req != nil {
		fmt.Fprintln(w, "cedar request:")
		fmt.Fprintf(w, "  principal: %s\n", rec.req.Principal)
		for _, e := range rec.extra {
			if e.UID == rec.req.Principal {
				fmt.Fprintf(w, "    attributes: %s\n", marshal(e.Attributes))
			}
		}
		fmt.Fprintf(w, "  action:    %s\n", rec.req.Action)
		fmt.Fprintf(w, "  resource:  %s\n", rec.req.Resource)
		fmt.Fprintf(w, "  context:   %s\n", marshal(redact(rec.req.Context, secrets)))
	} else {
		fmt.Fprintln(w, "cedar request: none (decided before evaluation)")
	}
	verdict := "DENY"
	if d.Allowed() {
		verdict = "ALLOW"
	}
	fmt.Fprintf(w, "decision: %s code=%s reason=%q\n", verdict, d.Code, d.Detail)
	fmt.Fprintf(w, "determining policies: [%s]\n", strings.Join(d.Policies, ","))
	if len(d.Exceptions) > 0 {
		fmt.Fprintf(w, "exceptions: [%s]\n", strings.Join(d.Exceptions, ","))
	}
	fmt.Fprintf(w, "policy version: %s\n", d.PolicyVersion)
}

func marshal(r types.Record) string {
	b, err := r.MarshalJSON()
	if err != nil {
		return "(unprintable)"
	}
	return string(b)
}

// printErrors prints each joined error on its own line.
func printErrors(w io.Writer, prefix string, err error) {
	for _, e := range flattenErrs(err) {
		fmt.Fprintf(w, "%s: %v\n", prefix, e)
	}
}

// flattenErrs splits errors.Join results (not errors that merely wrap
// several sentinels) into their parts.
func flattenErrs(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	parts := j.Unwrap()
	msgs := make([]string, len(parts))
	for i, e := range parts {
		msgs[i] = e.Error()
	}
	if err.Error() != strings.Join(msgs, "\n") {
		return []error{err}
	}
	var out []error
	for _, e := range parts {
		out = append(out, flattenErrs(e)...)
	}
	return out
}
