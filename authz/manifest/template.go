package manifest

import (
	"errors"
	"fmt"
	"strings"
)

// segKind orders template segments by precedence: a literal segment beats
// a {param}, which beats a {rest...}.
type segKind uint8

const (
	segLiteral segKind = iota
	segParam
	segRest
)

type tmplSeg struct {
	kind segKind
	text string // literal text, or the capture name
}

// parsePathTemplate parses an HTTP path template: "/" followed by
// "/"-separated segments, each a literal, {name} (exactly one segment) or,
// as the last segment only, {name...} (one or more remaining segments).
// Literals are matched against the decoded, normalised request path.
func parsePathTemplate(t string) ([]tmplSeg, error) {
	if !strings.HasPrefix(t, "/") {
		return nil, errors.New("must start with \"/\"")
	}
	if t == "/" {
		return nil, nil
	}
	parts := strings.Split(t[1:], "/")
	segs := make([]tmplSeg, 0, len(parts))
	seen := map[string]bool{}
	for i, p := range parts {
		s, err := parseTemplateSeg(p)
		if err != nil {
			return nil, fmt.Errorf("segment %d %q: %w", i+1, p, err)
		}
		if s.kind == segRest && i != len(parts)-1 {
			return nil, fmt.Errorf("segment %d %q: {name...} is only allowed as the last segment", i+1, p)
		}
		if s.kind != segLiteral {
			if seen[s.text] {
				return nil, fmt.Errorf("capture {%s} is used twice", s.text)
			}
			seen[s.text] = true
		}
		segs = append(segs, s)
	}
	return segs, nil
}

func parseTemplateSeg(p string) (tmplSeg, error) {
	if p == "" {
		return tmplSeg{}, errors.New("empty segment (no \"//\" and no trailing \"/\")")
	}
	if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
		name := p[1 : len(p)-1]
		kind := segParam
		if n, ok := strings.CutSuffix(name, "..."); ok {
			name, kind = n, segRest
		}
		if !IsIdent(name) {
			return tmplSeg{}, errors.New("capture names are letters, digits and _, not starting with a digit")
		}
		return tmplSeg{kind: kind, text: name}, nil
	}
	if p == "." || p == ".." {
		return tmplSeg{}, errors.New("dot segments never match a normalised path")
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || strings.IndexByte("{}%?#\\", c) >= 0 {
			return tmplSeg{}, fmt.Errorf("character %q is not allowed in a literal segment (a capture must be a whole segment)", c)
		}
	}
	return tmplSeg{kind: segLiteral, text: p}, nil
}

// IsIdent says s is an identifier: a letter or "_", then letters, digits
// or "_" (capture names, gRPC name parts, signal names).
func IsIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// captureNames lists a template's captures in segment order.
func captureNames(segs []tmplSeg) []string {
	var names []string
	for _, s := range segs {
		if s.kind != segLiteral {
			names = append(names, s.text)
		}
	}
	return names
}

// shapeKey identifies templates that match exactly the same paths; with
// fold, literals that differ only in ASCII case do.
func shapeKey(segs []tmplSeg, fold bool) string {
	var b strings.Builder
	for _, s := range segs {
		switch s.kind {
		case segLiteral:
			if fold {
				s.text = lowerASCII(s.text)
			}
			b.WriteString("/" + s.text)
		case segParam:
			b.WriteString("/{}")
		case segRest:
			b.WriteString("/{...}")
		}
	}
	return b.String()
}
