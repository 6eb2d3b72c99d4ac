package authz

import (
	"strings"
	"unicode/utf8"
)

// PathCode is a bounded, metric-safe reason why a request path was refused.
type PathCode string

// Reasons a request path is refused by NormalizePath.
const (
	PathEmpty            PathCode = "empty"
	PathNotAbsolute      PathCode = "not_absolute"
	PathTooLong          PathCode = "too_long"
	PathControlChar      PathCode = "control_char"
	PathBackslash        PathCode = "backslash"
	PathBadEscape        PathCode = "bad_escape"
	PathEncodedSeparator PathCode = "encoded_separator"
	PathBadUTF8          PathCode = "bad_utf8"
	PathDotParam         PathCode = "dot_segment_param"
)

// MaxPathLength is the longest raw path (query string excluded) that
// NormalizePath accepts.
const MaxPathLength = 16 << 10

// PathError reports why NormalizePath refused a path. It never contains
// the path itself, which may carry secrets in its query string.
type PathError struct{ Code PathCode }

func (e *PathError) Error() string { return "authz: malformed request path: " + string(e.Code) }

// Unwrap lets errors.Is(err, ErrBadPath) match.
func (e *PathError) Unwrap() error { return ErrBadPath }

// NormalizePath turns a raw request target (Envoy's :path: query included,
// not percent-decoded) into the canonical path that routes are matched
// against and that policies see as context.path.
//
// The steps are: refuse an empty path or one not starting with "/"; drop
// the query string and fragment; refuse control characters, NUL and raw
// backslashes; percent-decode exactly once, refusing invalid escapes and
// invalid UTF-8; resolve "." and ".." segments (also when written %2E) per
// RFC 3986, clamping at the root; collapse duplicate slashes; drop a
// trailing slash except for "/".
//
// An encoded slash or backslash (%2F, %5C) is refused: upstream servers
// disagree on whether it separates segments, so a path that could be read
// two ways is a bad request rather than a guess. For the same reason a dot
// segment carrying a ";" parameter ("..;/", which some servlet containers
// resolve as "..") is refused.
//
// Matching is case sensitive: /Admin and /admin are different paths.
//
// In the result, a decoded "%", "?" or "#" is re-encoded (%25, %3F, %23) so
// that the result is unambiguous and NormalizePath(result) == result; a
// double-encoded "%252e" therefore stays the literal segment "%2e", never a
// dot segment.
func NormalizePath(raw string) (string, error) {
	p, code := normalize(raw)
	if code != "" {
		return "", &PathError{Code: code}
	}
	return p, nil
}

func normalize(raw string) (string, PathCode) {
	switch {
	case raw == "":
		return "", PathEmpty
	case raw[0] != '/':
		return "", PathNotAbsolute
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	if len(raw) > MaxPathLength {
		return "", PathTooLong
	}
	if code := checkRaw(raw); code != "" {
		return "", code
	}
	if isCanonical(raw) {
		return raw, ""
	}
	return resolve(raw)
}

// checkRaw refuses control characters and raw backslashes.
func checkRaw(p string) PathCode {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c < 0x20 || c == 0x7f:
			return PathControlChar
		case c == '\\':
			return PathBackslash
		}
	}
	return ""
}

// isCanonical is the allocation-free fast path: a path without escapes,
// empty or dot segments, trailing slash or non-ASCII bytes is its own
// normal form.
func isCanonical(p string) bool {
	if p == "/" {
		return true
	}
	if p[len(p)-1] == '/' || strings.ContainsAny(p, "%;") || strings.Contains(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] >= utf8.RuneSelf {
			return false
		}
		if p[i] == '.' && p[i-1] == '/' && (i+1 == len(p) || p[i+1] == '/' || p[i+1] == '.') {
			return false
		}
	}
	return true
}
