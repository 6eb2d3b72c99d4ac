package ocsf

import (
	"strings"
)

// The class and version Tollgate writes (see docs/decision-log.md, OCSF).
const (
	SchemaVersion = "1.5.0"
	CategoryUID   = 6    // Application Activity
	ClassUID      = 6003 // API Activity
	ActivityOther = 99   // the decision is not one of Create/Read/Update/Delete
	TypeUID       = ClassUID*100 + ActivityOther
)

// Event is one OCSF API Activity event. Field names are OCSF's.
type Event struct {
	ActivityID     int             `json:"activity_id"`
	ActivityName   string          `json:"activity_name"`
	CategoryUID    int             `json:"category_uid"`
	CategoryName   string          `json:"category_name"`
	ClassUID       int             `json:"class_uid"`
	ClassName      string          `json:"class_name"`
	TypeUID        int64           `json:"type_uid"`
	TypeName       string          `json:"type_name"`
	Time           int64           `json:"time"`
	SeverityID     int             `json:"severity_id"`
	Severity       string          `json:"severity"`
	StatusID       int             `json:"status_id"`
	Status         string          `json:"status"`
	StatusCode     string          `json:"status_code"`
	StatusDetail   string          `json:"status_detail"`
	Message        string          `json:"message"`
	ActionID       int             `json:"action_id"`
	Action         string          `json:"action"`
	DispositionID  int             `json:"disposition_id"`
	Disposition    string          `json:"disposition"`
	Metadata       Metadata        `json:"metadata"`
	Actor          Actor           `json:"actor"`
	API            API             `json:"api"`
	SrcEndpoint    Endpoint        `json:"src_endpoint"`
	Resources      []Resource      `json:"resources,omitempty"`
	Authorizations []Authorization `json:"authorizations,omitempty"`
	Trace          *Trace          `json:"trace,omitempty"`
	Unmapped       map[string]any  `json:"unmapped"`
}

// Metadata is OCSF's metadata object.
type Metadata struct {
	Version        string   `json:"version"`
	Product        Prod     `json:"product"`
	UID            string   `json:"uid,omitempty"`
	CorrelationUID string   `json:"correlation_uid,omitempty"`
	LogName        string   `json:"log_name"`
	Profiles       []string `json:"profiles"`
}

// Prod is OCSF's product object.
type Prod struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
	Version    string `json:"version"`
}

// Actor is OCSF's actor object: the calling workload.
type Actor struct {
	User User `json:"user"`
}

// User is OCSF's user object; a SPIFFE workload is a service account.
type User struct {
	UID    string `json:"uid,omitempty"`
	Name   string `json:"name"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
}

// API is OCSF's api object; operation is the Cedar action.
type API struct {
	Operation string `json:"operation"`
}

// Endpoint is OCSF's network_endpoint object.
type Endpoint struct {
	IP   string `json:"ip,omitempty"`
	UID  string `json:"uid,omitempty"`
	Name string `json:"name,omitempty"`
}

// Resource is OCSF's resource_details object: the Cedar resource.
type Resource struct {
	UID  string `json:"uid"`
	Type string `json:"type,omitempty"`
}

// Authorization is OCSF's authorization object: one determining policy.
type Authorization struct {
	Decision string `json:"decision"`
	Policy   Policy `json:"policy"`
}

// Policy is OCSF's policy object: a Cedar policy by @id.
type Policy struct {
	UID     string `json:"uid"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Trace is OCSF's trace object: the W3C trace id.
type Trace struct {
	UID string `json:"uid"`
}

func newEvent(d decision, p Product) Event {
	allowed := d.outcome == "allow"
	ev := Event{
		ActivityID: ActivityOther, ActivityName: "Authorize",
		CategoryUID: CategoryUID, CategoryName: "Application Activity",
		ClassUID: ClassUID, ClassName: "API Activity",
		TypeUID: TypeUID, TypeName: "API Activity: Other",
		Time:       d.time.UnixMilli(),
		StatusCode: d.code, StatusDetail: d.reason, Message: d.reason,
		Metadata: Metadata{Version: SchemaVersion, UID: d.id, LogName: "decisions",
			Product:  Prod{Name: "Tollgate", VendorName: "Tollgate", Version: p.Version},
			Profiles: []string{"security_control", "trace"}},
		Actor:    actor(d.principal),
		API:      API{Operation: operation(d)},
		Unmapped: map[string]any{"tollgate": d.all},
	}
	ev.SeverityID, ev.Severity = severity(d.outcome)
	ev.StatusID, ev.Status, ev.ActionID, ev.Action = 2, "Failure", 2, "Denied"
	if allowed {
		ev.StatusID, ev.Status, ev.ActionID, ev.Action = 1, "Success", 1, "Allowed"
	}
	ev.DispositionID, ev.Disposition = disposition(d.outcome)
	ev.SrcEndpoint = endpoint(d)
	if d.resource != "" {
		ev.Resources = []Resource{{UID: d.resource, Type: entityType(d.resource)}}
	}
	decisionWord := "Denied"
	if allowed {
		decisionWord = "Allowed"
	}
	for _, id := range d.policies {
		ev.Authorizations = append(ev.Authorizations, Authorization{Decision: decisionWord,
			Policy: Policy{UID: id, Name: id, Version: d.policyVersion}})
	}
	if d.traceID != "" {
		ev.Trace = &Trace{UID: d.traceID}
		ev.Metadata.CorrelationUID = d.traceID
	}
	return ev
}

// severity: an allow is informational, a denial low, a decision Tollgate
// could not make (no policy, an internal error) medium.
func severity(outcome string) (int, string) {
	switch outcome {
	case "allow":
		return 1, "Informational"
	case "unauthenticated", "forbidden", "bad_request":
		return 2, "Low"
	}
	return 3, "Medium"
}

// disposition refines the denial: Unauthorized for policy, Blocked for
// identity, Rejected for a malformed request, Error when Tollgate could
// not decide. Unknown outcomes are errors, never allows.
func disposition(outcome string) (int, string) {
	switch outcome {
	case "allow":
		return 1, "Allowed"
	case "forbidden":
		return 26, "Unauthorized"
	case "unauthenticated":
		return 2, "Blocked"
	case "bad_request":
		return 25, "Rejected"
	}
	return 27, "Error"
}

func actor(principal string) Actor {
	if principal == "" {
		return Actor{User: User{Name: "unauthenticated", TypeID: 0, Type: "Unknown"}}
	}
	return Actor{User: User{UID: principal, Name: principal, TypeID: 4, Type: "Service"}}
}

// operation is the Cedar action, or the HTTP method when the request was
// decided before a route matched (api.operation is required).
func operation(d decision) string {
	switch {
	case d.action != "":
		return d.action
	case d.method != "":
		return d.method
	}
	return "unknown"
}

func endpoint(d decision) Endpoint {
	e := Endpoint{IP: d.source, UID: d.principal}
	if e.IP == "" && e.UID == "" {
		e.Name = "unknown"
	}
	return e
}

// entityType is the type of a Cedar entity UID (`Order::"42"` → Order).
func entityType(uid string) string {
	if i := strings.Index(uid, `::"`); i > 0 {
		return uid[:i]
	}
	return ""
}
