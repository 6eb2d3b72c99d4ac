package authzen

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

// checkSubjects: each scoped caller is allowed and has at least one real
// pattern (an empty list would read as "any subject").
func checkSubjects(callers []spiffeid.ID, subjects map[spiffeid.ID][]identity.IDPattern) error {
	for _, id := range slices.SortedFunc(maps.Keys(subjects), func(a, b spiffeid.ID) int { return strings.Compare(a.String(), b.String()) }) {
		ps := subjects[id]
		switch {
		case !slices.Contains(callers, id):
			return errors.Join(ErrConfig, fmt.Errorf("subjects names %s, which is not in allowed_callers", id))
		case len(ps) == 0 || slices.ContainsFunc(ps, identity.IDPattern.IsZero):
			return errors.Join(ErrConfig, fmt.Errorf("subjects of %s: name at least one pattern, and no zero pattern", id))
		}
	}
	return nil
}

func cloneSubjects(m map[spiffeid.ID][]identity.IDPattern) map[spiffeid.ID][]identity.IDPattern {
	out := make(map[spiffeid.ID][]identity.IDPattern, len(m))
	for id, ps := range m {
		out[id] = slices.Clip(slices.Clone(ps))
	}
	return out
}
