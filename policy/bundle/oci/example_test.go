package oci_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/registry"

	"github.com/tollgate-authz/tollgate/policy/bundle"
	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
)

// Publish a signed bundle to a registry and keep a Fetcher up to date
// from its tag.
func Example() {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	loc := "oci://" + strings.TrimPrefix(srv.URL, "http://") + "/iam/orders:prod"
	opts := oci.Options{AllowInsecureHTTP: true, Keychain: authn.NewMultiKeychain()} // a test registry on loopback

	dir, _ := os.MkdirTemp("", "policies")
	defer os.RemoveAll(dir)
	_ = os.WriteFile(filepath.Join(dir, "main.cedar"), []byte(`@id("all") permit (principal, action, resource);`), 0o644)
	now := time.Now()
	archive, _ := bundle.Build(dir, bundle.BuildOptions{Version: "v1", Sequence: 1, Created: now, Expires: now.Add(time.Hour)})
	pub, priv, _ := ed25519.GenerateKey(nil)
	if _, err := oci.Push(context.Background(), loc, archive, bundle.Sign(archive, priv), opts); err != nil {
		fmt.Println(err)
		return
	}

	src, _ := oci.NewSource(loc, opts)
	f, _ := bundle.NewFetcher(bundle.FetcherConfig{
		Source: src, PublicKeys: []ed25519.PublicKey{pub},
		Validate: func(fs.FS) error { return nil },
		OnUpdate: func(_ fs.FS, m *bundle.Manifest, _ string) error {
			fmt.Println("in force:", m.Version)
			return nil
		},
	})
	defer f.Close()
	if err := f.Start(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output: in force: v1
}
