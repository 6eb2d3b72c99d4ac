package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/internal/decisionlog"
	"github.com/tollgate-authz/tollgate/policy"
)

// Reasons a line is not replayed; bounded, so they can be counted.
const (
	unknownSchema   = "unknown schema_version"
	unknownContext  = "no context"
	unknownRequest  = "unparsable request"
	unknownRedacted = "policy reads a withheld context key"
)

// maxExamples bounds the lines listed per unknown reason.
const maxExamples = 5

// replayer re-evaluates decision lines against a candidate snapshot.
type replayer struct {
	snap  *policy.Snapshot
	ents  []types.Entity
	reads map[string][]string // policy @id -> context paths it reads
	res   replayResult
}

func newReplayer(snap *policy.Snapshot, ents []types.Entity) *replayer {
	rp := &replayer{snap: snap, ents: ents, reads: map[string][]string{}}
	for _, m := range snap.Policies() {
		rp.reads[m.ID], _ = snap.ContextReads(m.ID)
	}
	rp.res.Unknown, rp.res.Skipped = map[string]*unknownLines{}, map[string]int{}
	return rp
}

// line replays one decision line.
func (rp *replayer) line(l *decisionlog.Line) error {
	rp.res.Lines++
	switch {
	case l.SchemaVersion != decisionlog.SchemaVersion:
		rp.unknown(l, unknownSchema, fmt.Sprintf("schema_version %d (this tollgate reads %d)", l.SchemaVersion, decisionlog.SchemaVersion))
		return nil
	case !l.PolicyCode():
		rp.res.Skipped[l.Code]++
		return nil
	}
	req, extra, err := lineRequest(l)
	if err != nil {
		reason := unknownRequest
		if errors.Is(err, errNoContext) {
			reason = unknownContext
		}
		rp.unknown(l, reason, err.Error())
		return nil
	}
	extra = overlayEntities(extra, rp.ents)
	if why := rp.withheldRead(l, req, extra); why != "" {
		rp.unknown(l, unknownRedacted, why)
		return nil
	}
	d := rp.snap.Evaluate(req, extra...)
	if d.Allow == l.Allowed() {
		rp.res.Unchanged++
		return nil
	}
	rp.res.Changed = append(rp.res.Changed, replayChange{
		At: l.Where(), DecisionID: l.DecisionID, Principal: l.Principal, Action: l.Action, Resource: l.Resource,
		Was: verdictWord(l.Allowed()), WasCode: l.Code, WasPolicies: nonNilStrings(l.Policies),
		Now: verdictWord(d.Allow), NowCode: string(d.Reason), NowPolicies: nonNilStrings(d.Determining),
	})
	return nil
}

// withheldRead names a candidate policy in scope of req that reads a
// context key the log withheld, or returns "".
func (rp *replayer) withheldRead(l *decisionlog.Line, req cedar.Request, extra []types.Entity) string {
	if len(l.ContextRedacted) == 0 || !rp.anyReads(l.ContextRedacted) {
		return ""
	}
	for _, id := range rp.snap.InScope(req, extra...) {
		for _, path := range rp.reads[id] {
			for _, key := range l.ContextRedacted {
				if policy.ReadsKey(path, key) {
					return fmt.Sprintf("policy %q reads context.%s; the log withheld %s", id, path, key)
				}
			}
		}
	}
	return ""
}

// anyReads reports whether any candidate policy reads one of keys, so
// the per-policy scope check runs only when it can matter.
func (rp *replayer) anyReads(keys []string) bool {
	for _, paths := range rp.reads {
		for _, path := range paths {
			for _, key := range keys {
				if policy.ReadsKey(path, key) {
					return true
				}
			}
		}
	}
	return false
}

func (rp *replayer) unknown(l *decisionlog.Line, reason, detail string) {
	u := rp.res.Unknown[reason]
	if u == nil {
		u = &unknownLines{}
		rp.res.Unknown[reason] = u
	}
	u.Count++
	if len(u.Examples) < maxExamples {
		u.Examples = append(u.Examples, l.Where()+": "+detail)
	}
}

func (rp *replayer) result() *replayResult { return &rp.res }

func verdictWord(allow bool) string {
	if allow {
		return "allow"
	}
	return "deny"
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
