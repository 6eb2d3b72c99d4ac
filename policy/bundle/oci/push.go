package oci

import (
	"context"
	"fmt"

	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// rawManifest is a manifest for remote.Put.
type rawManifest []byte

func (m rawManifest) RawManifest() ([]byte, error)        { return m, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return ManifestMediaType, nil }

// Push uploads archive and sig as the two blobs of one manifest and points
// loc's tag at it. It checks nothing about the bundle (the caller verifies
// it first); it returns the manifest digest.
func Push(ctx context.Context, loc string, archive, sig []byte, o Options) (string, error) {
	ref, err := ParseReference(loc, o.AllowInsecureHTTP)
	if err != nil {
		return "", err
	}
	if len(archive) == 0 || len(sig) == 0 {
		return "", wrap(fmt.Errorf("push: the archive and the signature must not be empty"))
	}
	maxArchive := max(o.Limits.MaxArchiveBytes, int64(len(archive)), 1<<20)
	opts := append(o.remoteOptions(maxArchive), remote.WithContext(ctx))
	repo := ref.ref.Context()
	for _, l := range []struct {
		data []byte
		mt   string
	}{{emptyConfig, emptyMediaType}, {archive, ArchiveMediaType}, {sig, SignatureMediaType}} {
		if err := remote.WriteLayer(repo, static.NewLayer(l.data, types.MediaType(l.mt)), opts...); err != nil {
			return "", wrap(fmt.Errorf("push %s blob: %w", l.mt, err))
		}
	}
	m, err := buildManifest(archive, sig)
	if err != nil {
		return "", wrap(err)
	}
	if err := remote.Put(ref.ref, rawManifest(m), opts...); err != nil {
		return "", wrap(fmt.Errorf("push manifest: %w", err))
	}
	return digestOf(m), nil
}
