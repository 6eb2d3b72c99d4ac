package xfcc

import (
	"fmt"
	"strings"
)

// key is one of the XFCC keys Envoy defines.
type key int

const (
	keyBy key = iota
	keyHash
	keyCert
	keyChain
	keySubject
	keyURI
	keyDNS
	numKeys
)

// String returns the canonical spelling of the key, as Envoy writes it.
func (k key) String() string {
	switch k {
	case keyBy:
		return "By"
	case keyHash:
		return "Hash"
	case keyCert:
		return "Cert"
	case keyChain:
		return "Chain"
	case keySubject:
		return "Subject"
	case keyURI:
		return "URI"
	case keyDNS:
		return "DNS"
	}
	return "unknown"
}

// lookupKey matches name case-insensitively against the known keys.
func lookupKey(name string) (key, bool) {
	for k := range numKeys {
		if strings.EqualFold(k.String(), name) {
			return k, true
		}
	}
	return 0, false
}

// repeatable reports whether a key may occur more than once in an element.
func (k key) repeatable() bool { return k == keyBy || k == keyURI || k == keyDNS }

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// quotedByte reports whether c may appear literally inside quotes: anything
// but control characters (the quote and backslash are handled by the caller).
func quotedByte(c byte) bool { return c >= 0x20 && c != 0x7f }

// unquotedByte reports whether c may appear in an unquoted value. '=' is
// allowed (Envoy writes URI SANs unquoted); separators, quotes and spaces
// are not.
func unquotedByte(c byte) bool {
	return quotedByte(c) && c != ' ' && c != '"' && c != ',' && c != ';'
}

func isSHA256Hex(v string) bool {
	if len(v) != 64 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}

// clip quotes a key for an error message, truncating long ones. Keys only
// ever contain ASCII letters, so this cannot leak header values.
func clip(s string) string {
	const limit = 16
	if len(s) > limit {
		return fmt.Sprintf("%q...", s[:limit])
	}
	return fmt.Sprintf("%q", s)
}

// byteName describes a single byte for an error message.
func byteName(c byte) string {
	if c >= 0x21 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("0x%02x", c)
}
