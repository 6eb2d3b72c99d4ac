package manifest

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// hasCompatChar reports a decoded path segment with a non-ASCII character
// that some upstream reads as ASCII: one whose NFKC form holds an ASCII
// byte ("．" is ".", "／" is "/", "ａ" is "a", "ﬁ" is "fi"; Python's
// unicodedata and Java's Normalizer apply NFKC), or a separator that
// Windows' best-fit code-page mapping turns into "/" or "\" ("∕", "⁄",
// "∖", "⧵"). Either reading could be the upstream's, so the path is
// refused (PathCompatChar). Letters that an ASCII case folding reaches
// ("ſ", "K", "ı") are left to the case check (PathAmbiguousCase).
func hasCompatChar(seg string) bool {
	for i := 0; i < len(seg); {
		if seg[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(seg[i:])
		if bestFitSeparator(r) || asciiFold(r) == 0 && compatASCII(seg[i:i+n]) {
			return true
		}
		i += n
	}
	return false
}

// compatASCII reports a character whose NFKC form holds an ASCII byte.
func compatASCII(ch string) bool {
	if norm.NFKC.IsNormalString(ch) {
		return false
	}
	k := norm.NFKC.String(ch)
	for i := 0; i < len(k); i++ {
		if k[i] < utf8.RuneSelf {
			return true
		}
	}
	return false
}

func bestFitSeparator(r rune) bool {
	switch r {
	case '\u2215', '\u2044', '\u2216', '\u29f5':
		return true
	}
	return false
}
