package manifest

import (
	"fmt"
	"strconv"
)

// ManifestError is one problem in a manifest, located by file, line and key
// path, e.g. `manifest.yaml:7: routes[1].match: unknown key "paht"`.
type ManifestError struct {
	File string
	Line int    // 1-based; 0 when unknown
	Key  string // key path such as routes[1].match; empty for the whole file
	Msg  string
	// Grant is set when the manifest tried to grant access.
	Grant bool
}

func (e *ManifestError) Error() string {
	s := "manifest: " + e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	return s + ": " + e.Msg
}

// Unwrap lets errors.Is match ErrInvalidManifest and, for grants,
// ErrGrantInManifest.
func (e *ManifestError) Unwrap() []error {
	if e.Grant {
		return []error{ErrInvalidManifest, ErrGrantInManifest}
	}
	return []error{ErrInvalidManifest}
}

func (d *decoder) errorf(line int, key, format string, args ...any) error {
	return &ManifestError{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) grantError(line int, key, word string) error {
	return &ManifestError{
		File: d.file, Line: line, Key: key, Grant: true,
		Msg: fmt.Sprintf("%s: key %q is not allowed", ErrGrantInManifest.Error(), word),
	}
}
