package authz

import (
	"log/slog"
	"slices"

	"github.com/cedar-policy/cedar-go/types"
)

// redactedMCPArgs names the MCP request body's tool arguments, dropped
// from context.mcp.
const redactedMCPArgs = "mcp.arguments"

// contextAttrs returns the "context" and "context_redacted" attributes:
// the Cedar context the policies saw, as Cedar JSON (replay reads it back
// with types.Record.UnmarshalJSON; invalid UTF-8 is written as U+FFFD, as
// everywhere in the line), without the values loggedKey refuses and MCP
// tool arguments, whose keys are listed in context_redacted instead. A
// decision made before a Cedar request existed logs an empty context.
func (e *Engine) contextAttrs(ctx types.Record) []slog.Attr {
	logged, redacted := e.redactContext(ctx)
	return []slog.Attr{
		slog.Any("context", logged),
		slog.Any("context_redacted", redacted),
	}
}

// redactContext returns ctx as the log writes it, without the values the
// decision log must not hold, and names those, sorted. Nothing is copied:
// the encoder skips them (an MCP context would otherwise rebuild and
// re-hash two records per Check just to drop its arguments).
func (e *Engine) redactContext(ctx types.Record) (cedarJSON, []string) {
	redacted := e.redactedKeys(ctx)
	if len(redacted) == 0 { // the common case: log ctx as it is
		return cedarJSON{rec: ctx}, redacted
	}
	return cedarJSON{rec: ctx, skip: e.notLogged}, redacted
}

// notLogged is the encoder's filter of the top-level context keys; under
// "mcp" it drops the arguments (redactedMCPArgs).
func (e *Engine) notLogged(k types.String) bool { return !e.loggedKey(string(k)) }

// redactedKeys names, sorted, the context values the decision log must
// not hold. It allocates only when there are some.
func (e *Engine) redactedKeys(ctx types.Record) []string {
	redacted := []string{}
	for k, v := range ctx.All() {
		switch {
		case !e.loggedKey(string(k)):
			redacted = append(redacted, string(k))
		case k == "mcp":
			if m, ok := v.(types.Record); ok {
				if _, has := m.Get("arguments"); has {
					redacted = append(redacted, redactedMCPArgs)
				}
			}
		}
	}
	slices.Sort(redacted)
	return redacted
}

// loggedKey reports whether the value of context key k may be logged:
// the request attributes the mapper sets, the delegation chain (already on
// the line as subject and delegation), a Txn-Token's txn id and scope,
// context.mcp (its arguments are
// dropped separately) and signals not marked secret. Anything else — JWT
// claims (jwt), the delegated subject's claims (subject), a secret signal,
// a key added later — is withheld and named: the log fails closed.
func (e *Engine) loggedKey(k string) bool {
	switch k {
	case "method", "path", "host", "scheme", "source_address", "time", "tls", "enforcement_point",
		"on_behalf_of", "delegation", "delegation_length", "txn_id", "txn_scope", "mcp":
		return true
	}
	for i := range e.mapper.signals {
		if e.mapper.signals[i].Name == k {
			return !e.mapper.signals[i].Secret
		}
	}
	return false
}
