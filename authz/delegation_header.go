package authz

import (
	"errors"
	"strings"
)

var errUnderscoreHeader = errors.New("a subject credential header spelled with underscores")

// underscoreSpelling reports whether headers hold one of names (lower
// case) spelled with "_" for some "-". CGI-style servers (Rack, PHP, WSGI)
// read x_user_token as x-user-token, and Envoy passes underscores by
// default: such a header would speak for the request upstream while
// Tollgate verified another token, or none.
func underscoreSpelling(headers map[string]string, names ...string) bool {
	for k := range headers {
		if !strings.Contains(k, "_") {
			continue
		}
		u := strings.ReplaceAll(k, "_", "-")
		for _, n := range names {
			if n != "" && u == n && k != n {
				return true
			}
		}
	}
	return false
}
