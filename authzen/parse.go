package authzen

import (
	"bytes"
	"encoding/json"

	"github.com/tollgate-authz/tollgate/authz"
)

// Semantic is options.evaluations_semantic.
type Semantic string

// The evaluation semantics of the specification; ExecuteAll is the default.
const (
	ExecuteAll          Semantic = "execute_all"
	DenyOnFirstDeny     Semantic = "deny_on_first_deny"
	PermitOnFirstPermit Semantic = "permit_on_first_permit"
)

// Batch is a parsed request: the evaluations to run, in order.
type Batch struct {
	// Queries have no Caller or Time: the handler sets them.
	Queries  []authz.Query
	Semantic Semantic
	// Single: answer with one Decision, not an evaluations array (the
	// evaluation endpoint, or the evaluations endpoint without a
	// non-empty evaluations array).
	Single bool
}

// object is a JSON object by exact member name. Unknown members are
// ignored, as the specification requires; a null member is absent.
type object map[string]json.RawMessage

func (o object) get(key string) json.RawMessage {
	if v := o[key]; len(v) > 0 && !bytes.Equal(v, []byte("null")) {
		return v
	}
	return nil
}

// ParseEvaluation reads an Access Evaluation request body.
func ParseEvaluation(body []byte) (*Batch, error) {
	top, err := parseTop(body)
	if err != nil {
		return nil, err
	}
	q, err := buildQuery(top, "")
	if err != nil {
		return nil, err
	}
	return &Batch{Queries: []authz.Query{q}, Semantic: ExecuteAll, Single: true}, nil
}

// ParseEvaluations reads an Access Evaluations request body: each element
// of evaluations takes subject, action, resource and context from the top
// level when it does not name them itself. max bounds the array; the
// batch written out in full (each inherited member counted once per
// evaluation) must fit in DefaultMaxBodyBytes or len(body), the larger.
func ParseEvaluations(body []byte, max int) (*Batch, error) {
	limit := int64(DefaultMaxBodyBytes)
	if int64(len(body)) > limit {
		limit = int64(len(body))
	}
	return parseEvaluations(body, max, limit)
}

// parseEvaluations is ParseEvaluations with maxBytes bounding the batch
// written out in full, so that a large top-level member inherited by
// every evaluation cannot make the PDP decode and evaluate more than a
// body of maxBytes would.
func parseEvaluations(body []byte, max int, maxBytes int64) (*Batch, error) {
	top, err := parseTop(body)
	if err != nil {
		return nil, err
	}
	sem, err := parseOptions(top.get("options"))
	if err != nil {
		return nil, err
	}
	var evals []json.RawMessage
	if raw := top.get("evaluations"); raw != nil {
		if raw[0] != '[' {
			return nil, badRequest("evaluations: must be an array")
		}
		if err := json.Unmarshal(raw, &evals); err != nil {
			return nil, badRequest("evaluations: %v", err)
		}
	}
	if len(evals) == 0 {
		q, err := buildQuery(top, "")
		if err != nil {
			return nil, err
		}
		return &Batch{Queries: []authz.Query{q}, Semantic: sem, Single: true}, nil
	}
	if len(evals) > max {
		return nil, badRequest("evaluations: %d elements, more than the %d this PDP accepts", len(evals), max)
	}
	items, err := expandedItems(top, evals, maxBytes)
	if err != nil {
		return nil, err
	}
	b := &Batch{Queries: make([]authz.Query, len(evals)), Semantic: sem}
	for i, item := range items {
		where := "evaluations[" + itoa(i) + "]."
		merged := object{}
		for _, k := range []string{"subject", "action", "resource", "context"} {
			merged[k] = top.get(k)
			if v := item.get(k); v != nil {
				merged[k] = v
			}
		}
		if b.Queries[i], err = buildQuery(merged, where); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// expandedItems reads each element of evals as an object and refuses the
// batch when, with the top-level members each element inherits, it is
// larger than maxBytes. Nothing is decoded further before this check.
func expandedItems(top object, evals []json.RawMessage, maxBytes int64) ([]object, error) {
	items := make([]object, len(evals))
	var total int64
	for i, raw := range evals {
		item, err := asObject(raw, "evaluations["+itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		items[i] = item
		total += int64(len(raw))
		for _, k := range []string{"subject", "action", "resource", "context"} {
			if item.get(k) == nil {
				total += int64(len(top.get(k)))
			}
		}
	}
	if total > maxBytes {
		return nil, badRequest("evaluations: written out with the top-level members each inherits, the batch is %d bytes, "+
			"more than the %d of authzen.max_body_bytes", total, maxBytes)
	}
	return items, nil
}

func parseTop(body []byte) (object, error) {
	if err := checkIJSON(body); err != nil {
		return nil, err
	}
	return asObject(bytes.TrimSpace(body), "the body") // checkIJSON allowed only JSON whitespace
}

func parseOptions(raw json.RawMessage) (Semantic, error) {
	if raw == nil {
		return ExecuteAll, nil
	}
	opts, err := asObject(raw, "options")
	if err != nil {
		return "", err
	}
	raw = opts.get("evaluations_semantic")
	if raw == nil {
		return ExecuteAll, nil
	}
	s, err := asString(raw, "options.evaluations_semantic")
	if err != nil {
		return "", err
	}
	switch sem := Semantic(s); sem {
	case ExecuteAll, DenyOnFirstDeny, PermitOnFirstPermit:
		return sem, nil
	}
	return "", badRequest("options.evaluations_semantic: %.64q is not execute_all, deny_on_first_deny or permit_on_first_permit", s)
}

// buildQuery reads the four members of one evaluation.
func buildQuery(o object, where string) (q authz.Query, err error) {
	sub, err := required(o, "subject", where)
	if err == nil {
		q.Subject, err = entity(sub, where+"subject")
	}
	if err != nil {
		return q, err
	}
	act, err := required(o, "action", where)
	if err == nil {
		q.Action.Name, err = requiredString(act, "name", where+"action")
	}
	if err == nil {
		q.Action.Properties, err = asMap(act.get("properties"), where+"action.properties")
	}
	if err != nil {
		return q, err
	}
	res, err := required(o, "resource", where)
	if err == nil {
		q.Resource, err = entity(res, where+"resource")
	}
	if err == nil {
		q.Context, err = asMap(o.get("context"), where+"context")
	}
	return q, err
}

func entity(o object, where string) (e authz.QueryEntity, err error) {
	if e.Type, err = requiredString(o, "type", where); err != nil {
		return e, err
	}
	if e.ID, err = requiredString(o, "id", where); err != nil {
		return e, err
	}
	e.Properties, err = asMap(o.get("properties"), where+".properties")
	return e, err
}

func required(o object, key, where string) (object, error) {
	raw := o.get(key)
	if raw == nil {
		return nil, badRequest("%s%s: required", where, key)
	}
	return asObject(raw, where+key)
}

func requiredString(o object, key, where string) (string, error) {
	raw := o.get(key)
	if raw == nil {
		return "", badRequest("%s.%s: required string", where, key)
	}
	return asString(raw, where+"."+key)
}

func asString(raw json.RawMessage, where string) (string, error) {
	if raw[0] != '"' {
		return "", badRequest("%s: must be a string", where)
	}
	if bytes.IndexByte(raw, '\\') < 0 { // checkIJSON validated it: no escapes, no decoding
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", badRequest("%s: must be a string", where)
	}
	return s, nil
}

func asObject(raw json.RawMessage, where string) (object, error) {
	var o object
	if raw[0] != '{' || json.Unmarshal(raw, &o) != nil {
		return nil, badRequest("%s: must be an object", where)
	}
	return o, nil
}

// asMap decodes an optional object into JSON values (numbers as
// json.Number); absent or null is nil.
func asMap(raw json.RawMessage, where string) (map[string]any, error) {
	if raw == nil {
		return nil, nil
	}
	if raw[0] != '{' {
		return nil, badRequest("%s: must be an object", where)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, badRequest("%s: %v", where, err)
	}
	return m, nil
}
