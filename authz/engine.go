package authz

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/policy"
)

// Identifier verifies the credentials a proxy forwarded. identity.Verifier
// implements it.
type Identifier interface {
	Verify(ctx context.Context, c identity.Credentials) (identity.Identity, error)
}

// Policies are IAM's policies in force. policy.Store (fed by a
// policy.Source) and policy.Snapshot implement it.
type Policies interface {
	// Evaluate evaluates a Cedar request, with extra entities (the
	// principal and resource built by the Engine) overlaid on IAM's
	// entity data.
	Evaluate(req cedar.Request, extra ...types.Entity) policy.Decision
	// Version is the version of the policies in force ("" with none). The
	// engine names it in decisions made before any evaluation, so every
	// decision is attributable.
	Version() string
}

var (
	_ Policies = (*policy.Store)(nil)
	_ Policies = (*policy.Snapshot)(nil)
)

// Config configures an Engine.
type Config struct {
	Identifier Identifier         // required
	Policies   Policies           // required
	Manifest   *manifest.Manifest // required; replace later with SetManifest
	// Shadow, when set, is a candidate policy set each request is also
	// evaluated against. Its answer is never acted on: disagreements with
	// Policies are counted and logged (see shadow.go).
	Shadow Policies
	// Signals are runtime values copied into the Cedar context.
	Signals []Signal
	// JWTClaims are the JWT-SVID claims copied into context.jwt.
	JWTClaims []string
	// Delegation enables subject tokens (the party a workload acts for);
	// nil ignores them.
	Delegation *Delegation
	// DecisionLog receives the decision log: one INFO line per Check. nil
	// discards it. It is the decision-log output, not a diagnostic logger.
	DecisionLog *slog.Logger
	// Tail, when set, receives a summary of every decision (the admin
	// page's live tail). nil costs nothing.
	Tail DecisionTail
	// Registerer receives the decision metrics. nil leaves them
	// unregistered.
	Registerer prometheus.Registerer
	// Clock gives the request time when Request.Time is zero. nil means
	// time.Now.
	Clock func() time.Time
}

// Engine decides requests: it verifies the caller's identity, normalises
// the path, matches a manifest route, maps the request to Cedar and asks
// the policies. It is safe for concurrent use.
type Engine struct {
	identifier Identifier
	policies   Policies
	shadow     *shadow // nil: no shadow policies
	manifest   atomic.Pointer[manifest.Manifest]
	// queryShapes caches what a Query may name for the manifest in use.
	queryShapes atomic.Pointer[queryShape]
	mapper      mapper
	deleg       *Delegation
	log         *slog.Logger
	metrics     *metrics
	// decisionTail is Config.Tail; nil when none.
	decisionTail DecisionTail
	// drift is the pinned MCP tools seen drifted (mcp_drift.go).
	drift        driftSet
	driftMetrics *driftMetrics
	clock        func() time.Time
	idPrefix     string
	seq          atomic.Uint64
	lineAttrs    attrPool // decision lines' attribute lists
}

// NewEngine validates cfg and builds an Engine.
func NewEngine(cfg Config) (*Engine, error) {
	switch {
	case cfg.Identifier == nil:
		return nil, wrap(fmt.Errorf("%w: Identifier is required", ErrConfig))
	case cfg.Policies == nil:
		return nil, wrap(fmt.Errorf("%w: Policies is required", ErrConfig))
	case cfg.Manifest == nil:
		return nil, wrap(fmt.Errorf("%w: Manifest is required", ErrConfig))
	}
	sigs, err := validateSignals(cfg.Signals)
	if err != nil {
		return nil, wrap(fmt.Errorf("%w: %w", ErrConfig, err))
	}
	deleg, err := validateDelegation(cfg.Delegation, cfg.Policies)
	if err != nil {
		return nil, wrap(fmt.Errorf("%w: %w", ErrConfig, err))
	}
	e := &Engine{
		identifier:   cfg.Identifier,
		policies:     cfg.Policies,
		deleg:        deleg,
		mapper:       mapper{signals: sigs, claims: append([]string(nil), cfg.JWTClaims...)},
		log:          cfg.DecisionLog,
		clock:        cfg.Clock,
		decisionTail: cfg.Tail,
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler) // Enabled is false: no line is built
	}
	if e.clock == nil {
		e.clock = time.Now
	}
	if e.idPrefix, err = newIDPrefix(); err != nil {
		return nil, wrap(err)
	}
	if e.metrics, err = newMetrics(cfg.Registerer); err != nil {
		return nil, wrap(err)
	}
	if e.driftMetrics, err = newDriftMetrics(cfg.Registerer); err != nil {
		e.metrics.unregister(cfg.Registerer)
		return nil, wrap(err)
	}
	if e.shadow, err = newShadow(cfg.Shadow, cfg.Registerer); err != nil {
		e.metrics.unregister(cfg.Registerer)
		e.driftMetrics.unregister(cfg.Registerer)
		return nil, wrap(err)
	}
	if deleg != nil {
		e.mapper.subjectClaims = append([]string(nil), deleg.Claims...)
		e.mapper.txn = deleg.Txn.context()
	}
	e.manifest.Store(cfg.Manifest)
	return e, nil
}

// SetManifest atomically replaces the manifest; checks in flight finish
// with the old one. A nil manifest has no routes, so every request is
// denied with "no_route".
func (e *Engine) SetManifest(m *manifest.Manifest) {
	if m == nil {
		m = manifest.Empty()
	}
	e.manifest.Store(m)
}

// Manifest returns the manifest in use.
func (e *Engine) Manifest() *manifest.Manifest { return e.manifest.Load() }

func newIDPrefix() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("decision id prefix: %w", err)
	}
	return hex.EncodeToString(b[:]) + "-", nil
}

// nextID is a per-engine random prefix plus a counter: unique and cheap.
func (e *Engine) nextID() string {
	buf := make([]byte, 0, len(e.idPrefix)+16)
	buf = append(buf, e.idPrefix...)
	return string(strconv.AppendUint(buf, e.seq.Add(1), 36))
}
