package identity

import (
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// TestFederationFetchLogHidesURLSecrets: a bundle endpoint URL may carry a
// password or a token in its query. A failed fetch is logged with the
// endpoint's scheme, host and path, never with those.
func TestFederationFetchLogHidesURLSecrets(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens: every fetch fails
	var out testutil.SyncBuffer
	for _, u := range []string{
		"https://user:hunter2@" + addr + "/bundle?token=s3cr3t",
		"https://" + addr + "/bundle?access_token=s3cr3t#hunter2",
	} {
		f, err := NewFederation(FederationConfig{StartTimeout: 5 * time.Second,
			Logger:    slog.New(slog.NewJSONHandler(&out, nil)),
			Endpoints: []FederationEndpoint{{TrustDomain: partnerTD, URL: u, Profile: ProfileHTTPSWeb}}})
		if err != nil {
			t.Fatal(err)
		}
		_ = f.Close()
	}
	logs := out.String()
	if !strings.Contains(logs, "federated bundle fetch failed") || !strings.Contains(logs, addr+"/bundle") {
		t.Fatalf("no failed fetch naming the endpoint logged:\n%s", logs)
	}
	for _, secret := range []string{"hunter2", "s3cr3t"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("log holds %q:\n%s", secret, logs)
		}
	}
}
