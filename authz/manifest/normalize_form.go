package manifest

import (
	"strings"
)

// checkNormalForm refuses a raw path that is not its own normal form,
// since the upstream behind a raw-forwarding proxy routes the raw path:
// nginx forwards "/admin/../public/x" to an Express or uvicorn upstream
// as it is. The forms refused are empty segments ("//", a trailing "/"),
// "." and ".." segments, and escapes of unreserved characters or of "%"
// ("%2e", "%61dmin", "%252e"), which upstreams decode zero, one or two
// times. Other escapes ("%20", "%C3%A9") mean one thing to every reader.
//
// When the proxy normalises the path (proxyNormalized), the upstream sees
// the resolved path, so only a last segment that is empty or a dot
// segment is refused: the proxy keeps that trailing slash, and Tollgate's
// templates never end in one.
func checkNormalForm(raw string, proxyNormalized bool) PathCode {
	if raw == "/" {
		return ""
	}
	if proxyNormalized {
		last := raw[strings.LastIndexByte(raw, '/')+1:]
		if last == "" || isDotSegment(last) {
			return PathNotNormalized
		}
		return ""
	}
	for rest := raw[1:]; ; {
		seg, tail, more := strings.Cut(rest, "/")
		if seg == "" || isDotSegment(seg) || hasAmbiguousEscape(seg) {
			return PathNotNormalized
		}
		if !more {
			return ""
		}
		rest = tail
	}
}

// isDotSegment reports ".", ".." and their escaped spellings.
func isDotSegment(seg string) bool {
	if len(seg) > 6 {
		return false
	}
	s := strings.ReplaceAll(strings.ReplaceAll(seg, "%2e", "."), "%2E", ".")
	return s == "." || s == ".."
}

// hasAmbiguousEscape reports an escaped unreserved character (RFC 3986
// section 2.3: no client needs to escape it, and readers that do not
// decode before routing see another path) or an escaped "%".
func hasAmbiguousEscape(seg string) bool {
	for i := 0; i+2 < len(seg); i++ {
		if seg[i] != '%' {
			continue
		}
		if !isHex(seg[i+1]) || !isHex(seg[i+2]) {
			return false // resolve reports the bad escape
		}
		if c := unhex(seg[i+1])<<4 | unhex(seg[i+2]); isUnreserved(c) || c == '%' {
			return true
		}
		i += 2
	}
	return false
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0
}

// checkTarget refuses a raw request target (query included) with a space
// or a control character: on an HTTP/1 request line it would split or
// end the line where each upstream parser chooses. It is not part of
// NormalizePath, whose canonical output may hold a decoded space.
func checkTarget(raw string) PathCode {
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == ' ':
			return PathSpace
		case c < 0x20 || c == 0x7f:
			return PathControlChar
		}
	}
	return ""
}

// checkGRPCPath accepts only the form a gRPC server routes: exactly
// /Service/Method, two non-empty segments that are not dot segments,
// without escapes, parameters, query or fragment. Anything else would be
// read one way after normalisation and another way by the server.
func checkGRPCPath(raw string) PathCode {
	if raw == "" || raw[0] != '/' {
		return PathGRPC
	}
	svc, method, ok := strings.Cut(raw[1:], "/")
	if !ok || !grpcName(svc) || !grpcName(method) {
		return PathGRPC
	}
	return ""
}

func grpcName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= 0x20 || c >= 0x7f || strings.IndexByte("/%?#;\\", c) >= 0 {
			return false
		}
	}
	return true
}
