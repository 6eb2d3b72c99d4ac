package policy

import (
	"unicode"
	"unicode/utf8"
)

// printable reports whether s is valid UTF-8 without control or format
// characters (C0, C1, DEL, zero-width and bidi controls). Such a string can
// become a metric label (client_golang panics on invalid UTF-8) or a log
// field, and reads the same to a reviewer as it does to Tollgate.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}
