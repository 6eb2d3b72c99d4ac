package bundle_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

func Example() {
	dir, err := os.MkdirTemp("", "policies")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	policy := []byte(`@id("allow-read") permit (principal, action == Action::"read", resource);`)
	if err := os.WriteFile(filepath.Join(dir, "main.cedar"), policy, 0o644); err != nil {
		log.Fatal(err)
	}

	// Build and sign on the publishing side.
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	built := time.Now()
	archive, err := bundle.Build(dir, bundle.BuildOptions{
		Version:  "2024-06-01.1",
		Sequence: 42, // must increase with every bundle published
		Created:  built,
		Expires:  built.Add(bundle.DefaultValidity),
	})
	if err != nil {
		log.Fatal(err)
	}
	sig := bundle.Sign(archive, key) // content of bundle.tar.gz.sig

	// Verify before opening on the consuming side.
	trusted := []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	if err := bundle.Verify(archive, sig, trusted); err != nil {
		log.Fatal(err)
	}
	fsys, m, err := bundle.Open(archive, bundle.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	data, _ := fs.ReadFile(fsys, "main.cedar")
	fmt.Println(m.Version, m.Sequence, len(m.Files), bytes.Equal(data, policy))

	// A single flipped byte is caught before anything is decompressed.
	archive[len(archive)/2] ^= 1
	fmt.Println(bundle.Verify(archive, sig, trusted))
	// Output:
	// 2024-06-01.1 42 1 true
	// bundle: signature not valid for any trusted key
}
