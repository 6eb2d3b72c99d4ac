package ocsf

import (
	"strconv"
	"strings"

	"github.com/tollgate-authz/tollgate/internal/jsonw"
)

// The class and version Tollgate writes (see docs/decision-log.md, OCSF).
const (
	SchemaVersion = "1.5.0"
	CategoryUID   = 6    // Application Activity
	ClassUID      = 6003 // API Activity
	ActivityOther = 99   // the decision is not one of Create/Read/Update/Delete
	TypeUID       = ClassUID*100 + ActivityOther
)

// head is the part of every event that does not depend on the decision.
var head = `{"activity_id":` + strconv.Itoa(ActivityOther) + `,"activity_name":"Authorize","category_uid":` +
	strconv.Itoa(CategoryUID) + `,"category_name":"Application Activity","class_uid":` + strconv.Itoa(ClassUID) +
	`,"class_name":"API Activity","type_uid":` + strconv.Itoa(TypeUID) + `,"type_name":"API Activity: Other"`

// appendEvent appends one OCSF API Activity event for d; line is the
// decision's JSON line, kept whole as unmapped.tollgate.
func appendEvent(b []byte, d *decision, p Product, line []byte) []byte {
	allowed := d.outcome == "allow"
	b = append(b, head...)
	b = strconv.AppendInt(append(b, `,"time":`...), d.time.UnixMilli(), 10)
	sev, sevName := severity(d.outcome)
	b = appendEnum(b, "severity", sev, sevName)
	status, statusName, action, actionName := 2, "Failure", 2, "Denied"
	if allowed {
		status, statusName, action, actionName = 1, "Success", 1, "Allowed"
	}
	b = appendEnum(b, "status", status, statusName)
	b = appendStr(b, "status_code", d.code)
	b = appendStr(b, "status_detail", d.reason)
	b = appendStr(b, "message", d.reason)
	b = appendEnum(b, "action", action, actionName)
	disp, dispName := disposition(d.outcome)
	b = appendEnum(b, "disposition", disp, dispName)
	b = appendMetadata(b, d, p)
	b = appendActor(b, d.principal)
	b = appendStr(append(b, `,"api":{`...), "operation", operation(d))
	b = appendEndpoint(append(b, '}'), d)
	if d.resource != "" {
		b = appendStr(append(b, `,"resources":[{`...), "uid", d.resource)
		if t := entityType(d.resource); t != "" {
			b = appendStr(b, "type", t)
		}
		b = append(b, '}', ']')
	}
	b = appendAuthorizations(b, d, allowed)
	if d.traceID != "" {
		b = append(appendStr(append(b, `,"trace":{`...), "uid", d.traceID), '}')
	}
	b = append(append(b, `,"unmapped":{"tollgate":`...), line...)
	return append(b, '}', '}')
}

// appendStr appends `,"key":"value"`, or `"key":"value"` after a brace.
func appendStr(b []byte, key, value string) []byte {
	if n := len(b); n > 0 && b[n-1] != '{' {
		b = append(b, ',')
	}
	b = append(append(append(b, '"'), key...), '"', ':')
	return jsonw.AppendString(b, value)
}

// appendEnum appends `,"<name>_id":id,"<name>":"caption"`.
func appendEnum(b []byte, name string, id int, caption string) []byte {
	b = append(append(append(b, ',', '"'), name...), `_id":`...)
	b = strconv.AppendInt(b, int64(id), 10)
	return appendStr(b, name, caption)
}

func appendMetadata(b []byte, d *decision, p Product) []byte {
	b = append(b, `,"metadata":{"version":"`+SchemaVersion+`","product":{"name":"Tollgate","vendor_name":"Tollgate"`...)
	b = append(appendStr(b, "version", p.Version), '}')
	if d.id != "" {
		b = appendStr(b, "uid", d.id)
	}
	if d.traceID != "" {
		b = appendStr(b, "correlation_uid", d.traceID)
	}
	return append(b, `,"log_name":"decisions","profiles":["security_control","trace"]}`...)
}

// appendActor: a SPIFFE workload is a service account (user type 4);
// without a verified identity the user is named "unauthenticated".
func appendActor(b []byte, principal string) []byte {
	if principal == "" {
		return append(b, `,"actor":{"user":{"name":"unauthenticated","type_id":0,"type":"Unknown"}}`...)
	}
	b = appendStr(append(b, `,"actor":{"user":{`...), "uid", principal)
	b = appendStr(b, "name", principal)
	return append(b, `,"type_id":4,"type":"Service"}}`...)
}

func appendEndpoint(b []byte, d *decision) []byte {
	b = append(b, `,"src_endpoint":{`...)
	if d.source != "" {
		b = appendStr(b, "ip", d.source)
	}
	if d.principal != "" {
		b = appendStr(b, "uid", d.principal)
	}
	if d.source == "" && d.principal == "" {
		b = append(b, `"name":"unknown"`...)
	}
	return append(b, '}')
}

// appendAuthorizations appends one authorization per determining policy.
func appendAuthorizations(b []byte, d *decision, allowed bool) []byte {
	if len(d.policies) == 0 {
		return b
	}
	decision := `{"decision":"Denied","policy":{`
	if allowed {
		decision = `{"decision":"Allowed","policy":{`
	}
	b = append(b, `,"authorizations":[`...)
	for i, id := range d.policies {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendStr(appendStr(append(b, decision...), "uid", id), "name", id)
		if d.policyVersion != "" {
			b = appendStr(b, "version", d.policyVersion)
		}
		b = append(b, '}', '}')
	}
	return append(b, ']')
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

// operation is the Cedar action, or the HTTP method when the request was
// decided before a route matched (api.operation is required).
func operation(d *decision) string {
	switch {
	case d.action != "":
		return d.action
	case d.method != "":
		return d.method
	}
	return "unknown"
}

// entityType is the type of a Cedar entity UID (`Order::"42"` → Order).
func entityType(uid string) string {
	if i := strings.Index(uid, `::"`); i > 0 {
		return uid[:i]
	}
	return ""
}
