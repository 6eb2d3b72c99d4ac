package subject_test

import (
	"errors"
	"testing"

	"github.com/tollgate-authz/tollgate/identity/subject"
)

const caller = "spiffe://example.org/agent"

func isCaller(v string) bool { return v == caller || v == "agent-client" }

func TestBind(t *testing.T) {
	all := []subject.Claim{subject.BindAct, subject.BindAZP, subject.BindClientID}
	cases := []struct {
		name  string
		s     subject.Subject
		order []subject.Claim
		bound bool
	}{
		{"act names caller", subject.Subject{Actors: []string{caller}}, all, true},
		{"act outermost names caller", subject.Subject{Actors: []string{caller, "spiffe://example.org/first"}}, all, true},
		{"act inner only names caller", subject.Subject{Actors: []string{"spiffe://example.org/other", caller}}, all, false},
		{"act names other", subject.Subject{Actors: []string{"spiffe://example.org/other"}, AZP: caller}, all, false},
		{"act decides over azp", subject.Subject{Actors: []string{caller}, AZP: "someone"}, all, true},
		{"azp names caller", subject.Subject{AZP: caller}, all, true},
		{"azp names mapped client id", subject.Subject{AZP: "agent-client"}, all, true},
		{"azp names other", subject.Subject{AZP: "other-client", ClientID: caller}, all, false},
		{"client_id names caller", subject.Subject{ClientID: "agent-client"}, all, true},
		{"client_id names other", subject.Subject{ClientID: "other-client"}, all, false},
		{"no binding claim", subject.Subject{}, all, false},
		{"act not configured", subject.Subject{Actors: []string{caller}}, []subject.Claim{subject.BindAZP}, false},
		{"only client_id configured", subject.Subject{AZP: "other", ClientID: "agent-client"}, []subject.Claim{subject.BindClientID}, true},
		{"no rules", subject.Subject{AZP: caller}, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := subject.Bind(&tc.s, tc.order, isCaller)
			if tc.bound != (err == nil) {
				t.Fatalf("bound=%v, err=%v", tc.bound, err)
			}
			if err != nil && (!errors.Is(err, subject.ErrUnbound) || subject.ReasonOf(err) != subject.ReasonUnbound) {
				t.Fatalf("want unbound, got %v", err)
			}
		})
	}
}

func TestFromPayloadActChain(t *testing.T) {
	cases := []struct {
		name    string
		payload string
		actors  []string
		ok      bool
	}{
		{"no act", `{"sub":"u"}`, nil, true},
		{"one hop", `{"sub":"u","act":{"sub":"a"}}`, []string{"a"}, true},
		{"two hops outermost first", `{"sub":"u","act":{"sub":"b","act":{"sub":"a"}}}`, []string{"b", "a"}, true},
		{"act not object", `{"sub":"u","act":["a"]}`, nil, false},
		{"act without sub", `{"sub":"u","act":{"iss":"x"}}`, nil, false},
		{"nested act bad", `{"sub":"u","act":{"sub":"b","act":{"sub":7}}}`, nil, false},
		{"too deep", `{"sub":"u","act":{"sub":"1","act":{"sub":"2","act":{"sub":"3","act":{"sub":"4","act":{"sub":"5","act":{"sub":"6","act":{"sub":"7","act":{"sub":"8","act":{"sub":"9"}}}}}}}}}}`, nil, false},
		{"azp not string", `{"sub":"u","azp":1}`, nil, false},
		{"empty client_id", `{"sub":"u","client_id":""}`, nil, false},
		{"sub empty", `{"sub":""}`, nil, false},
		{"not object", `[1]`, nil, false},
		{"trailing data", `{"sub":"u"} {}`, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := subject.FromPayload([]byte(tc.payload))
			if tc.ok != (err == nil) {
				t.Fatalf("ok=%v, err=%v", tc.ok, err)
			}
			if err != nil {
				if subject.ReasonOf(err) != subject.ReasonInvalid {
					t.Fatalf("want invalid, got %v", err)
				}
				return
			}
			if len(s.Actors) != len(tc.actors) {
				t.Fatalf("actors %v, want %v", s.Actors, tc.actors)
			}
			for i := range tc.actors {
				if s.Actors[i] != tc.actors[i] {
					t.Fatalf("actors %v, want %v", s.Actors, tc.actors)
				}
			}
		})
	}
}
