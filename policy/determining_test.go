package policy

import (
	"slices"
	"testing"
)

// On a forbid_error denial the forbids that matched stay determining, next
// to the forbids that errored; the permits that matched do not.
func TestForbidErrorKeepsMatchedForbids(t *testing.T) {
	src := `@id("allow-read") permit (principal, action == Action::"read", resource);
@id("deny-blocked") forbid (principal == User::"mallory", action, resource);
@id("deny-risky") forbid (principal, action, resource) when { context.risk > 5 };
@id("deny-everyone-frozen") forbid (principal, action, resource is Order) when { resource.frozen };
`
	s, err := Load(mapFS(map[string]string{"p.cedar": src}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		principal   string
		determining []string
		errors      []string
	}{
		{"matched and errored forbids", "mallory", []string{"deny-blocked", "deny-risky", "deny-everyone-frozen"},
			[]string{"deny-risky", "deny-everyone-frozen"}},
		{"only errored forbids, permit matched", "alice", []string{"deny-risky", "deny-everyone-frozen"},
			[]string{"deny-risky", "deny-everyone-frozen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req(uid("User", tt.principal), uid("Action", "read"), uid("Order", "1"), nil)
			for name, d := range map[string]Decision{"indexed": s.Evaluate(r), "full": s.evaluateAll(r)} {
				if d.Allow || d.Reason != ReasonForbidError || !slices.Equal(d.Determining, tt.determining) ||
					!slices.Equal(errorIDs(d), tt.errors) {
					t.Errorf("%s: %+v, want forbid_error determined by %v, errors %v", name, d, tt.determining, tt.errors)
				}
			}
		})
	}
}
