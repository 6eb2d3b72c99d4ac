package authz

import (
	"strconv"
	"strings"
)

// overrideHeaders are the method-override headers that Express's
// method-override, ASP.NET Core's UseHttpMethodOverride, Rack, Symfony
// and Jersey honour (on a POST, most of them).
var overrideHeaders = [...]string{"x-http-method-override", "x-http-method", "x-method-override"}

// urlOverrideHeaders carry a request target that IIS's URL Rewrite sets
// and that Zend Framework and older Symfony route instead of the
// request's own.
var urlOverrideHeaders = [...]string{"x-original-url", "x-rewrite-url"}

// overridden reports a request whose method or target some upstream takes
// from a header or parameter rather than from the request itself, naming
// another one (see methodOverridden).
func overridden(r *Request) bool {
	for _, h := range urlOverrideHeaders {
		if v, ok := r.Headers[h]; ok && v != r.Path {
			return true
		}
	}
	return methodOverridden(r) || underscoreOverride(r)
}

// underscoreOverride reports an override header spelled with "_" for
// "-" (x_http_method_override) naming another method or target:
// CGI-style servers (Rack, PHP, WSGI, IIS server variables) read it as
// the header, and Envoy passes underscores by default. Only names holding
// "_" are compared, so a request without one costs one scan of its names.
func underscoreOverride(r *Request) bool {
	for k, v := range r.Headers {
		if strings.IndexByte(k, '_') < 0 {
			continue
		}
		for _, h := range overrideHeaders {
			if foldsTo(k, h) && v != r.Method {
				return true
			}
		}
		for _, h := range urlOverrideHeaders {
			if foldsTo(k, h) && v != r.Path {
				return true
			}
		}
	}
	return false
}

// methodOverridden reports a request that names another method than its
// own in a method-override header or a _method query parameter: the
// upstream may serve that method while Tollgate decided the request's.
// (A _method form field in a body is not seen: see docs/security.md.)
func methodOverridden(r *Request) bool {
	for _, h := range overrideHeaders {
		if v, ok := r.Headers[h]; ok && v != r.Method {
			return true
		}
	}
	_, query, ok := strings.Cut(r.Path, "?")
	for ok {
		var part string
		part, query, ok = cutQuery(query)
		name, value, _ := strings.Cut(part, "=")
		if isMethodParam(name) && decodeQuery(value) != r.Method {
			return true
		}
	}
	return false
}

// cutQuery cuts a query string at the first "&" or ";" (both separate
// parameters in some readers).
func cutQuery(q string) (part, rest string, more bool) {
	if i := strings.IndexAny(q, "&;"); i >= 0 {
		return q[:i], q[i+1:], true
	}
	return q, "", false
}

// isMethodParam reports a query parameter name that some reader takes for
// _method: once decoded, in any case, with PHP's reading of a leading " ",
// "." or "[" as "_".
func isMethodParam(name string) bool {
	const want = "_method"
	if len(name) < len(want) || len(name) > 3*len(want) {
		return false
	}
	n := decodeQuery(name)
	if len(n) != len(want) {
		return false
	}
	if c := n[0]; c == ' ' || c == '.' || c == '[' {
		n = "_" + n[1:]
	}
	return strings.EqualFold(n, want)
}

// decodeQuery decodes "+" and valid percent escapes, keeping invalid ones
// as they are (as PHP does).
func decodeQuery(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '+' {
			c = ' '
		} else if v, ok := escapedByte(s, i); ok {
			c, i = v, i+2
		}
		b = append(b, c)
	}
	return string(b)
}

// escapedByte decodes a valid percent escape at s[i] (ParseUint takes no
// sign, so "%+1" stays as it is).
func escapedByte(s string, i int) (byte, bool) {
	if s[i] != '%' || i+2 >= len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
	return byte(v), err == nil
}
