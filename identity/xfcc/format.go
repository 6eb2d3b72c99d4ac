package xfcc

import "strings"

// Format serialises elements in Envoy's layout (By, Hash, Cert, Chain,
// Subject, URI, DNS), URL-encoding Cert and Chain and quoting values that
// need it. Empty fields are omitted (an element with no non-empty field is
// written as Subject=""). It does not validate: for any elems
// returned by Parse, Parse(Format(elems)) returns an equal value. It is meant
// for tests and tools that build headers.
func Format(elems []Element) string {
	var sb strings.Builder
	for i, e := range elems {
		if i > 0 {
			sb.WriteByte(',')
		}
		w := pairWriter{sb: &sb}
		for _, v := range e.By {
			w.pair("By", v)
		}
		w.pair("Hash", e.Hash)
		w.pair("Cert", urlEncode(e.Cert))
		w.pair("Chain", urlEncode(e.Chain))
		w.pair("Subject", e.Subject)
		for _, v := range e.URI {
			w.pair("URI", v)
		}
		for _, v := range e.DNS {
			w.pair("DNS", v)
		}
		if !w.wrote {
			// An element parsed from a lone Subject="" (Envoy writes this
			// for a certificate with an empty subject) has no other pair.
			sb.WriteString(`Subject=""`)
		}
	}
	return sb.String()
}

type pairWriter struct {
	sb    *strings.Builder
	wrote bool
}

func (w *pairWriter) pair(k, v string) {
	if v == "" {
		return
	}
	if w.wrote {
		w.sb.WriteByte(';')
	}
	w.wrote = true
	w.sb.WriteString(k)
	w.sb.WriteByte('=')
	if !needsQuotes(v) {
		w.sb.WriteString(v)
		return
	}
	w.sb.WriteByte('"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' || v[i] == '\\' {
			w.sb.WriteByte('\\')
		}
		w.sb.WriteByte(v[i])
	}
	w.sb.WriteByte('"')
}

// needsQuotes reports whether v cannot be written unquoted. '=' is quoted
// too, as Envoy's documentation asks, although Parse accepts it unquoted.
func needsQuotes(v string) bool {
	for i := 0; i < len(v); i++ {
		if !unquotedByte(v[i]) || v[i] == '=' || v[i] == '\\' {
			return true
		}
	}
	return false
}

// urlEncode percent-encodes every byte outside RFC 3986's unreserved set.
func urlEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var sb strings.Builder
	sb.Grow(len(s) * 3 / 2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			sb.WriteByte(c)
			continue
		}
		sb.WriteByte('%')
		sb.WriteByte(hexDigits[c>>4])
		sb.WriteByte(hexDigits[c&0xf])
	}
	return sb.String()
}
