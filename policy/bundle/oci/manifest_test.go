package oci

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

func goodManifest(t testing.TB) map[string]any {
	t.Helper()
	raw, err := buildManifest([]byte("archive"), []byte("sig"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func layers(m map[string]any) []any { return m["layers"].([]any) }

// TestParseManifestStrict: only the exact layout is a bundle pair.
func TestParseManifestStrict(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(m map[string]any)
		want   error
	}{
		{"good", func(map[string]any) {}, nil},
		{"docker media type", func(m map[string]any) { m["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json" }, bundle.ErrInvalid},
		{"other artifact type", func(m map[string]any) { m["artifactType"] = "application/vnd.example" }, bundle.ErrInvalid},
		{"schema 1", func(m map[string]any) { m["schemaVersion"] = 1 }, bundle.ErrInvalid},
		{"no signature layer", func(m map[string]any) { m["layers"] = layers(m)[:1] }, bundle.ErrUnsigned},
		{"no archive layer", func(m map[string]any) { m["layers"] = layers(m)[1:] }, bundle.ErrInvalid},
		{"two archives", func(m map[string]any) { m["layers"] = append(layers(m), layers(m)[0]) }, bundle.ErrInvalid},
		{"two signatures", func(m map[string]any) { m["layers"] = append(layers(m), layers(m)[1]) }, bundle.ErrInvalid},
		{"extra layer", func(m map[string]any) {
			m["layers"] = append(layers(m), map[string]any{"mediaType": "application/octet-stream", "digest": "sha256:" + strings.Repeat("0", 64), "size": 1})
		}, bundle.ErrInvalid},
		{"bad digest", func(m map[string]any) { layers(m)[0].(map[string]any)["digest"] = "sha512:00" }, bundle.ErrInvalid},
		{"zero size", func(m map[string]any) { layers(m)[1].(map[string]any)["size"] = 0 }, bundle.ErrInvalid},
		{"huge archive", func(m map[string]any) { layers(m)[0].(map[string]any)["size"] = int64(1) << 40 }, bundle.ErrTooLarge},
		{"huge signature", func(m map[string]any) { layers(m)[1].(map[string]any)["size"] = 5000 }, bundle.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := goodManifest(t)
			tt.mutate(m)
			raw, _ := json.Marshal(m)
			p, err := parseManifest(raw, bundle.DefaultMaxArchiveBytes)
			if tt.want == nil {
				if err != nil || p.archive.Size != 7 || p.signature.Size != 3 {
					t.Fatalf("parseManifest = %+v, %v", p, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("parseManifest err = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := parseManifest([]byte(`{"schemaVersion":2} {}`), 1); !errors.Is(err, bundle.ErrInvalid) {
		t.Errorf("trailing data: err = %v", err)
	}
}

// TestCheckContent: bytes that differ from the pinned digest or size are
// refused as tampered.
func TestCheckContent(t *testing.T) {
	d := describe(ArchiveMediaType, []byte("archive"), "")
	if err := checkContent("archive", d, []byte("archive")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"archivX", "archive!", ""} {
		if err := checkContent("archive", d, []byte(bad)); !errors.Is(err, bundle.ErrTampered) {
			t.Errorf("checkContent(%q) = %v, want ErrTampered", bad, err)
		}
	}
}

// FuzzParseManifest: a registry's manifest is attacker input. It never
// panics, and whatever it accepts pins one archive and one signature
// within limits.
func FuzzParseManifest(f *testing.F) {
	raw, _ := buildManifest([]byte("archive"), []byte("sig"))
	f.Add(raw)
	f.Add([]byte(`{"schemaVersion":2,"layers":[{}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := parseManifest(raw, 1<<20)
		if err != nil {
			if !errors.Is(err, bundle.ErrInvalid) && !errors.Is(err, bundle.ErrUnsigned) && !errors.Is(err, bundle.ErrTooLarge) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if p.archive.MediaType != ArchiveMediaType || p.signature.MediaType != SignatureMediaType ||
			p.archive.Size <= 0 || p.archive.Size > 1<<20 || p.signature.Size <= 0 || p.signature.Size > maxSignatureBytes ||
			!digestRE.MatchString(p.archive.Digest) || !digestRE.MatchString(p.signature.Digest) {
			t.Fatalf("accepted %+v", p)
		}
	})
}
