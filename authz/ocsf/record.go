package ocsf

import (
	"log/slog"
	"net/netip"
	"time"
)

const decisionMsg = "decision"

// decision is what an event is built from: the decision line's attributes
// that OCSF has a place for.
type decision struct {
	time                                 time.Time
	id, outcome, code, reason, principal string
	action, resource, method             string
	traceID, source, policyVersion       string
	policies                             []string
}

// attr reads one attribute of a decision record. A mapped attribute of
// the wrong kind is treated as absent.
func (d *decision) attr(a slog.Attr) {
	v := a.Value.Resolve()
	if a.Key == "" && v.Kind() == slog.KindGroup { // an inline group, as slog does
		for _, g := range v.Group() {
			d.attr(g)
		}
		return
	}
	d.set(a.Key, v)
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
