package xfcc_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

func TestSelect(t *testing.T) {
	const (
		proxy   = "spiffe://example.org/ns/edge/sa/envoy"
		proxy2  = "spiffe://example.org/ns/mesh/sa/envoy"
		victim  = "spiffe://example.org/ns/prod/sa/admin"
		client  = "spiffe://example.org/ns/prod/sa/web"
		outside = "spiffe://evil.example/attacker"
	)
	// A client that sent its own XFCC claiming to be victim, "added by" the
	// trusted proxy; the trusted proxy then appended the real element.
	spoofed := `By=` + proxy + `;URI=` + victim + `,By=` + proxy + `;URI=` + client
	// A client that forged a By nobody trusts, and a proxy that forwards
	// without appending (so the last element is the forged one).
	forged := `By=` + outside + `;URI=` + victim
	// Edge sanitizes and appends, the mesh proxy appends too.
	twoHops := `By=` + proxy + `;URI=` + client + `,By=` + proxy2 + `;URI=` + proxy
	trusted := []string{proxy, proxy2}

	tests := []struct {
		name    string
		header  string
		sel     xfcc.Selection
		wantURI string
		wantIdx int
		wantErr error
	}{
		{"default is last: spoofed first element ignored", spoofed, xfcc.Selection{}, client, 1, nil},
		{"explicit last", spoofed, xfcc.Selection{Index: xfcc.IndexLast, TrustedBy: trusted}, client, 1, nil},
		{"first", twoHops, xfcc.Selection{Index: xfcc.IndexFirst, TrustedBy: trusted}, client, 0, nil},
		{"first needs every later hop trusted", twoHops, xfcc.Selection{Index: xfcc.IndexFirst, TrustedBy: []string{proxy}}, "", 0, xfcc.ErrUntrustedHop},
		{"forged By rejected", forged, xfcc.Selection{TrustedBy: trusted}, "", 0, xfcc.ErrUntrustedHop},
		{"forged By accepted without TrustedBy", forged, xfcc.Selection{}, victim, 0, nil},
		{"missing By rejected", `URI=` + victim, xfcc.Selection{TrustedBy: trusted}, "", 0, xfcc.ErrUntrustedHop},
		{"By compared exactly", `By=` + proxy + `/;URI=` + victim, xfcc.Selection{TrustedBy: trusted}, "", 0, xfcc.ErrUntrustedHop},
		{"one of several By values trusted", `By=https://edge.example;By=` + proxy + `;URI=` + client, xfcc.Selection{TrustedBy: trusted}, client, 0, nil},
		{"unknown index", twoHops, xfcc.Selection{Index: "Last"}, "", 0, xfcc.ErrInvalidSelection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			elems, err := xfcc.Parse(tt.header)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, idx, err := xfcc.Select(elems, tt.sel)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Select error = %v, want %v", err, tt.wantErr)
				}
				if !reflect.DeepEqual(got, xfcc.Element{}) {
					t.Errorf("Select returned %#v with an error", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Select: %v", err)
			}
			if idx != tt.wantIdx || len(got.URI) != 1 || got.URI[0] != tt.wantURI {
				t.Errorf("Select = (%v, %d), want URI %s at %d", got.URI, idx, tt.wantURI, tt.wantIdx)
			}
		})
	}
}

func TestSelectNoElements(t *testing.T) {
	for _, elems := range [][]xfcc.Element{nil, {}} {
		if _, _, err := xfcc.Select(elems, xfcc.Selection{}); !errors.Is(err, xfcc.ErrNoElement) {
			t.Errorf("Select(%#v) error = %v, want ErrNoElement", elems, err)
		}
	}
}
