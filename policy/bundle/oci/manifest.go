package oci

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"

	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// Media types of a bundle in a registry (see the package documentation).
const (
	ManifestMediaType  = "application/vnd.oci.image.manifest.v1+json"
	ArtifactType       = "application/vnd.tollgate.bundle.v1"
	ArchiveMediaType   = "application/vnd.tollgate.bundle.v1.tar+gzip"
	SignatureMediaType = "application/vnd.tollgate.bundle.v1.signature"
	emptyMediaType     = "application/vnd.oci.empty.v1+json"
	titleAnnotation    = "org.opencontainers.image.title"
)

// emptyConfig is the OCI empty descriptor's content, "{}".
var emptyConfig = []byte("{}")

// maxSignatureBytes bounds the signature blob (bundle's own limit for a
// signature file).
const maxSignatureBytes = 4096

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int64             `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

type manifest struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	ArtifactType  string            `json:"artifactType"`
	Config        descriptor        `json:"config"`
	Layers        []descriptor      `json:"layers"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// pair is the archive and signature blobs a manifest pins.
type pair struct {
	archive, signature descriptor
}

var digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

func describe(mediaType string, data []byte, title string) descriptor {
	d := descriptor{MediaType: mediaType, Digest: digestOf(data), Size: int64(len(data))}
	if title != "" {
		d.Annotations = map[string]string{titleAnnotation: title}
	}
	return d
}

// buildManifest is the manifest pinning archive and sig.
func buildManifest(archive, sig []byte) ([]byte, error) {
	return json.Marshal(manifest{
		SchemaVersion: 2, MediaType: ManifestMediaType, ArtifactType: ArtifactType,
		Config: describe(emptyMediaType, emptyConfig, ""),
		Layers: []descriptor{describe(ArchiveMediaType, archive, "bundle.tar.gz"),
			describe(SignatureMediaType, sig, "bundle.tar.gz"+bundle.SignatureSuffix)},
	})
}

// parseManifest reads a registry's manifest strictly: an OCI image manifest
// of ArtifactType with exactly one archive and one signature layer, within
// limits. Nothing else is accepted, so what is verified is what is pinned.
func parseManifest(raw []byte, maxArchive int64) (pair, error) {
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil {
		return pair{}, fmt.Errorf("%w: registry manifest: %v", bundle.ErrInvalid, err)
	}
	if dec.More() {
		return pair{}, fmt.Errorf("%w: registry manifest: data after the JSON object", bundle.ErrInvalid)
	}
	if m.SchemaVersion != 2 || m.MediaType != ManifestMediaType || m.ArtifactType != ArtifactType {
		return pair{}, fmt.Errorf("%w: registry manifest is not a tollgate bundle (want schemaVersion 2, mediaType %s, artifactType %s)",
			bundle.ErrInvalid, ManifestMediaType, ArtifactType)
	}
	var p pair
	var archives, sigs int
	for _, l := range m.Layers {
		switch l.MediaType {
		case ArchiveMediaType:
			archives++
			p.archive = l
		case SignatureMediaType:
			sigs++
			p.signature = l
		default:
			return pair{}, fmt.Errorf("%w: registry manifest has a layer of media type %q", bundle.ErrInvalid, truncate(l.MediaType))
		}
	}
	switch {
	case archives != 1:
		return pair{}, fmt.Errorf("%w: registry manifest has %d bundle archive layers, want 1", bundle.ErrInvalid, archives)
	case sigs == 0:
		return pair{}, fmt.Errorf("%w: registry manifest has no %s layer", bundle.ErrUnsigned, SignatureMediaType)
	case sigs != 1:
		return pair{}, fmt.Errorf("%w: registry manifest has %d signature layers, want 1", bundle.ErrInvalid, sigs)
	}
	if err := checkBlob("archive", p.archive, maxArchive); err != nil {
		return pair{}, err
	}
	if err := checkBlob("signature", p.signature, maxSignatureBytes); err != nil {
		return pair{}, err
	}
	return p, nil
}

func checkBlob(what string, d descriptor, max int64) error {
	if !digestRE.MatchString(d.Digest) {
		return fmt.Errorf("%w: registry manifest: %s digest is not sha256:<64 hex>", bundle.ErrInvalid, what)
	}
	if d.Size <= 0 {
		return fmt.Errorf("%w: registry manifest: %s size %d", bundle.ErrInvalid, what, d.Size)
	}
	if d.Size > max {
		return fmt.Errorf("%w: registry manifest: %s is %d bytes, more than %d", bundle.ErrTooLarge, what, d.Size, max)
	}
	return nil
}

// checkContent refuses blob bytes that are not what d pins.
func checkContent(what string, d descriptor, data []byte) error {
	if int64(len(data)) != d.Size || digestOf(data) != d.Digest {
		return fmt.Errorf("%w: %s blob does not match the digest and size its manifest pins", bundle.ErrTampered, what)
	}
	return nil
}

// truncate bounds attacker-chosen text quoted in an error.
func truncate(s string) string {
	const n = 80
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
