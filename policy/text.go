package policy

import (
	"unicode/utf8"
)

// checkText refuses Cedar text (a policy file or a text schema) holding a
// character that readers disagree on. Rust Cedar, which IAM's review and CI
// run, ends a // comment at a carriage return, cedar-go only at a line
// feed, so a lone CR after a comment hides what follows from Tollgate
// alone. Other line breaks (VT, FF, NEL, U+2028/9) break lines in some
// editors and not others, and bidi controls make text display in another
// order than it is parsed (Trojan Source). CRLF and tabs are fine.
func checkText(f *sourceFile, sentinel error) *LoadError {
	line, col := 1, 1
	for i := 0; i < len(f.data); {
		r, size := utf8.DecodeRune(f.data[i:])
		if what := ambiguous(r, f.data[i+size:]); what != "" {
			return &LoadError{File: f.path, Line: line, Column: col, Err: detail(sentinel,
				"%s (%U): readers disagree on where lines and comments end or in what order text reads; remove it", what, r)}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// ambiguous names the kind of r when it is refused, given the bytes after it.
func ambiguous(r rune, rest []byte) string {
	switch {
	case r == '\t' || r == '\n':
		return ""
	case r == '\r':
		if len(rest) > 0 && rest[0] == '\n' {
			return ""
		}
		return "a carriage return not followed by a line feed"
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return "a control character"
	case r == 0x2028 || r == 0x2029:
		return "a Unicode line or paragraph separator"
	case r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
		return "a bidirectional text control"
	}
	return ""
}
