package ocsf

import (
	"encoding/json"
	"log/slog"
	"math"
	"net/netip"
	"time"
)

const decisionMsg = "decision"

// decision is what an event is built from: the decision line's attributes
// that OCSF has a place for, and all of them for unmapped.tollgate.
type decision struct {
	time                                 time.Time
	id, outcome, code, reason, principal string
	action, resource, method             string
	traceID, source, policyVersion       string
	policies                             []string
	all                                  map[string]any // every attribute, JSON-encodable
}

// readDecision reads the attributes of a decision record. A mapped
// attribute of the wrong kind is treated as absent; every value is made
// encodable, so the event always marshals.
func readDecision(t time.Time, attrs []slog.Attr) decision {
	d := decision{time: t, all: make(map[string]any, len(attrs))}
	for _, a := range attrs {
		v := a.Value.Resolve()
		if a.Key == "" && v.Kind() != slog.KindGroup {
			continue
		}
		if a.Key == "" { // an inline group, as slog does
			inner := readDecision(t, v.Group())
			for k, x := range inner.all {
				d.all[k] = x
			}
			continue
		}
		d.all[a.Key] = jsonValue(v)
		d.set(a.Key, v)
	}
	return d
}

func (d *decision) set(key string, v slog.Value) {
	if key == "policies" {
		d.policies, _ = v.Any().([]string)
		return
	}
	if v.Kind() != slog.KindString {
		return
	}
	s := v.String()
	switch key {
	case "decision_id":
		d.id = s
	case "outcome":
		d.outcome = s
	case "code":
		d.code = s
	case "reason":
		d.reason = s
	case "principal":
		d.principal = s
	case "action":
		d.action = s
	case "resource":
		d.resource = s
	case "method":
		d.method = s
	case "trace_id":
		d.traceID = s
	case "source_address":
		if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
			d.source = s
		}
	case "policy_version":
		d.policyVersion = s
	}
}

// jsonValue turns a slog value into something encoding/json writes
// without error: a value it cannot encode becomes the string "!unencodable".
func jsonValue(v slog.Value) any {
	switch v.Kind() {
	case slog.KindString:
		return v.String()
	case slog.KindInt64:
		return v.Int64()
	case slog.KindUint64:
		return v.Uint64()
	case slog.KindBool:
		return v.Bool()
	case slog.KindDuration:
		return int64(v.Duration())
	case slog.KindTime:
		return v.Time().Format(time.RFC3339Nano)
	case slog.KindFloat64:
		if f := v.Float64(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
		return "!unencodable"
	case slog.KindGroup:
		m := map[string]any{}
		for _, a := range v.Group() {
			if a.Key != "" {
				m[a.Key] = jsonValue(a.Value.Resolve())
			}
		}
		return m
	}
	if err, ok := v.Any().(error); ok {
		return err.Error()
	}
	b, err := json.Marshal(v.Any())
	if err != nil {
		return "!unencodable"
	}
	return json.RawMessage(b)
}
