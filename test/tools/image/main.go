// Command image builds Tollgate's container image without Docker: a
// minimal, non-root image on an empty base, for linux/amd64 and
// linux/arm64, written as an OCI image layout, with an SPDX SBOM per
// platform next to it. test/image/build.sh drives it.
//
//	go run ./test/tools/image -out .run/image -version v0.1.0 -revision $(git rev-parse HEAD)
//
// It is a separate main package so that go-containerregistry never
// reaches the tollgate binary.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// imageName is the repository the image is tagged in by default; the
// Kubernetes example and the README use it.
const imageName = "ghcr.io/tollgate-authz/tollgate"

// options are the command line, validated before anything is built.
type options struct {
	repo     string   // the module root, where ./cmd/tollgate is
	out      string   // a directory that must not exist yet
	version  string   // image tag, label and `tollgate version`
	revision string   // VCS revision, label and `tollgate version`
	modified string   // "true" or "false": was the tree dirty
	caFile   string   // Debian's ca-certificates bundle
	name     string   // repository the tag belongs to
	epoch    int64    // timestamp of every file and the config
	arches   []string // linux architectures
}

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	res, err := build(opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %s:%s (index %s) for %s\n",
		res.layout, opts.name, opts.version, res.digest, strings.Join(opts.arches, ", "))
	for _, s := range res.sboms {
		fmt.Fprintf(stdout, "wrote %s\n", s)
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var arches string
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.repo, "repo", ".", "module root to build ./cmd/tollgate from")
	fs.StringVar(&o.out, "out", "", "output directory (must not exist): oci/ layout and sbom-*.spdx.json")
	fs.StringVar(&o.version, "version", "", "version: image tag, OCI label and `tollgate version`")
	fs.StringVar(&o.revision, "revision", "", "VCS revision (git rev-parse HEAD)")
	fs.StringVar(&o.modified, "modified", "false", "whether the tree was dirty: true or false")
	fs.StringVar(&o.caFile, "ca-file", "/etc/ssl/certs/ca-certificates.crt", "CA bundle from Debian's ca-certificates")
	fs.StringVar(&o.name, "name", imageName, "image repository name")
	fs.Int64Var(&o.epoch, "epoch", 0, "Unix time of files and config (SOURCE_DATE_EPOCH)")
	fs.StringVar(&arches, "arch", "amd64,arm64", "comma-separated linux architectures")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() != 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o.arches = strings.Split(arches, ",")
	return o, o.validate()
}

func (o options) validate() error {
	switch {
	case o.out == "":
		return errors.New("-out is required")
	case !validTag(o.version):
		return fmt.Errorf("-version %q is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}); never latest", o.version)
	case o.revision == "" || strings.ContainsAny(o.revision, " \t\n\""):
		return fmt.Errorf("-revision %q: give the VCS revision (git rev-parse HEAD)", o.revision)
	case o.modified != "true" && o.modified != "false":
		return fmt.Errorf("-modified %q: want true or false", o.modified)
	case o.epoch < 0:
		return fmt.Errorf("-epoch %d is negative", o.epoch)
	}
	for _, a := range o.arches {
		if a != "amd64" && a != "arm64" {
			return fmt.Errorf("-arch %q: want amd64 and/or arm64", a)
		}
	}
	if _, err := os.Lstat(o.out); err == nil {
		return fmt.Errorf("-out %s already exists; remove it first", o.out)
	}
	return nil
}

// validTag is the OCI distribution spec's tag grammar. "latest" is
// refused: every image names the version it carries.
func validTag(t string) bool {
	if t == "" || len(t) > 128 || t == "latest" || t[0] == '.' || t[0] == '-' {
		return false
	}
	for _, r := range t {
		ok := r == '_' || r == '.' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}
