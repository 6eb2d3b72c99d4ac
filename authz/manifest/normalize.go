package manifest

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
	// PathParam: a ";" (raw or %3B) in a segment. Tomcat, Jetty and
	// Spring strip ";params" from a segment before routing; others keep
	// them: a path that could be read two ways is refused.
	PathParam PathCode = "path_param"
	// PathFragment: a "#" in the path. A request target has no fragment;
	// nginx ends the path there, Go's server keeps it in the path.
	PathFragment PathCode = "fragment"
	// PathNotNormalized: the raw path is not its own normal form (dot
	// segments, empty segments, a trailing slash, an escaped unreserved
	// character or an escaped "%"), and nothing declared that the proxy
	// normalises the path for the upstream as well.
	PathNotNormalized PathCode = "not_normalized"
	// PathGRPC: a gRPC call whose :path is not exactly /Service/Method.
	PathGRPC PathCode = "grpc_path"
	// PathAmbiguousCase: a path that another case folding (ASCII, as
	// Express and ASP.NET do, or runtimes folding ı, ſ, K to ASCII) would
	// route to another route than the manifest's own matching.
	PathAmbiguousCase PathCode = "ambiguous_case"
	// PathCompatChar: a path that is not in NFKC form ("．．", "／", "ａ",
	// "ϰ") or holds a best-fit separator; see hasCompatChar.
	PathCompatChar PathCode = "compat_char"
	// PathSpace: a raw space in the request target (query included),
	// where an HTTP/1 request line would split it.
	PathSpace PathCode = "space"
)

// MaxPathLength is the longest raw path (query string excluded) that
// NormalizePath accepts.
const MaxPathLength = 16 << 10

// PathError reports why NormalizePath refused a path. It never contains
// the path itself, which may carry secrets in its query string.
type PathError struct{ Code PathCode }

func (e *PathError) Error() string { return "manifest: malformed request path: " + string(e.Code) }

// Unwrap lets errors.Is(err, ErrBadPath) match.
func (e *PathError) Unwrap() error { return ErrBadPath }

// NormalizePath turns a raw request target (Envoy's :path: query included,
// not percent-decoded) into the canonical path that routes are matched
// against and that policies see as context.path. It is the reading for a
// proxy that forwards the raw path (nginx proxy_pass without a URI part,
// Caddy, Traefik, Envoy without normalize_path): a path that is not already
// in normal form is refused with PathNotNormalized, because the upstream
// routes the raw path, not Tollgate's resolution of it.
//
// The steps are: refuse an empty path or one not starting with "/"; drop
// the query string; refuse control characters, NUL, raw backslashes, "#"
// and ";" path parameters; refuse a path that is not in normal
// form (see ResolvePath for the reading of a normalising proxy);
// percent-decode exactly once, refusing invalid escapes, invalid UTF-8 and
// an encoded ";".
//
// An encoded slash or backslash (%2F, %5C) is refused: upstream servers
// disagree on whether it separates segments, so a path that could be read
// two ways is a bad request rather than a guess. For the same reason a
// ";" is refused: servlet containers strip ";params" from a segment
// ("/orders/7;x" is order 7, "..;" is ".."), other servers keep them.
//
// Matching is case sensitive unless the manifest says otherwise
// (path_case: insensitive); see also PathAmbiguousCase.
//
// In the result, a decoded "?" or "#" (and, from ResolvePath, "%") is
// re-encoded (%3F, %23, %25) so that the result is unambiguous and reads
// back as itself. A double-encoded "%252e" is refused here; ResolvePath
// keeps it as the literal segment "%2e", never a dot segment.
func NormalizePath(raw string) (string, error) {
	return pathResult(normalize(raw, false))
}

// ResolvePath is NormalizePath for a proxy that normalises the path for
// the upstream too (Envoy's normalize_path and merge_slashes): it resolves
// "." and ".." segments (also when written %2E) per RFC 3986, clamping at
// the root, and collapses duplicate slashes, as that proxy did. A trailing
// slash, which such a proxy keeps, is still refused.
func ResolvePath(raw string) (string, error) {
	return pathResult(normalize(raw, true))
}

func pathResult(p string, code PathCode) (string, error) {
	if code != "" {
		return "", &PathError{Code: code}
	}
	return p, nil
}

// normalize is NormalizePath (proxyNormalized false) or ResolvePath.
func normalize(raw string, proxyNormalized bool) (string, PathCode) {
	switch {
	case raw == "":
		return "", PathEmpty
	case raw[0] != '/':
		return "", PathNotAbsolute
	}
	if i := strings.IndexByte(raw, '?'); i >= 0 {
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
	if code := checkNormalForm(raw, proxyNormalized); code != "" {
		return "", code
	}
	return resolve(raw)
}

// checkRaw refuses control characters, raw backslashes, ";" and "#".
func checkRaw(p string) PathCode {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c < 0x20 || c == 0x7f:
			return PathControlChar
		case c == '\\':
			return PathBackslash
		case c == ';':
			return PathParam
		case c == '#':
			return PathFragment
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

// resolve is the slow path of normalize: decode each segment once, drop
// empty and "." segments, resolve "..", and re-join in canonical form.
func resolve(p string) (string, PathCode) {
	segs := make([]string, 0, strings.Count(p, "/"))
	for rest := p[1:]; ; {
		seg, tail, more := strings.Cut(rest, "/")
		dec, code := decodeSegment(seg)
		if code != "" {
			return "", code
		}
		switch dec {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, dec)
		}
		if !more {
			break
		}
		rest = tail
	}
	return joinCanonical(segs), ""
}

// decodeSegment percent-decodes one path segment exactly once.
func decodeSegment(seg string) (string, PathCode) {
	if !strings.Contains(seg, "%") {
		return checkDecoded(seg)
	}
	var b strings.Builder
	b.Grow(len(seg))
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '%' {
			if i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]) {
				return "", PathBadEscape
			}
			c = unhex(seg[i+1])<<4 | unhex(seg[i+2])
			i += 2
			switch {
			case c == '/' || c == '\\':
				return "", PathEncodedSeparator
			case c < 0x20 || c == 0x7f:
				return "", PathControlChar
			case c == ';':
				return "", PathParam
			}
		}
		b.WriteByte(c)
	}
	return checkDecoded(b.String())
}

// checkDecoded refuses a decoded segment that is not UTF-8.
func checkDecoded(dec string) (string, PathCode) {
	if !utf8.ValidString(dec) {
		return "", PathBadUTF8
	}
	return dec, ""
}

// joinCanonical joins decoded segments, re-encoding the bytes that would
// otherwise change meaning when the result is read again as a raw path.
func joinCanonical(segs []string) string {
	if len(segs) == 0 {
		return "/"
	}
	n := 0
	for _, s := range segs {
		n += 1 + len(s) + 2*strings.Count(s, "%")
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range segs {
		b.WriteByte('/')
		writeEscaped(&b, s)
	}
	return b.String()
}

func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			b.WriteString("%25")
		case '?':
			b.WriteString("%3F")
		case '#':
			b.WriteString("%23")
		default:
			b.WriteByte(c)
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// unescapeSegment decodes a segment of a canonical path (the output of
// NormalizePath), in which only %25, %3F and %23 can occur.
func unescapeSegment(seg string) string {
	if !strings.Contains(seg, "%") {
		return seg
	}
	r := strings.NewReplacer("%25", "%", "%3F", "?", "%23", "#")
	return r.Replace(seg)
}
