package oci

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// deadlineSeen fails every request, recording whether it had a deadline.
type deadlineSeen struct{ calls, withDeadline int }

var errStop = errors.New("stop here")

func (d *deadlineSeen) RoundTrip(req *http.Request) (*http.Response, error) {
	d.calls++
	if _, ok := req.Context().Deadline(); ok {
		d.withDeadline++
	}
	return nil, errStop
}

// TestFetchHasDeadline: a registry that accepts the connection and never
// answers must not hold a check forever. The Fetcher's first load passes
// the server's context (no deadline) and only falls back to the
// last-known-good bundle, or gives up at start_timeout, once a check
// returns; the http source has a client timeout, so the OCI source bounds
// each Fetch itself.
func TestFetchHasDeadline(t *testing.T) {
	rt := &deadlineSeen{}
	o := plainHTTP
	o.Transport = rt
	src, err := NewSource("oci://registry.example:5000/iam/policy:prod", o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Fetch(context.Background(), ""); err == nil {
		t.Fatal("Fetch through a failing transport succeeded")
	}
	if rt.calls == 0 || rt.withDeadline != rt.calls {
		t.Fatalf("%d of %d registry requests had a deadline, want all", rt.withDeadline, rt.calls)
	}
}
