package authzen

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/x509svid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
)

// The specification's default paths.
const (
	EvaluationPath  = "/access/v1/evaluation"
	EvaluationsPath = "/access/v1/evaluations"
	MetadataPath    = "/.well-known/authzen-configuration"
)

// Defaults for Options.
const (
	DefaultMaxBodyBytes   = 1 << 20
	DefaultMaxEvaluations = 100
)

// Evaluator decides one query; *authz.Engine implements it.
type Evaluator interface {
	Evaluate(ctx context.Context, q *authz.Query) authz.Decision
}

var _ Evaluator = (*authz.Engine)(nil)

// Options configures a Handler.
type Options struct {
	// PDP is the policy decision point identifier: an https URL with no
	// query or fragment, published in the metadata. Required.
	PDP string
	// AllowedCallers are the enforcement points that may ask. Required.
	AllowedCallers []spiffeid.ID
	// Subjects scopes callers: one in the map may assert only subjects
	// its patterns match; one not in it, any subject of the accepted
	// trust domains. Every key must be in AllowedCallers.
	Subjects map[spiffeid.ID][]identity.IDPattern
	// MaxBodyBytes bounds a request body (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxEvaluations bounds an evaluations array (default DefaultMaxEvaluations).
	MaxEvaluations int
	// Logger receives operational messages; nil discards them.
	Logger *slog.Logger
}

// Handler serves the AuthZEN endpoints. It must be served on a listener
// made with TLSConfig, which verifies the client's X.509-SVID against
// Tollgate's trust bundles; the handler reads the caller's SPIFFE ID from
// it and refuses (again) a caller not in AllowedCallers.
type Handler struct {
	eval     Evaluator
	opts     Options
	metadata []byte
}

// NewHandler validates opts and builds a Handler.
func NewHandler(eval Evaluator, opts Options) (*Handler, error) {
	if eval == nil {
		return nil, wrap(errors.Join(ErrConfig, errors.New("an Evaluator is required")))
	}
	u, err := url.Parse(opts.PDP)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, wrap(errors.Join(ErrConfig, errors.New("PDP must be an https URL with a host and no query or fragment")))
	}
	if len(opts.AllowedCallers) == 0 {
		return nil, wrap(errors.Join(ErrConfig, errors.New("AllowedCallers must name at least one enforcement point")))
	}
	if err := checkSubjects(opts.AllowedCallers, opts.Subjects); err != nil {
		return nil, wrap(err)
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxEvaluations <= 0 {
		opts.MaxEvaluations = DefaultMaxEvaluations
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	opts.AllowedCallers = slices.Clone(opts.AllowedCallers)
	opts.Subjects = cloneSubjects(opts.Subjects)
	base := strings.TrimSuffix(opts.PDP, "/")
	md, err := json.Marshal(map[string]string{
		"policy_decision_point":       opts.PDP,
		"access_evaluation_endpoint":  base + EvaluationPath,
		"access_evaluations_endpoint": base + EvaluationsPath,
	})
	if err != nil {
		return nil, wrap(err)
	}
	return &Handler{eval: eval, opts: opts, metadata: md}, nil
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if id := r.Header.Get("X-Request-ID"); id != "" {
		w.Header().Set("X-Request-ID", id) // the specification: echo it
	}
	caller, status, msg := h.caller(r)
	if status != 0 {
		writeError(w, status, msg)
		return
	}
	switch r.URL.Path {
	case MetadataPath:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "use GET")
			return
		}
		writeJSON(w, h.metadata)
	case EvaluationPath, EvaluationsPath:
		h.evaluate(w, r, caller)
	default:
		writeError(w, http.StatusNotFound, "not an AuthZEN endpoint: use "+EvaluationPath+", "+EvaluationsPath+" or "+MetadataPath)
	}
}

// caller is the verified SPIFFE ID of the enforcement point, or the
// status and message of a refusal.
// The listener (TLSConfig) verified the chain against the trust bundles.
func (h *Handler) caller(r *http.Request) (spiffeid.ID, int, string) {
	if r.TLS == nil || !r.TLS.HandshakeComplete || len(r.TLS.PeerCertificates) == 0 {
		return spiffeid.ID{}, http.StatusUnauthorized, "an X.509-SVID client certificate is required"
	}
	id, err := x509svid.IDFromCert(r.TLS.PeerCertificates[0])
	if err != nil {
		return spiffeid.ID{}, http.StatusUnauthorized, "the client certificate is not an X.509-SVID"
	}
	if !slices.Contains(h.opts.AllowedCallers, id) {
		return spiffeid.ID{}, http.StatusForbidden, "enforcement point " + id.String() + " is not in authzen.allowed_callers"
	}
	return id, 0, ""
}

func (h *Handler) evaluate(w http.ResponseWriter, r *http.Request, caller spiffeid.ID) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusBadRequest, "Content-Type must be application/json")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	if err != nil {
		writeError(w, http.StatusBadRequest, "the body could not be read or is larger than the limit")
		return
	}
	var b *Batch
	if r.URL.Path == EvaluationPath {
		b, err = ParseEvaluation(body)
	} else {
		b, err = parseEvaluations(body, h.opts.MaxEvaluations, h.opts.MaxBodyBytes)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "authzen: bad request: "))
		return
	}
	out := h.run(r.Context(), b, caller, strings.Join(r.Header.Values("Traceparent"), ","))
	var resp any = Evaluations{Evaluations: out}
	if b.Single {
		resp = out[0]
	}
	data, err := json.Marshal(resp)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	writeJSON(w, data)
}

// run evaluates the batch in order, stopping where the semantic says.
// Every evaluation carries the request's traceparent header.
func (h *Handler) run(ctx context.Context, b *Batch, caller spiffeid.ID, traceparent string) []Decision {
	out := make([]Decision, 0, len(b.Queries))
	for i := range b.Queries {
		q := &b.Queries[i]
		q.Caller = caller
		q.Subjects = h.opts.Subjects[caller]
		q.TraceParent = traceparent
		d := h.eval.Evaluate(ctx, q)
		out = append(out, decision(&d))
		if stop(b.Semantic, out[len(out)-1].Decision) {
			break
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, data []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// writeError answers with the specification's error form: a status and
// an error message string.
func writeError(w http.ResponseWriter, status int, msg string) {
	data, _ := json.Marshal(msg)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}
