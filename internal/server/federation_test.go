package server

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
)

// TestFederationGatesReadiness: a federated trust domain with
// max_bundle_age whose bundle was never fetched makes Tollgate unready;
// without max_bundle_age it does not.
func TestFederationGatesReadiness(t *testing.T) {
	for _, tc := range []struct {
		name   string
		maxAge time.Duration
		ready  bool
	}{
		{"max_bundle_age set", time.Minute, false},
		{"no max_bundle_age", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Identity{Federation: []config.Federation{{
				TrustDomain: "partner.org", URL: "https://127.0.0.1:1/bundle", Profile: identity.ProfileHTTPSWeb,
				MaxBundleAge: tc.maxAge,
			}}}
			s, err := buildSources(context.Background(), cfg, slog.New(slog.DiscardHandler), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer s.close()
			err = s.ready()
			if tc.ready && err != nil {
				t.Fatalf("ready() = %v, want nil", err)
			}
			if !tc.ready && !errors.Is(err, identity.ErrNotReady) {
				t.Fatalf("ready() = %v, want ErrNotReady", err)
			}
		})
	}
}
