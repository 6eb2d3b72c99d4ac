package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"risk_score", "environment", "tenant", "method"}
	for _, tc := range []struct{ in, want string }{
		{"riskscore", "risk_score"},
		{"enviroment", "environment"}, //nolint:misspell // the typo is the test
		{"Risk_Score", "risk_score"},
		{"bogus", ""},
		{"tenant", ""}, // an exact match is not a suggestion
	} {
		if got := Closest(tc.in, known); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
