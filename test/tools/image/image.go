package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

const source = "https://github.com/tollgate-authz/tollgate"

// result is what build wrote.
type result struct {
	layout string
	digest v1.Hash
	sboms  []string
}

// build compiles each platform, assembles its image, and writes the index
// into out/oci tagged with the version, and each SBOM next to it.
func build(o options) (result, error) {
	mtime := time.Unix(o.epoch, 0).UTC()
	base, err := baseLayer(o.caFile, mtime)
	if err != nil {
		return result{}, err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return result{}, err
	}
	res := result{layout: filepath.Join(o.out, "oci")}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	binDir := filepath.Join(o.out, "bin")
	for _, arch := range o.arches {
		bin, err := compile(o, binDir, arch)
		if err != nil {
			return result{}, err
		}
		img, err := platformImage(o, base, bin, arch, mtime)
		if err != nil {
			return result{}, fmt.Errorf("linux/%s: %w", arch, err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img,
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
		sbom, err := writeSBOM(o, bin, arch)
		if err != nil {
			return result{}, fmt.Errorf("linux/%s SBOM: %w", arch, err)
		}
		res.sboms = append(res.sboms, sbom)
	}
	if err := os.RemoveAll(binDir); err != nil {
		return result{}, err
	}
	if res.digest, err = writeLayout(o, res.layout, idx); err != nil {
		return result{}, err
	}
	return res, nil
}

// platformImage is the empty base plus the shared layer and the binary,
// configured to run `tollgate serve` as the non-root user.
func platformImage(o options, base v1.Layer, bin, arch string, mtime time.Time) (v1.Image, error) {
	layer, err := binaryLayer(bin, mtime)
	if err != nil {
		return nil, err
	}
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	img, err = mutate.Append(img,
		mutate.Addendum{Layer: base, History: v1.History{Created: v1.Time{Time: mtime},
			CreatedBy: "test/tools/image: users, CA certificates, directories"}},
		mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: mtime},
			CreatedBy: "test/tools/image: /tollgate " + o.version}})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created = "linux", arch, v1.Time{Time: mtime}
	cf.Author = source
	cf.Config = imageConfig(o)
	return mutate.ConfigFile(img, cf)
}

func imageConfig(o options) v1.Config {
	id := strconv.Itoa(uid)
	return v1.Config{
		User:       id + ":" + id,
		Entrypoint: []string{"/" + binPath},
		Cmd:        []string{"serve", "--config", "/etc/tollgate/tollgate.yaml"},
		WorkingDir: home,
		Env:        []string{"SSL_CERT_FILE=/" + caPath},
		Labels:     labels(o),
	}
}

func labels(o options) map[string]string {
	return map[string]string{
		"org.opencontainers.image.source":   source,
		"org.opencontainers.image.version":  o.version,
		"org.opencontainers.image.revision": o.revision,
		"org.opencontainers.image.licenses": "Apache-2.0",
		"org.opencontainers.image.title":    "tollgate",
		"org.opencontainers.image.created":  time.Unix(o.epoch, 0).UTC().Format(time.RFC3339),
	}
}

// writeLayout writes the index into a fresh OCI layout, named by its tag
// (skopeo's oci:DIR:TAG) and by its full name (containerd's import).
func writeLayout(o options, dir string, idx v1.ImageIndex) (v1.Hash, error) {
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return v1.Hash{}, fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	err = p.AppendIndex(idx, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": o.version,
		"io.containerd.image.name":          o.name + ":" + o.version,
	}))
	if err != nil {
		return v1.Hash{}, fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	return idx.Digest()
}
