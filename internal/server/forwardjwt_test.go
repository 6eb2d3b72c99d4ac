package server

import (
	"testing"

	"github.com/tollgate-authz/tollgate/internal/config"
)

// TestForwardJWT: ext_authz removes the caller's JWT-SVID unless the
// config keeps it, or ext_proc, which Envoy runs after ext_authz, needs to
// verify the caller again from the same header.
func TestForwardJWT(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  config.Config
		want bool
	}{
		{"no jwt", config.Config{}, false},
		{"jwt", config.Config{Identity: config.Identity{JWT: &config.JWT{}}}, false},
		{"jwt forward", config.Config{Identity: config.Identity{JWT: &config.JWT{Forward: true}}}, true},
		{"ext_proc", config.Config{Identity: config.Identity{JWT: &config.JWT{}}, ExtProc: config.ExtProc{Enabled: true}}, true},
	} {
		if got := forwardJWT(&tc.cfg); got != tc.want {
			t.Errorf("%s: forwardJWT = %v, want %v", tc.name, got, tc.want)
		}
	}
}
