package main

import (
	"archive/tar"
	"debug/elf"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

const (
	testVersion  = "v9.8.7-test"
	testRevision = "0123456789abcdef0123456789abcdef01234567"
)

// TestImage builds the image for both platforms into a temporary OCI
// layout and checks what a platform team would: the config, the files,
// the SBOM, and that the amd64 binary runs.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles tollgate twice")
	}
	out, again := buildInto(t), buildInto(t)
	for _, f := range []string{"oci/index.json", "sbom-linux-amd64.spdx.json", "sbom-linux-arm64.spdx.json"} {
		a, errA := os.ReadFile(filepath.Join(out, f))
		b, errB := os.ReadFile(filepath.Join(again, f))
		if errA != nil || errB != nil || string(a) != string(b) {
			t.Errorf("%s differs between two builds of the same tree (%v, %v): not reproducible", f, errA, errB)
		}
	}
	images := platformImages(t, filepath.Join(out, "oci"))
	if len(images) != 2 || images["amd64"] == nil || images["arm64"] == nil {
		t.Fatalf("platforms %v, want linux/amd64 and linux/arm64", keys(images))
	}
	for arch, img := range images {
		t.Run(arch, func(t *testing.T) {
			checkConfig(t, img, arch)
			files := extract(t, img, t.TempDir())
			checkFiles(t, files, arch)
			checkSBOM(t, filepath.Join(out, "sbom-linux-"+arch+".spdx.json"))
			if arch == "amd64" {
				runBinary(t, files["tollgate"])
			}
		})
	}
}

// buildInto builds the image into a fresh temporary directory.
func buildInto(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "image")
	err := run([]string{"-repo", "../../..", "-out", out, "-version", testVersion,
		"-revision", testRevision, "-modified", "true", "-epoch", "1700000000"}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// platformImages follows index.json, tagged with the version, to the
// image index and returns its images by architecture.
func platformImages(t *testing.T, dir string) map[string]v1.Image {
	t.Helper()
	top, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := top.IndexManifest()
	if err != nil || len(im.Manifests) != 1 {
		t.Fatalf("index.json: %v, %d entries, want one", err, len(im.Manifests))
	}
	if got := im.Manifests[0].Annotations["org.opencontainers.image.ref.name"]; got != testVersion {
		t.Errorf("ref.name %q, want %q", got, testVersion)
	}
	idx, err := top.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	images := map[string]v1.Image{}
	for _, d := range m.Manifests {
		if d.Platform == nil || d.Platform.OS != "linux" {
			t.Fatalf("manifest %s: platform %v, want linux", d.Digest, d.Platform)
		}
		if images[d.Platform.Architecture], err = idx.Image(d.Digest); err != nil {
			t.Fatal(err)
		}
	}
	return images
}

func checkConfig(t *testing.T, img v1.Image, arch string) {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if cf.OS != "linux" || cf.Architecture != arch {
		t.Errorf("config platform %s/%s, want linux/%s", cf.OS, cf.Architecture, arch)
	}
	if c.User != "65532:65532" {
		t.Errorf("User %q, want the non-root 65532:65532", c.User)
	}
	if !slices.Equal(c.Entrypoint, []string{"/tollgate"}) {
		t.Errorf("Entrypoint %q", c.Entrypoint)
	}
	if !slices.Equal(c.Cmd, []string{"serve", "--config", "/etc/tollgate/tollgate.yaml"}) {
		t.Errorf("Cmd %q", c.Cmd)
	}
	if c.WorkingDir != "/home/nonroot" {
		t.Errorf("WorkingDir %q", c.WorkingDir)
	}
	want := map[string]string{
		"org.opencontainers.image.source":   "https://github.com/tollgate-authz/tollgate",
		"org.opencontainers.image.version":  testVersion,
		"org.opencontainers.image.revision": testRevision,
		"org.opencontainers.image.licenses": "Apache-2.0",
	}
	for k, v := range want {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
}

// extract writes the image's regular files into dir, checking every
// header on the way: numeric owners, root-owned except the user's home.
func extract(t *testing.T, img v1.Image, dir string) map[string]string {
	t.Helper()
	rc := mutate.Extract(img)
	defer rc.Close()
	tr := tar.NewReader(rc)
	files := map[string]string{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 && strings.TrimSuffix(h.Name, "/") != "home/nonroot" {
			t.Errorf("%s owned by %d, want root", h.Name, h.Uid)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		path := filepath.Join(dir, strings.ReplaceAll(h.Name, "/", "_"))
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, os.FileMode(h.Mode)&0o755); err != nil {
			t.Fatal(err)
		}
		files[h.Name] = path
	}
}

func checkFiles(t *testing.T, files map[string]string, arch string) {
	t.Helper()
	want := map[string]string{
		"etc/passwd":                        "nonroot:x:65532:65532:",
		"etc/group":                         "nonroot:x:65532:",
		"etc/ssl/certs/ca-certificates.crt": "-----BEGIN CERTIFICATE-----",
	}
	for name, substr := range want {
		data, err := os.ReadFile(files[name])
		if err != nil || !strings.Contains(string(data), substr) {
			t.Errorf("%s: %v, want it to contain %q", name, err, substr)
		}
	}
	f, err := elf.Open(files["tollgate"])
	if err != nil {
		t.Fatalf("/tollgate: %v", err)
	}
	defer f.Close()
	machine := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	if f.Machine != machine {
		t.Errorf("/tollgate is for %v, want %v", f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("/tollgate has a dynamic loader; want a static binary (CGO_ENABLED=0)")
		}
	}
}

func checkSBOM(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc spdxDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SPDXVersion != "SPDX-2.3" || len(doc.Packages) < 3 || doc.Packages[0].VersionInfo != testVersion {
		t.Fatalf("SBOM %s: version %q, %d packages", path, doc.SPDXVersion, len(doc.Packages))
	}
	var names []string
	for _, p := range doc.Packages {
		names = append(names, p.Name+"@"+p.VersionInfo)
	}
	// go-containerregistry is in the binary for oci:// policy bundles
	// (policy/bundle/oci), so the SBOM must list it too.
	for _, dep := range []string{"github.com/cedar-policy/cedar-go@v1.9.2", "github.com/spiffe/go-spiffe/v2@v2.9.0",
		"github.com/google/go-containerregistry@v0.22.1"} {
		if !slices.Contains(names, dep) {
			t.Errorf("SBOM lacks %s", dep)
		}
	}
}

// runBinary runs the extracted binary as a user would.
func runBinary(t *testing.T, bin string) {
	t.Helper()
	out, err := exec.Command(bin, "version").CombinedOutput()
	if err != nil {
		t.Fatalf("tollgate version: %v\n%s", err, out)
	}
	for _, want := range []string{"tollgate " + testVersion, "revision " + testRevision, "modified true"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("tollgate version printed %q, want %q in it", out, want)
		}
	}
	cmd := exec.Command(bin, "validate", "examples/quickstart/policies", "--config", "examples/quickstart/tollgate.yaml")
	cmd.Dir = "../../.."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("tollgate validate: %v\n%s", err, out)
	}
}

func keys(m map[string]v1.Image) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
