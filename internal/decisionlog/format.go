package decisionlog

import (
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
	} `json:"metadata"`
}

// checkFormat refuses a line that is not a slog line: an OCSF event
// (log.decision_format: ocsf) is named as such. Skipping it as "not a
// decision" would replay and report nothing and look clean.
func checkFormat(b []byte) error {
	var p probe
	if err := json.Unmarshal(b, &p); err != nil || p.Msg != nil {
		return nil // the full decode reports a bad line
	}
	if p.ClassUID != nil && p.Metadata != nil {
		return fmt.Errorf("an OCSF event (class_uid %s, OCSF %s): this log was written with log.decision_format: ocsf; "+
			"replay and report read only Tollgate's JSON decision lines (log.decision_format: json)",
			clipped(p.ClassUID.String()), clipped(p.Metadata.Version))
	}
	return errors.New(`not a slog line: no "msg"`)
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
