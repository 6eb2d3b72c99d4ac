package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// replayResult is what replay found; --output json prints it as is.
type replayResult struct {
	Lines     int                      `json:"lines"`
	Unchanged int                      `json:"unchanged"`
	Changed   []replayChange           `json:"changed"`
	Unknown   map[string]*unknownLines `json:"unknown"`
	Skipped   map[string]int           `json:"skipped"` // by code: decided before or beside policy
}

// replayChange is one decision that would change.
type replayChange struct {
	At          string   `json:"at"` // file:line
	DecisionID  string   `json:"decision_id"`
	Principal   string   `json:"principal"`
	Action      string   `json:"action"`
	Resource    string   `json:"resource"`
	Was         string   `json:"was"`
	WasCode     string   `json:"was_code"`
	WasPolicies []string `json:"was_policies"`
	Now         string   `json:"now"`
	NowCode     string   `json:"now_code"`
	NowPolicies []string `json:"now_policies"`
}

// unknownLines counts the lines not replayed for one reason.
type unknownLines struct {
	Count    int      `json:"count"`
	Examples []string `json:"examples"`
}

func (r *replayResult) unknownCount() int {
	n := 0
	for _, u := range r.Unknown {
		n += u.Count
	}
	return n
}

func (r *replayResult) exit() int {
	switch {
	case len(r.Changed) > 0:
		return exitChanged
	case r.unknownCount() > 0:
		return exitUnknown
	}
	return exitOK
}

// group is the policies a change is filed under: those that now
// determine it, or, when no permit applies any more, the permits lost.
func (c *replayChange) group() string {
	if len(c.NowPolicies) > 0 {
		return fmt.Sprintf("%s -> %s by [%s] (%s)", c.Was, c.Now, strings.Join(c.NowPolicies, ","), c.NowCode)
	}
	return fmt.Sprintf("%s -> %s, no permit applies; was [%s] (%s)", c.Was, c.Now, strings.Join(c.WasPolicies, ","), c.NowCode)
}

func (r *replayResult) printText(w io.Writer) {
	skipped := 0
	for _, n := range r.Skipped {
		skipped += n
	}
	fmt.Fprintf(w, "replay: %d decisions: %d unchanged, %d would change, %d could not be replayed, %d not decided by policy\n",
		r.Lines, r.Unchanged, len(r.Changed), r.unknownCount(), skipped)
	byAction := map[string]map[string][]replayChange{}
	for _, c := range r.Changed {
		if byAction[c.Action] == nil {
			byAction[c.Action] = map[string][]replayChange{}
		}
		byAction[c.Action][c.group()] = append(byAction[c.Action][c.group()], c)
	}
	for _, a := range slices.Sorted(maps.Keys(byAction)) {
		fmt.Fprintf(w, "\n%s\n", a)
		for _, g := range slices.Sorted(maps.Keys(byAction[a])) {
			cs := byAction[a][g]
			fmt.Fprintf(w, "  %s: %d\n", g, len(cs))
			for _, c := range cs {
				fmt.Fprintf(w, "    %s %s %s on %s (was %s by [%s])\n", c.At, c.DecisionID, c.Principal, c.Resource,
					c.WasCode, strings.Join(c.WasPolicies, ","))
			}
		}
	}
	for _, reason := range slices.Sorted(maps.Keys(r.Unknown)) {
		u := r.Unknown[reason]
		fmt.Fprintf(w, "\ncould not replay (%s): %d\n", reason, u.Count)
		for _, e := range u.Examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(r.Skipped)) {
		fmt.Fprintf(w, "not decided by policy (code %s): %d\n", code, r.Skipped[code])
	}
}
