package traceparent

// Len is the length of a version 00 traceparent:
// "00-" 32 hex "-" 16 hex "-" 2 hex.
const Len = 55

// Context is the part of a traceparent a decision log records.
type Context struct {
	TraceID  string // 32 lower-case hex digits, not all zero
	ParentID string // 16 lower-case hex digits, not all zero
	Flags    string // 2 lower-case hex digits
}

// Parse reads a version 00 traceparent. ok is false for anything else:
// another version, another length, upper-case or non-hex digits, an
// all-zero trace or parent id, or a repeated header joined with commas.
func Parse(s string) (c Context, ok bool) {
	if len(s) != Len || s[0] != '0' || s[1] != '0' || s[2] != '-' || s[35] != '-' || s[52] != '-' {
		return Context{}, false
	}
	c = Context{TraceID: s[3:35], ParentID: s[36:52], Flags: s[53:55]}
	if !lowerHex(c.TraceID) || !lowerHex(c.ParentID) || !lowerHex(c.Flags) ||
		allZero(c.TraceID) || allZero(c.ParentID) {
		return Context{}, false
	}
	return c, true
}

func lowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func allZero(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '0' {
			return false
		}
	}
	return true
}
