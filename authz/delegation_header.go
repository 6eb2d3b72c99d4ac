package authz

import "errors"

var errUnderscoreHeader = errors.New("a subject credential header spelled with underscores")

// underscoreSpelling reports whether headers hold one of names (lower
// case) spelled with "_" where it has "-", or the other way round.
// CGI-style servers (Rack, PHP, WSGI) read x_user_token as x-user-token,
// and Envoy passes underscores by default: such a header would speak for
// the request upstream while Tollgate verified another token, or none.
func underscoreSpelling(headers map[string]string, names ...string) bool {
	for k := range headers {
		for _, n := range names {
			if n != "" && foldsTo(k, n) {
				return true
			}
		}
	}
	return false
}

// foldsTo reports whether k and n differ, but not once "_" is read as "-".
func foldsTo(k, n string) bool {
	if len(k) != len(n) || k == n {
		return false
	}
	for i := 0; i < len(k); i++ {
		a, b := k[i], n[i]
		if a == '_' {
			a = '-'
		}
		if b == '_' {
			b = '-'
		}
		if a != b {
			return false
		}
	}
	return true
}
