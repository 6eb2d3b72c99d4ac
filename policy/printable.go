package policy

import (
	"strings"
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

// checkID refuses an @id that hides characters or reads as another: control
// and format characters, and surrounding white space.
func checkID(id string) error {
	if !printable(id) {
		return detail(ErrInvalidID, "%q holds a control or invisible character; use letters, digits and punctuation", id)
	}
	if strings.TrimSpace(id) != id {
		return detail(ErrInvalidID, "%q starts or ends with white space", id)
	}
	return nil
}
