package xfcc_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

// The first three headers are the examples in Envoy's documentation
// (configuration/http/http_conn_man/headers, x-forwarded-client-cert).
const (
	envoyDocOne = `By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject="/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client";URI=http://testclient.lyft.com`
	envoyDocTwo = `By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;URI=http://testclient.lyft.com,By=http://backend.lyft.com;Hash=9ba61d6425303443c0748a02dd8de688468ed33be74eee6556d90c0149c1309e;URI=http://frontend.lyft.com`
	envoyDocDNS = `By=http://frontend.lyft.com;Hash=468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688;Subject="/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client";URI=http://testclient.lyft.com;DNS=lyft.com;DNS=www.lyft.com`

	hashA = "468ed33be74eee6556d90c0149c1309e9ba61d6425303443c0748a02dd8de688"
	hashB = "9ba61d6425303443c0748a02dd8de688468ed33be74eee6556d90c0149c1309e"
)

func TestParseValid(t *testing.T) {
	lyftSubject := "/C=US/ST=CA/L=San Francisco/OU=Lyft/CN=Test Client"
	tests := []struct {
		name   string
		header string
		want   []xfcc.Element
	}{
		{"envoy doc: one element", envoyDocOne, []xfcc.Element{{
			By: []string{"http://frontend.lyft.com"}, Hash: hashA, Subject: lyftSubject,
			URI: []string{"http://testclient.lyft.com"},
		}}},
		{"envoy doc: two elements", envoyDocTwo, []xfcc.Element{
			{By: []string{"http://frontend.lyft.com"}, Hash: hashA, URI: []string{"http://testclient.lyft.com"}},
			{By: []string{"http://backend.lyft.com"}, Hash: hashB, URI: []string{"http://frontend.lyft.com"}},
		}},
		{"envoy doc: URI and DNS", envoyDocDNS, []xfcc.Element{{
			By: []string{"http://frontend.lyft.com"}, Hash: hashA, Subject: lyftSubject,
			URI: []string{"http://testclient.lyft.com"}, DNS: []string{"lyft.com", "www.lyft.com"},
		}}},
		{"simple element", "URI=spiffe://example.org/web",
			[]xfcc.Element{{URI: []string{"spiffe://example.org/web"}}}},
		{"keys are case-insensitive", "by=spiffe://example.org/proxy;uri=spiffe://example.org/web;dns=a.example;SUBJECT=\"CN=x\"",
			[]xfcc.Element{{By: []string{"spiffe://example.org/proxy"}, URI: []string{"spiffe://example.org/web"},
				DNS: []string{"a.example"}, Subject: "CN=x"}}},
		{"quoted subject with commas and escaped quotes", `Subject="CN=\"Doe, John\";O=Acme=Corp";URI=spiffe://example.org/a`,
			[]xfcc.Element{{Subject: `CN="Doe, John";O=Acme=Corp`, URI: []string{"spiffe://example.org/a"}}}},
		{"escaped backslash, other backslashes literal", `Subject="a\\b\,c"`,
			[]xfcc.Element{{Subject: `a\b\,c`}}},
		{"empty quoted subject", `Subject="";URI=spiffe://example.org/a`,
			[]xfcc.Element{{URI: []string{"spiffe://example.org/a"}}}},
		{"quoted URI", `URI="spiffe://example.org/a"`,
			[]xfcc.Element{{URI: []string{"spiffe://example.org/a"}}}},
		{"unquoted value with '='", `URI=https://example.org/?a=b`,
			[]xfcc.Element{{URI: []string{"https://example.org/?a=b"}}}},
		{"repeated URI and By", "By=spiffe://td/p1;By=spiffe://td/p2;URI=spiffe://td/a;URI=https://a.example",
			[]xfcc.Element{{By: []string{"spiffe://td/p1", "spiffe://td/p2"},
				URI: []string{"spiffe://td/a", "https://a.example"}}}},
		{"hash is case-insensitive hex", "Hash=" + strings.ToUpper(hashA),
			[]xfcc.Element{{Hash: strings.ToUpper(hashA)}}},
		{"URL-encoded cert keeps '+'", `Cert="-----BEGIN%20CERTIFICATE-----%0Aab+c%2Fd%3D%0A"`,
			[]xfcc.Element{{Cert: "-----BEGIN CERTIFICATE-----\nab+c/d=\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := xfcc.Parse(tt.header)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseAllKeys(t *testing.T) {
	c := mintChain(t, "spiffe://example.org/ns/default/sa/web")
	header := "By=spiffe://example.org/proxy;Hash=" + c.hash() +
		`;Cert="` + envoyURLEncode(c.leafPEM()) + `";Chain="` + envoyURLEncode(c.chainPEM()) +
		`";Subject="O=Tollgate\, Test";URI=spiffe://example.org/ns/default/sa/web;DNS=web.example.org`
	got, err := xfcc.Parse(header)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := []xfcc.Element{{
		By: []string{"spiffe://example.org/proxy"}, Hash: c.hash(), Cert: c.leafPEM(), Chain: c.chainPEM(),
		Subject: `O=Tollgate\, Test`, URI: []string{"spiffe://example.org/ns/default/sa/web"},
		DNS: []string{"web.example.org"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\n got %#v\nwant %#v", got, want)
	}
}
