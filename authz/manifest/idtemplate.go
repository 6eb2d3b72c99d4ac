package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// idPart is a literal piece of a resource id template (capture < 0) or a
// reference to the capture with that index.
type idPart struct {
	lit     string
	capture int
}

// parseIDTemplate parses a resource id template such as "order-{id}"
// against the route's capture names.
func parseIDTemplate(t string, captures []string) ([]idPart, error) {
	if t == "" {
		return nil, errors.New("must not be empty")
	}
	var parts []idPart
	for rest := t; rest != ""; {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			parts = append(parts, idPart{lit: rest, capture: -1})
			break
		}
		if rest[open] == '}' {
			return nil, errors.New("unmatched \"}\"")
		}
		if open > 0 {
			parts = append(parts, idPart{lit: rest[:open], capture: -1})
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, errors.New("unclosed \"{\"")
		}
		name := strings.TrimSuffix(rest[open+1:open+end], "...")
		idx := slices.Index(captures, name)
		if idx < 0 {
			return nil, fmt.Errorf("{%s} is not a capture of the route (captures: %s)", name, strings.Join(captures, ", "))
		}
		parts = append(parts, idPart{capture: idx})
		rest = rest[open+end+1:]
	}
	return parts, nil
}

// renderID builds the resource id from the captured values.
func renderID(parts []idPart, vals []string) string {
	if len(parts) == 1 {
		if parts[0].capture < 0 {
			return parts[0].lit
		}
		return vals[parts[0].capture]
	}
	var b strings.Builder
	for _, p := range parts {
		if p.capture < 0 {
			b.WriteString(p.lit)
		} else {
			b.WriteString(vals[p.capture])
		}
	}
	return b.String()
}
