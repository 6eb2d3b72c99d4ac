package authz

import (
	"bytes"
	"context"
	"fmt"
	"github.com/tollgate-authz/tollgate/internal/jsonw"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go/types"
)

// redactedCopy is the decision log's redaction written the plain way: a
// copy of ctx without the keys loggedKey refuses and without
// mcp.arguments. redactContext must encode exactly what cedarJSON writes
// for this copy.
func redactedCopy(e *Engine, ctx types.Record) types.Record {
	out := make(types.RecordMap, ctx.Len())
	for k, v := range ctx.All() {
		if !e.loggedKey(string(k)) {
			continue
		}
		if m, ok := v.(types.Record); ok && k == "mcp" {
			mm := m.Map()
			delete(mm, "arguments")
			v = types.NewRecord(mm)
		}
		out[k] = v
	}
	return types.NewRecord(out)
}

// sameRedaction fails unless redactContext writes the bytes the copy
// does, and names the keys it dropped.
func sameRedaction(t *testing.T, e *Engine, ctx types.Record) {
	t.Helper()
	logged, redacted := e.redactContext(ctx)
	got := logged.AppendJSON(nil)
	want := cedarJSON{rec: redactedCopy(e, ctx)}.AppendJSON(nil)
	if !bytes.Equal(got, want) {
		t.Fatalf("redacted context\n got %s\nwant %s", got, want)
	}
	if len(redacted) == 0 && !bytes.Equal(got, cedarJSON{rec: ctx}.AppendJSON(nil)) {
		t.Fatalf("nothing redacted, but %s differs from the context", got)
	}
	_, hasMCPArgs := mcpArguments(ctx)
	for _, k := range redacted {
		if k == redactedMCPArgs && !hasMCPArgs || k != redactedMCPArgs && e.loggedKey(k) {
			t.Fatalf("redacted names %q, which was logged", k)
		}
	}
}

func mcpArguments(ctx types.Record) (types.Value, bool) {
	if m, ok := ctx.Get("mcp"); ok {
		if r, ok := m.(types.Record); ok {
			return r.Get("arguments")
		}
	}
	return nil, false
}

func TestRedactedContextMatchesCopy(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	e.mapper.signals = []Signal{{Name: "risk", Type: TypeLong}, {Name: "token", Type: TypeString, Secret: true}}
	rec := func(kv ...any) types.Record {
		m := types.RecordMap{}
		for i := 0; i < len(kv); i += 2 {
			m[types.String(kv[i].(string))] = kv[i+1].(types.Value)
		}
		return types.NewRecord(m)
	}
	args := rec("repo", types.String("acme/web"), "__extn", types.Long(1), "mcp", rec("arguments", types.Long(2)))
	now := types.NewDatetime(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	for name, ctx := range map[string]types.Record{
		"empty":              rec(),
		"plain route":        rec("method", types.String("GET"), "path", types.String("/o"), "time", now, "risk", types.Long(3)),
		"secret signal":      rec("path", types.String("/o"), "token", types.String("s3cret"), "jwt", rec("sub", types.String("x"))),
		"mcp with arguments": rec("path", types.String("/mcp"), "mcp", rec("tool", types.String("t"), "arguments", args)),
		"mcp empty args":     rec("mcp", rec("tool", types.String("t"), "arguments", rec())),
		"mcp no arguments":   rec("mcp", rec("method", types.String("ping"))),
		"mcp not a record":   rec("mcp", types.String("x"), "jwt", rec()),
		"reserved logged":    rec("mcp", rec("__entity", types.Long(1), "arguments", args)),
		"reserved withheld":  rec("__extn", types.Long(1), "mcp", rec("arguments", args)),
		"nested mcp":         rec("delegation", rec("mcp", rec("arguments", types.Long(1))), "jwt", rec()),
	} {
		t.Run(name, func(t *testing.T) { sameRedaction(t, e, ctx) })
	}
}

// FuzzRedactedContext builds contexts from fuzzed keys and values, at the
// top level, under mcp and under mcp.arguments.
func FuzzRedactedContext(f *testing.F) {
	f.Add("path", "mcp", "arguments", "__extn", "v", int64(1), uint8(0))
	f.Add("token", "tool", "__entity", "mcp", "\xff", int64(-1), uint8(7))
	f.Add("jwt", "arguments", "repo", "path", "", int64(0), uint8(3))
	e := newTestEngine(f, ordersPolicies(f))
	e.mapper.signals = []Signal{{Name: "risk", Type: TypeLong}, {Name: "token", Type: TypeString, Secret: true}}
	f.Fuzz(func(t *testing.T, top, inMCP, inArgs, other, s string, n int64, shape uint8) {
		args := types.NewRecord(types.RecordMap{types.String(inArgs): types.String(s), "n": types.Long(n)})
		mcpRec := types.RecordMap{types.String(inMCP): types.String(s)}
		if shape&1 != 0 {
			mcpRec["arguments"] = args
		}
		ctx := types.RecordMap{types.String(top): types.Long(n), types.String(other): args}
		switch shape >> 1 & 3 {
		case 0:
			ctx["mcp"] = types.NewRecord(mcpRec)
		case 1:
			ctx["mcp"] = types.String(s)
		case 2:
			ctx[types.String(other)] = types.NewRecord(types.RecordMap{"mcp": types.NewRecord(mcpRec)})
		}
		sameRedaction(t, e, types.NewRecord(ctx))
	})
}

// TestRedactedContextAnyHandler: whatever handler writes the decision log
// (JSON, text, or fmt's %v of the attribute), the withheld values are not
// in it: the redaction is in the encoder, so every route to text goes
// through it.
func TestRedactedContextAnyHandler(t *testing.T) {
	e := newTestEngine(t, ordersPolicies(t))
	e.mapper.signals = []Signal{{Name: "token", Type: TypeString, Secret: true}}
	ctx := types.NewRecord(types.RecordMap{"path": types.String("/mcp"), "token": types.String("s3cret-signal"),
		"mcp": types.NewRecord(types.RecordMap{"tool": types.String("t"),
			"arguments": types.NewRecord(types.RecordMap{"password": types.String("s3cret-arg")})})})
	attrs := e.appendContextAttrs(nil, ctx)
	var buf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil), jsonw.NewHandler(&buf, nil)} {
		slog.New(h).LogAttrs(context.Background(), slog.LevelInfo, "decision", attrs...)
	}
	c := attrs[0].Value.Any()
	fmt.Fprintf(&buf, "%v %+v %s %#v %q", c, c, c, c, c)
	if out := buf.String(); strings.Contains(out, "s3cret") || !strings.Contains(out, "/mcp") {
		t.Fatalf("logged:\n%s", out)
	}
}
