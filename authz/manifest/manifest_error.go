package manifest

import (
	"fmt"
	"strconv"
)

// Error is one problem in a manifest, located by file, line and key
// path, e.g. `manifest.yaml:7: routes[1].match: unknown key "paht"`.
type Error struct {
	File string
	Line int    // 1-based; 0 when unknown
	Key  string // key path such as routes[1].match; empty for the whole file
	Msg  string
	// Grant is set when the manifest tried to grant access.
	Grant bool
}

func (e *Error) Error() string {
	s := "manifest: " + e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	return s + ": " + e.Msg
}

// Unwrap lets errors.Is match ErrInvalid and, for grants,
// ErrGrant.
func (e *Error) Unwrap() []error {
	if e.Grant {
		return []error{ErrInvalid, ErrGrant}
	}
	return []error{ErrInvalid}
}

func (d *decoder) errorf(line int, key, format string, args ...any) error {
	return &Error{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) grantError(line int, key, word string) error {
	return &Error{
		File: d.file, Line: line, Key: key, Grant: true,
		Msg: fmt.Sprintf("%s: key %q is not allowed", ErrGrant.Error(), word),
	}
}
