package manifest

import (
	"strings"
	"unicode/utf8"
)

// resolve is the slow path of normalize: decode each segment once, drop
// empty and "." segments, resolve "..", and re-join in canonical form.
func resolve(p string) (string, PathCode) {
	segs := make([]string, 0, strings.Count(p, "/"))
	for rest := p[1:]; ; {
		seg, tail, more := strings.Cut(rest, "/")
		dec, code := decodeSegment(seg)
		if code != "" {
			return "", code
		}
		switch dec {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, dec)
		}
		if !more {
			break
		}
		rest = tail
	}
	return joinCanonical(segs), ""
}

// decodeSegment percent-decodes one path segment exactly once.
func decodeSegment(seg string) (string, PathCode) {
	if !strings.Contains(seg, "%") {
		if !utf8.ValidString(seg) {
			return "", PathBadUTF8
		}
		return seg, ""
	}
	var b strings.Builder
	b.Grow(len(seg))
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '%' {
			if i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]) {
				return "", PathBadEscape
			}
			c = unhex(seg[i+1])<<4 | unhex(seg[i+2])
			i += 2
			switch {
			case c == '/' || c == '\\':
				return "", PathEncodedSeparator
			case c < 0x20 || c == 0x7f:
				return "", PathControlChar
			case c == ';':
				return "", PathParam
			}
		}
		b.WriteByte(c)
	}
	dec := b.String()
	if !utf8.ValidString(dec) {
		return "", PathBadUTF8
	}
	return dec, ""
}

// joinCanonical joins decoded segments, re-encoding the bytes that would
// otherwise change meaning when the result is read again as a raw path.
func joinCanonical(segs []string) string {
	if len(segs) == 0 {
		return "/"
	}
	n := 0
	for _, s := range segs {
		n += 1 + len(s) + 2*strings.Count(s, "%")
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range segs {
		b.WriteByte('/')
		writeEscaped(&b, s)
	}
	return b.String()
}

func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			b.WriteString("%25")
		case '?':
			b.WriteString("%3F")
		case '#':
			b.WriteString("%23")
		default:
			b.WriteByte(c)
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// unescapeSegment decodes a segment of a canonical path (the output of
// NormalizePath), in which only %25, %3F and %23 can occur.
func unescapeSegment(seg string) string {
	if !strings.Contains(seg, "%") {
		return seg
	}
	r := strings.NewReplacer("%25", "%", "%3F", "?", "%23", "#")
	return r.Replace(seg)
}
