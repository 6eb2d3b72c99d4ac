package delegation

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	redirectURI = "http://127.0.0.1:1/callback" // never reached: the test stops at the redirect
	secret      = "s3cret"
)

// provider is zitadel's example OP with its example storage, changed in
// three ways through the storage interface only: clients get JWT access
// tokens and the client_credentials grant; token exchange writes the RFC
// 8693 act chain (the example leaves the delegation act commented out);
// and the client "expired-client" gets tokens whose expiry has passed.
type provider struct {
	URL string
	st  *opStorage
}

type opStorage struct {
	*storage.Storage
	mu      sync.Mutex
	chains  map[string][]string                  // access token id -> act chain, outermost first
	pending map[op.TokenExchangeRequest][]string // chain of the token being minted
}

// jwtClient makes an example client issue JWT access tokens and use the
// client_credentials grant (for actor tokens) too.
type jwtClient struct{ op.Client }

func (jwtClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }
func (c jwtClient) GrantTypes() []oidc.GrantType {
	return append(c.Client.GrantTypes(), oidc.GrantTypeClientCredentials)
}

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	return jwtClient{c}, nil
}

func (s *opStorage) ClientCredentials(ctx context.Context, id, sec string) (op.Client, error) {
	if err := s.Storage.AuthorizeClientIDSecret(ctx, id, sec); err != nil {
		return nil, err
	}
	return s.GetClientByClientID(ctx, id)
}

func (s *opStorage) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	return &oidc.JWTTokenRequest{Subject: id, Audience: []string{id}, Scopes: scopes}, nil
}

// ValidateTokenExchangeRequest allows delegation (an actor token is
// required) and keeps the subject.
func (s *opStorage) ValidateTokenExchangeRequest(_ context.Context, r op.TokenExchangeRequest) error {
	if r.GetExchangeActor() == "" {
		return errors.New("an actor token is required")
	}
	r.SetRequestedTokenType(oidc.AccessTokenType)
	r.SetCurrentScopes(r.GetScopes())
	return nil
}

func (s *opStorage) CreateAccessToken(ctx context.Context, r op.TokenRequest) (string, time.Time, error) {
	id, exp, err := s.Storage.CreateAccessToken(ctx, r)
	if err != nil {
		return "", exp, err
	}
	if a, ok := r.(*storage.AuthRequest); ok && a.ApplicationID == "expired-client" {
		exp = time.Now().Add(-2 * time.Minute)
	}
	if te, ok := r.(op.TokenExchangeRequest); ok {
		s.mu.Lock()
		chain := append([]string{te.GetExchangeActor()}, s.chains[te.GetExchangeSubjectTokenIDOrToken()]...)
		s.chains[id], s.pending[te] = chain, chain
		s.mu.Unlock()
	}
	return id, exp, nil
}

func (s *opStorage) GetPrivateClaimsFromTokenExchangeRequest(ctx context.Context, r op.TokenExchangeRequest) (map[string]any, error) {
	claims, err := s.Storage.GetPrivateClaimsFromScopes(ctx, r.GetSubject(), r.GetClientID(), r.GetScopes())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	chain := s.pending[r]
	delete(s.pending, r)
	s.mu.Unlock()
	var act map[string]any
	for i := len(chain) - 1; i >= 0; i-- {
		next := map[string]any{"sub": chain[i]}
		if act != nil {
			next["act"] = act
		}
		act = next
	}
	if claims == nil {
		claims = map[string]any{}
	}
	claims["act"] = act
	return claims, nil
}

// startProvider runs the OP on a loopback port with the given clients.
func startProvider(t *testing.T, clients ...string) *provider {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + l.Addr().String()
	cs := map[string]*storage.Client{}
	for _, c := range clients {
		cs[c] = storage.WebClient(c, secret, redirectURI)
	}
	st := &opStorage{Storage: storage.NewStorageWithClients(storage.NewUserStore(issuer), cs),
		chains: map[string][]string{}, pending: map[op.TokenExchangeRequest][]string{}}
	srv := &http.Server{Handler: exampleop.SetupServer(issuer, st, nil, false), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return &provider{URL: issuer, st: st}
}

// userToken runs the authorization code flow as a browser would: the
// example OP's login form, then the code exchange. It returns the JWT
// access token the OP issued to client for the user.
func (p *provider) userToken(t *testing.T, client, username string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(r.URL.String(), redirectURI) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	q := url.Values{"client_id": {client}, "redirect_uri": {redirectURI}, "response_type": {"code"},
		"scope": {"openid profile email"}, "state": {"st"}}
	resp, err := hc.Get(p.URL + "/auth?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	authReq := resp.Request.URL.Query().Get("authRequestID")
	if authReq == "" {
		t.Fatalf("no login page: %s", resp.Request.URL)
	}
	resp, err = hc.PostForm(p.URL+"/login/username", url.Values{"id": {authReq}, "username": {username}, "password": {"verysecure"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("login did not redirect with a code: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return p.token(t, client, url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirectURI}})
}

// clientToken is client's own JWT access token (client_credentials).
func (p *provider) clientToken(t *testing.T, client string) string {
	t.Helper()
	return p.token(t, client, url.Values{"grant_type": {"client_credentials"}, "scope": {"openid"}})
}

// exchange is RFC 8693 token exchange by actor: the subject token,
// with actor's own token as actor_token.
func (p *provider) exchange(t *testing.T, actor, subjectToken string) string {
	t.Helper()
	return p.token(t, actor, url.Values{"grant_type": {string(oidc.GrantTypeTokenExchange)},
		"subject_token": {subjectToken}, "subject_token_type": {string(oidc.AccessTokenType)},
		"actor_token": {p.clientToken(t, actor)}, "actor_token_type": {string(oidc.AccessTokenType)},
		"requested_token_type": {string(oidc.AccessTokenType)}, "scope": {"openid"}, "audience": {"tools"}})
}

func (p *provider) token(t *testing.T, client string, form url.Values) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.URL+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(client, secret)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Desc        string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		t.Fatalf("token endpoint: %d %s %s (%v)", resp.StatusCode, out.Error, out.Desc, err)
	}
	if strings.Count(out.AccessToken, ".") != 2 {
		t.Fatalf("the OP issued an opaque token, not a JWT")
	}
	return out.AccessToken
}
