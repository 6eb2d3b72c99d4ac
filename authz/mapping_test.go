package authz

import (
	"testing"

	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity"
)

func TestPrincipalEntity(t *testing.T) {
	tests := []struct {
		id     string
		ns, sa string // empty: no attribute
	}{
		{"spiffe://example.org/ns/shop/sa/frontend", "shop", "frontend"},
		{"spiffe://example.org/ns/shop/sa/frontend/extra", "", ""},
		{"spiffe://example.org/ns/shop/sa", "", ""},
		{"spiffe://example.org/ns/shop/x/sa/y", "", ""},
		{"spiffe://example.org/payments/api", "", ""},
		{"spiffe://example.org", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			id := spiffeid.RequireFromString(tt.id)
			e := principalEntity(&identity.Identity{ID: id})
			if e.UID != types.NewEntityUID("Workload", types.String(tt.id)) {
				t.Errorf("uid %s", e.UID)
			}
			attrs := e.Attributes
			if v, _ := attrs.Get("trust_domain"); v != types.String("example.org") {
				t.Errorf("trust_domain %v", v)
			}
			if v, _ := attrs.Get("path"); v != types.String(id.Path()) {
				t.Errorf("path %v", v)
			}
			ns, hasNS := attrs.Get("namespace")
			sa, hasSA := attrs.Get("service_account")
			if tt.ns == "" {
				if hasNS || hasSA {
					t.Errorf("unexpected namespace %v / service_account %v", ns, sa)
				}
				return
			}
			if ns != types.String(tt.ns) || sa != types.String(tt.sa) {
				t.Errorf("namespace %v service_account %v", ns, sa)
			}
		})
	}
}

func TestMapContext(t *testing.T) {
	mp := mapper{
		signals: []Signal{
			{Name: "risk", From: FromHeader, Key: "x-risk", Type: TypeLong},
			{Name: "tenant", From: FromContextExtension, Key: "tenant", Type: TypeString},
			{Name: "canary", From: FromMetadata, Key: "envoy.filters.x.canary", Type: TypeBool},
		},
		claims: []string{"sub", "groups", "n", "frac", "obj", "missing"},
	}
	m := ordersManifest(t)
	lk := m.Lookup("GET", "/orders/42", false, false, nil)
	rt, vals := lk.Rule, lk.Vals
	id := identity.Identity{ID: spiffeid.RequireFromString(frontend), Source: identity.SourceJWT, Claims: map[string]any{
		"sub": "x", "groups": []any{"a", "b"}, "n": float64(7), "frac": 1.5, "obj": map[string]any{},
	}}
	tests := []struct {
		name    string
		edit    func(*Request)
		key     string
		want    types.Value // nil: absent
		wantErr bool
	}{
		{"method", nil, "method", types.String("GET"), false},
		{"path normalised", nil, "path", types.String("/orders/42"), false},
		{"host normalised", func(r *Request) { r.Host = "Orders.Example.org.:8443" }, "host", types.String("orders.example.org"), false},
		{"scheme", func(r *Request) { r.Scheme = "HTTPS" }, "scheme", types.String("https"), false},
		{"tls", nil, "tls", types.True, false},
		{"time", nil, "time", types.NewDatetime(testTime), false},
		{"source ipv4", func(r *Request) { r.SourceAddress = "10.1.2.3" }, "source_address", mustIP(t, "10.1.2.3"), false},
		{"source ipv6", func(r *Request) { r.SourceAddress = "2001:db8::1" }, "source_address", mustIP(t, "2001:db8::1"), false},
		{"source missing", nil, "source_address", nil, false},
		{"source garbage", func(r *Request) { r.SourceAddress = "not-an-ip" }, "source_address", nil, false},
		{"source cidr refused", func(r *Request) { r.SourceAddress = "0.0.0.0/0" }, "source_address", nil, false},
		{"long signal", func(r *Request) { r.Headers["x-risk"] = "-5" }, "risk", types.Long(-5), false},
		{"long signal missing", nil, "risk", nil, false},
		{"long signal bad", func(r *Request) { r.Headers["x-risk"] = "5.0" }, "", nil, true},
		{"long signal overflow", func(r *Request) { r.Headers["x-risk"] = "99999999999999999999" }, "", nil, true},
		{"long signal spaces", func(r *Request) { r.Headers["x-risk"] = " 5" }, "", nil, true},
		{"string signal", func(r *Request) { r.ContextExtensions = map[string]string{"tenant": "acme"} }, "tenant", types.String("acme"), false},
		{"bool signal", func(r *Request) { r.Metadata = map[string]string{"envoy.filters.x.canary": "true"} }, "canary", types.True, false},
		{"bool signal bad", func(r *Request) { r.Metadata = map[string]string{"envoy.filters.x.canary": "1"} }, "", nil, true},
		{"jwt claims", nil, "jwt", types.NewRecord(types.RecordMap{
			"sub": types.String("x"), "groups": types.NewSet(types.String("a"), types.String("b")), "n": types.Long(7),
		}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := req(frontend, "GET", "/orders/42")
			if tt.edit != nil {
				tt.edit(r)
			}
			in, err := mp.build(r, &id, nil, rt, vals, "/orders/42", testTime)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want a bad signal error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := in.req.Context.Get(types.String(tt.key))
			if tt.want == nil {
				if ok {
					t.Fatalf("%s = %v, want absent", tt.key, got)
				}
				return
			}
			if !ok || !got.Equal(tt.want) {
				t.Fatalf("%s = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestMapNoJWTForX509(t *testing.T) {
	mp := mapper{claims: []string{"sub"}}
	lk := ordersManifest(t).Lookup("GET", "/orders/42", false, false, nil)
	rt, vals := lk.Rule, lk.Vals
	id := identity.Identity{ID: spiffeid.RequireFromString(frontend), Source: identity.SourceX509, Claims: map[string]any{"sub": "x"}}
	in, err := mp.build(req(frontend, "GET", "/orders/42"), &id, nil, rt, vals, "/orders/42", testTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := in.req.Context.Get("jwt"); ok {
		t.Fatal("context.jwt must only exist for JWT identities")
	}
	if in.resource.UID.String() != `Order::"42"` || in.req.Action.String() != `Action::"ReadOrder"` {
		t.Fatalf("resource %s action %s", in.resource.UID, in.req.Action)
	}
}

func mustIP(t *testing.T, s string) types.IPAddr {
	t.Helper()
	ip, err := types.ParseIPAddr(s)
	if err != nil {
		t.Fatal(err)
	}
	return ip
}
