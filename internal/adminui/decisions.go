package adminui

import "time"

// decisionView is one row of /ui/api/decisions: the decision line's
// fields the page shows, nothing else.
type decisionView struct {
	Time          time.Time `json:"time"`
	ID            string    `json:"decision_id"`
	Allowed       bool      `json:"allowed"`
	Outcome       string    `json:"outcome"`
	Code          string    `json:"code"`
	Reason        string    `json:"reason"`
	Principal     string    `json:"principal"`
	Action        string    `json:"action"`
	Resource      string    `json:"resource"`
	Method        string    `json:"method"`
	Path          string    `json:"path"`
	Policies      []string  `json:"policies"`
	PolicyVersion string    `json:"policy_version"`
	Exceptions    []string  `json:"exceptions"`
}

type decisionsView struct {
	Capacity  int            `json:"capacity"`
	Decisions []decisionView `json:"decisions"`
}

func viewDecisions(es []Entry) decisionsView {
	out := decisionsView{Capacity: RecentSize, Decisions: make([]decisionView, len(es))}
	for i, e := range es {
		out.Decisions[i] = decisionView{Time: e.Time.UTC(), ID: e.ID, Allowed: e.Allowed, Outcome: e.Outcome,
			Code: e.Code, Reason: e.Reason, Principal: e.Principal, Action: e.Action, Resource: e.Resource,
			Method: e.Method, Path: e.Path, Policies: nonNil(e.Policies), PolicyVersion: e.PolicyVersion,
			Exceptions: nonNil(e.Exceptions)}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
