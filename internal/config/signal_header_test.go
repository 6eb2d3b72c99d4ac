package config

import (
	"errors"
	"strings"
	"testing"
)

// TestSignalHeaderKeyRefused: a header signal whose key no request can
// carry ("x risk", "x-risk:") is always absent, so a forbid guarded by
// `context has` never fires; one reading a header Tollgate sets upstream
// (x-spiffe-id, x-tollgate-decision-id, any spelling) hands policies the
// client's copy while the upstream gets Tollgate's; one reading
// authorization copies the raw bearer token into the context. All are
// refused, naming signals[0].key.
func TestSignalHeaderKeyRefused(t *testing.T) {
	for _, key := range []string{`"x risk"`, `"x-risk:"`, `"x-risk "`, `"é"`, "x-spiffe-id", "X-SPIFFE-ID", "x_spiffe_id",
		"x-tollgate-decision-id", "authorization", "Authorization"} {
		t.Run(key, func(t *testing.T) {
			cfg := good + "  - name: tok\n    from: header\n    key: " + key + "\n"
			_, err := Parse("t.yaml", []byte(cfg))
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "signals[1].key") {
				t.Fatalf("err = %v, want one naming signals[1].key", err)
			}
		})
	}
	for _, key := range []string{"x-tenant", "X-Risk-Score", "x_tenant"} {
		cfg := good + "  - name: tok\n    from: header\n    key: " + key + "\n"
		if _, err := Parse("t.yaml", []byte(cfg)); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
}
