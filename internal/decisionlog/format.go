package decisionlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// probe holds what tells a slog decision line from an OCSF event.
type probe struct {
	Msg      *string      `json:"msg"`
	ClassUID *json.Number `json:"class_uid"`
	Metadata *struct {
		Version string `json:"version"`
		Product struct {
			Name string `json:"name"`
		} `json:"product"`
	} `json:"metadata"`
	Unmapped struct {
		Tollgate json.RawMessage `json:"tollgate"`
	} `json:"unmapped"`
}

// unwrap returns the decision line to read from b: b itself when it is a
// slog line, or the JSON decision line an OCSF event written by Tollgate
// (log.decision_format: ocsf) carries verbatim in unmapped.tollgate. Any
// other line without "msg" is an error: skipping it as "not a decision"
// would replay and report nothing and look clean.
func unwrap(b []byte) ([]byte, error) {
	var p probe
	if err := json.Unmarshal(b, &p); err != nil || p.Msg != nil {
		return b, nil // a slog line; the full decode reports a bad one
	}
	if p.ClassUID == nil || p.Metadata == nil {
		return nil, errors.New(`not a slog line: no "msg"`)
	}
	what := fmt.Sprintf("an OCSF event (class_uid %s, OCSF %s)", clipped(p.ClassUID.String()), clipped(p.Metadata.Version))
	inner := bytes.TrimSpace(p.Unmapped.Tollgate)
	if p.Metadata.Product.Name != "Tollgate" || len(inner) == 0 || inner[0] != '{' {
		return nil, fmt.Errorf("%s without Tollgate's decision line in unmapped.tollgate: "+
			"replay and report read Tollgate's JSON decision lines, or OCSF events written by Tollgate (log.decision_format: ocsf)", what)
	}
	var q probe
	if err := json.Unmarshal(inner, &q); err != nil || q.Msg == nil {
		return nil, fmt.Errorf("%s whose unmapped.tollgate is not a decision line", what)
	}
	return inner, nil
}

// clipped bounds a value echoed from the line into an error and keeps
// only characters a version or number is made of.
func clipped(s string) string {
	out := make([]byte, 0, 32)
	for i := 0; i < len(s) && len(out) < 32; i++ {
		if c := s[i]; 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '+' {
			out = append(out, c)
		}
	}
	return string(out)
}
