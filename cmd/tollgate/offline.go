package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/server"
	"github.com/tollgate-authz/tollgate/internal/suggest"
	"github.com/tollgate-authz/tollgate/policy"
)

// policyFlags are the flags validate, test and check --offline share.
type policyFlags struct {
	manifests multiFlag
	config    string
	window    time.Duration
}

func (p *policyFlags) register(fs *flag.FlagSet) {
	fs.Var(&p.manifests, "manifest", "app-team manifest file or directory (repeatable)")
	fs.StringVar(&p.config, "config", "", "tollgate.yaml to take signals, JWT claims and (without --manifest) manifests from")
	fs.DurationVar(&p.window, "max-exception-window", 0, "longest an exception may be approved for (0: no limit)")
}

// offlineEnv is a loaded policy directory and manifests, checked together
// exactly as serve checks them.
type offlineEnv struct {
	snap     *policy.Snapshot
	manifest *manifest.Manifest // nil when no manifest was given
	signals  []authz.Signal
	claims   []string
	deleg    *authz.DelegationContext // identity.delegation's context, for the policy checks
	check    authz.PolicyCheck        // what the snapshot was checked against
	cfg      *config.Config           // nil without --config
	warnings []error                  // the policy checks' warnings (CheckPoliciesWarnings)
}

// loadOffline loads dir and the manifests and checks them against each
// other. The error lists every problem.
func loadOffline(dir string, pf *policyFlags) (*offlineEnv, error) {
	env := &offlineEnv{}
	manifests := []string(pf.manifests)
	allowEmpty, requireSchema := false, false
	if pf.config != "" {
		cfg, err := config.Load(pf.config)
		if err != nil {
			return nil, inputsFailed(err, "config "+pf.config)
		}
		env.cfg = cfg
		requireSchema = cfg.Policy.RequireSchema
		for _, s := range cfg.Signals {
			env.signals = append(env.signals, authz.Signal(s))
		}
		if cfg.Identity.JWT != nil {
			env.claims = cfg.Identity.JWT.Claims
		}
		env.deleg = server.DelegationContext(cfg.Identity.Delegation)
		if pf.window == 0 {
			pf.window = cfg.Policy.MaxExceptionWindow
		}
		allowEmpty = cfg.Policy.AllowEmpty
		if len(manifests) == 0 {
			manifests = cfg.Manifests
		}
	}
	snap, perr := loadSource(dir, policy.Options{MaxExceptionWindow: pf.window, AllowEmpty: allowEmpty})
	var merr error
	if len(manifests) > 0 {
		env.manifest, merr = manifest.LoadAll(manifests...)
	}
	if err := errors.Join(perr, merr); err != nil {
		return nil, inputsFailed(err, failedName(perr, "policies "+dir), failedName(merr, "manifests"))
	}
	env.snap = snap
	env.check = authz.PolicyCheck{Manifest: env.manifest, Signals: env.signals, JWTClaims: env.claims,
		Delegation: env.deleg, NoConfig: pf.config == "", RequireSchema: requireSchema}
	warnings, err := authz.CheckPoliciesWarnings(snap, env.check)
	if err != nil {
		return nil, inputsFailed(err, checkBlame(err, dir, env.manifest)...)
	}
	env.warnings = warnings
	return env, nil
}

// policyWarnings are the policy checks' warnings, one line each
// ("warning: file:line:col: policy @id(...): ...").
func (env *offlineEnv) policyWarnings() []string {
	out := make([]string, 0, len(env.warnings))
	for _, w := range env.warnings {
		out = append(out, "warning: "+strings.TrimPrefix(w.Error(), "policy: "))
	}
	return out
}

// trustedID is the offline Identifier: it believes the SPIFFE ID given as
// the source principal. Only for offline tools; serve never uses it.
type trustedID struct{}

func (trustedID) Verify(_ context.Context, c identity.Credentials) (identity.Identity, error) {
	id, err := spiffeid.FromString(c.SourcePrincipal)
	if err != nil {
		return identity.Identity{}, &identity.Error{Reason: identity.ReasonMalformed, Err: err}
	}
	return identity.Identity{ID: id, Source: identity.SourcePrincipal}, nil
}

// recorder evaluates against a snapshot and keeps the Cedar request the
// engine built, so offline tools can show it.
type recorder struct {
	snap     *policy.Snapshot
	add      []types.Entity // a test case's own entities
	req      *cedar.Request
	extra    []types.Entity
	decision policy.Decision
}

func (r *recorder) Evaluate(req cedar.Request, extra ...types.Entity) policy.Decision {
	extra = overlayEntities(extra, r.add)
	r.req, r.extra = &req, extra
	r.decision = r.snap.Evaluate(req, extra...)
	return r.decision
}

func (r *recorder) Version() string { return r.snap.Version() }

// engine builds an authz.Engine over the environment, as serve does.
func (env *offlineEnv) engine(rec *recorder) (*authz.Engine, error) {
	if env.manifest == nil {
		return nil, errors.New("an HTTP request needs a manifest: pass --manifest")
	}
	return authz.NewEngine(authz.Config{
		Identifier: trustedID{}, Policies: rec, Manifest: env.manifest,
		Signals: env.signals, JWTClaims: env.claims,
	})
}

// shape is the shape of the requests Tollgate builds with this config and
// these manifests.
func (env *offlineEnv) shape() *policy.Shape { return authz.ContextShape(env.check) }

// unknownExtensions explains each context extension key that no configured
// signal reads: Tollgate ignores it, so a test or check that sets it
// proves nothing. Without --config no signal reads any.
func (env *offlineEnv) unknownExtensions(exts map[string]string) []string {
	var known []string
	for _, s := range env.signals {
		if s.From == authz.FromContextExtension {
			known = append(known, s.Key)
		}
	}
	var msgs []string
	for _, k := range slices.Sorted(maps.Keys(exts)) {
		if !slices.Contains(known, k) {
			msgs = append(msgs, fmt.Sprintf("context extension %q is read by no signal in the config%s; signals read %v",
				k, suggest.Hint(k, known), known))
		}
	}
	return msgs
}

// proxyNormalizes is the config's listen.proxy_normalizes_path, so that the
// offline tools read paths as serve's gRPC listener does.
func (env *offlineEnv) proxyNormalizes() bool {
	return env.cfg != nil && env.cfg.Listen.ProxyNormalizesPath
}
