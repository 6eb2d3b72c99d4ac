package authz

import (
	"log/slog"
	"slices"

	"github.com/cedar-policy/cedar-go/types"
)

// Context keys the decision log never holds the value of.
const (
	redactedJWT     = "jwt"           // JWT-SVID claims: opt-in, and personal data
	redactedMCPArgs = "mcp.arguments" // the MCP request body's tool arguments
)

// contextAttrs returns the "context" and "context_redacted" attributes:
// the Cedar context the policies saw, as Cedar JSON (replay reads it back
// with types.Record.UnmarshalJSON; invalid UTF-8 is written as U+FFFD, as
// everywhere in the line), without the values of secret signals,
// JWT claims and MCP tool arguments, whose keys are listed in
// context_redacted instead. A decision made before a Cedar request existed
// logs an empty context.
func (e *Engine) contextAttrs(ctx types.Record) []slog.Attr {
	logged, redacted := e.redactContext(ctx)
	return []slog.Attr{
		slog.Any("context", cedarJSON{logged}),
		slog.Any("context_redacted", redacted),
	}
}

// redactContext drops the values the decision log must not hold, and
// names them, sorted.
func (e *Engine) redactContext(ctx types.Record) (types.Record, []string) {
	redacted := []string{}
	if ctx.Len() == 0 {
		return ctx, redacted
	}
	out := make(types.RecordMap, ctx.Len())
	for k, v := range ctx.All() {
		switch {
		case k == redactedJWT || e.mapper.secret(string(k)):
			redacted = append(redacted, string(k))
			continue
		case k == "mcp":
			if m, ok := v.(types.Record); ok {
				if _, has := m.Get("arguments"); has {
					mm := m.Map()
					delete(mm, "arguments")
					v = types.NewRecord(mm)
					redacted = append(redacted, redactedMCPArgs)
				}
			}
		}
		out[k] = v
	}
	if len(redacted) == 0 {
		return ctx, redacted
	}
	slices.Sort(redacted)
	return types.NewRecord(out), redacted
}

// secret reports whether the context key name holds a secret signal.
func (m *mapper) secret(name string) bool {
	for i := range m.signals {
		if m.signals[i].Secret && m.signals[i].Name == name {
			return true
		}
	}
	return false
}
