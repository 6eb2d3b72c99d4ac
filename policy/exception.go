package policy

import (
	"strings"
	"time"
)

// Annotation keys of a governed exception.
const (
	annException  = "exception"
	annExpires    = "expires"
	annApprovedBy = "approved_by"
)

// exceptionRules are the load-time rules for governed exceptions.
type exceptionRules struct {
	now    time.Time
	window time.Duration // 0 = no limit
}

// parseException returns the exception a policy declares, nil when it
// declares none, or an ErrException explaining what is wrong.
func (r exceptionRules) parseException(id string, ann map[string]string) (*Exception, error) {
	if err := exactGovernance(ann); err != nil {
		return nil, err
	}
	ticket, isException := ann[annException]
	if !isException {
		for _, k := range []string{annExpires, annApprovedBy} {
			if _, ok := ann[k]; ok {
				return nil, detail(ErrException,
					"@%s without @exception(\"TICKET\"); add the ticket or remove @%s", k, k)
			}
		}
		return nil, nil
	}
	if strings.TrimSpace(ticket) == "" {
		return nil, detail(ErrException, "@exception must name a ticket")
	}
	if !printable(ticket) {
		return nil, detail(ErrException, "@exception(%q) holds a control or invisible character", ticket)
	}
	approver := ann[annApprovedBy]
	if strings.TrimSpace(approver) == "" {
		return nil, detail(ErrException, "exception %s: missing @approved_by(\"name\")", ticket)
	}
	if !printable(approver) {
		return nil, detail(ErrException, "exception %s: @approved_by(%q) holds a control or invisible character", ticket, approver)
	}
	expires, err := r.parseExpiry(ticket, ann)
	if err != nil {
		return nil, err
	}
	return &Exception{PolicyID: id, Ticket: ticket, ApprovedBy: approver, Expires: expires}, nil
}

func (r exceptionRules) parseExpiry(ticket string, ann map[string]string) (time.Time, error) {
	raw, ok := ann[annExpires]
	if !ok || raw == "" {
		return time.Time{}, detail(ErrException,
			"exception %s: missing @expires(\"RFC3339 time\"), e.g. @expires(\"2030-01-31T00:00:00Z\")", ticket)
	}
	expires, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, detail(ErrException,
			"exception %s: @expires(%q) is not an RFC3339 time such as 2030-01-31T00:00:00Z", ticket, raw)
	}
	// An exception that has expired is not an error: it simply stops
	// applying (activeAt), so it never blocks a reload or a restart.
	if r.window > 0 && expires.Sub(r.now) > r.window {
		return time.Time{}, detail(ErrException,
			"exception %s: @expires(%q) is more than the allowed %s from now",
			ticket, raw, r.window)
	}
	return expires, nil
}

// exactGovernance refuses a governance annotation spelled in another case
// (@Expires, @EXCEPTION) or a look-alike (@expiry, @expires_at, @approver,
// @exception_ticket): Cedar annotation names are exact, so it would declare
// nothing, and a permit meant to expire would apply forever. Names starting
// like a governance annotation are reserved for it.
func exactGovernance(ann map[string]string) error {
	for k := range ann {
		switch k {
		case annException, annExpires, annApprovedBy:
			continue
		}
		lower := strings.ToLower(k)
		for _, name := range []string{annException, annExpires, annApprovedBy} {
			if lower == name {
				return detail(ErrException, "@%s is not spelled @%s; annotation names are exact, so it declares nothing", k, name)
			}
		}
		for _, prefix := range []string{"exception", "expir", "approv"} {
			if strings.HasPrefix(lower, prefix) {
				return detail(ErrException, "@%s is reserved: it reads like a governance annotation but declares nothing; "+
					"use @exception, @approved_by and @expires", k)
			}
		}
	}
	return nil
}
