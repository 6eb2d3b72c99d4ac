package oci

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// TestRegistryErrorTextBounded: the text of a registry's error answer
// reaches the Fetcher's ERROR log line; a registry must not be able to
// write tens of kilobytes into it per poll.
// The error still classifies as a registry refusal.
func TestRegistryErrorTextBounded(t *testing.T) {
	huge := strings.Repeat("A", 60<<10) // go-containerregistry reads at most 64 KiB of an error answer
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/" {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"errors":[{"code":"DENIED","message":"` + huge + `"}]}`))
	}))
	t.Cleanup(srv.Close)
	src, err := NewSource("oci://"+strings.TrimPrefix(srv.URL, "http://")+"/iam/policy:prod", plainHTTP)
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Fetch(context.Background(), "")
	if !errors.Is(err, bundle.ErrStatus) {
		t.Fatalf("Fetch = %v, want ErrStatus", err)
	}
	if n := len(err.Error()); n > 1024 {
		t.Fatalf("error text is %d bytes, want at most 1024", n)
	}
}
