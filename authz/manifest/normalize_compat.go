package manifest

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// hasCompatChar reports a canonical path that some upstream reads as
// another path: one not in NFKC form, which Python's unicodedata, Java's
// Normalizer and normalisation-insensitive file systems apply ("．．" is
// "..", "／" is "/", "ａ" is "a", "ϰ" is "κ", a decomposed "é" is the
// composed one), or one with a separator that Windows' best-fit
// code-page mapping turns into "/" or "\" ("∕", "⁄", "∖", "⧵"). Either
// reading could be the upstream's, so the path is refused
// (PathCompatChar). Lookup asks after routing, so that a letter a case
// folding reaches ("ſ", "K") and that changes the route is reported as
// PathAmbiguousCase.
func hasCompatChar(path string) bool {
	for i := 0; i < len(path); i++ {
		if path[i] >= utf8.RuneSelf {
			return !norm.NFKC.IsNormalString(path) || strings.ContainsAny(path[i:], bestFitSeparators)
		}
	}
	return false
}

// bestFitSeparators become "/" or "\" in Windows' best-fit mapping and
// have no NFKC decomposition.
const bestFitSeparators = "\u2215\u2044\u2216\u29f5"

// RefusedPath reports why Lookup refuses a path whatever its route: a raw
// space or control character (checkTarget) or a compatibility character
// (hasCompatChar); "" when neither. The AuthZEN door holds an asserted
// context.path to it, so it refuses what the Envoy door refuses.
func RefusedPath(path string) PathCode {
	if code := checkTarget(path); code != "" {
		return code
	}
	if hasCompatChar(path) {
		return PathCompatChar
	}
	return ""
}

// CompatChar reports text that is not in NFKC form or holds a best-fit
// separator (see hasCompatChar): the rule the router applies to a path,
// for the AuthZEN door's resource ids, which an HTTP route builds from one.
func CompatChar(s string) bool { return hasCompatChar(s) }
