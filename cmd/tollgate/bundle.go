package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tollgate-authz/tollgate/internal/suggest"
	"github.com/tollgate-authz/tollgate/policy"
	"github.com/tollgate-authz/tollgate/policy/bundle"
)

var bundleUsages = map[string]string{
	"build":  "usage: tollgate bundle build DIR -o bundle.tar.gz [--version V] [--sequence N] [--expires 72h] [--config tollgate.yaml] [--manifest F]...",
	"sign":   "usage: tollgate bundle sign bundle.tar.gz --key private.pem",
	"verify": "usage: tollgate bundle verify bundle.tar.gz --pub public.pem [--config tollgate.yaml] [--manifest F]...",
	"keygen": "usage: tollgate bundle keygen --out DIR",
	"push":   bundlePushUsage,
}

const bundleUsage = `usage: tollgate bundle build|sign|verify|push|keygen [flags]
       tollgate bundle build DIR -o bundle.tar.gz [--version V] [--sequence N] [--expires 72h] [--config tollgate.yaml] [--manifest F]...
       tollgate bundle sign bundle.tar.gz --key private.pem
       tollgate bundle verify bundle.tar.gz --pub public.pem [--config tollgate.yaml] [--manifest F]...
       tollgate bundle push bundle.tar.gz --pub public.pem [--sig bundle.tar.gz.sig] [--allow-insecure-http] oci://host[:port]/repository:tag
       tollgate bundle keygen --out DIR

'tollgate bundle SUBCOMMAND --help' describes its flags.`

// runBundle dispatches `tollgate bundle build|sign|verify|push|keygen`.
func runBundle(args []string, stdout, stderr io.Writer) int {
	subs := map[string]func([]string, io.Writer, io.Writer) int{
		"build": bundleBuild, "sign": bundleSign, "verify": bundleVerify, "keygen": bundleKeygen,
		"push": bundlePush,
	}
	switch {
	case len(args) == 0:
		fmt.Fprintln(stderr, bundleUsage)
		return exitUsage
	case isHelp(args[0]):
		fmt.Fprintln(stdout, bundleUsage)
		return exitOK
	case subs[args[0]] == nil:
		return usageError(stderr, "tollgate bundle", fmt.Sprintf("unknown subcommand %q%s", args[0],
			suggest.Hint(args[0], slices.Collect(maps.Keys(subs)))))
	}
	return subs[args[0]](args[1:], stdout, stderr)
}

// bundleFlags parses a subcommand's flags and wants exactly npos
// positionals, which it moves to the front of args. When done, the
// subcommand ends with code.
func bundleFlags(name string, args []string, npos int, stdout, stderr io.Writer, def func(*flag.FlagSet)) (code int, done bool) {
	fs := newFlagSet("tollgate bundle "+name, bundleUsages[name])
	def(fs)
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code, true
	}
	if len(pos) != npos {
		return wantArgs(stderr, fs.Name(), fmt.Sprint(npos), len(pos)), true
	}
	copy(args, pos)
	return exitOK, false
}

func bundleBuild(args []string, stdout, stderr io.Writer) int {
	var out string
	var window = new(policyFlags)
	now := time.Now()
	opts := bundle.BuildOptions{Created: now}
	validity := bundle.DefaultValidity
	if code, done := bundleFlags("build", args, 1, stdout, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "bundle.tar.gz", "output archive")
		fs.StringVar(&opts.Version, "version", "", "bundle version (default: the directory's VERSION file)")
		fs.Uint64Var(&opts.Sequence, "sequence", uint64(now.Unix()), //nolint:gosec // the clock is past 1970
			"signed sequence; must increase with every bundle published (default: the build time in Unix seconds)")
		fs.DurationVar(&validity, "expires", validity,
			"how long the bundle may be served; after that Tollgate treats it as stale (at most "+bundle.MaxValidity.String()+")")
		fs.DurationVar(&window.window, "max-exception-window", 0, "longest an exception may be approved for")
		fs.StringVar(&window.config, "config", "", "tollgate.yaml: check as serve would (exception window, signals, manifests, require_schema)")
		fs.Var(&window.manifests, "manifest", "app-team manifest file or directory (repeatable)")
	}); done {
		return code
	}
	opts.Expires = now.Add(validity)
	dir, version := args[0], opts.Version
	if err := checkBuildVersion(dir, version); err != nil {
		fmt.Fprintln(stderr, "tollgate bundle build:", err)
		return exitError
	}
	// Never package a policy set that would be refused at load.
	env, err := loadOffline(dir, window)
	if err != nil {
		printErrors(stderr, "tollgate bundle build", err)
		return exitError
	}
	for _, w := range env.policyWarnings() {
		fmt.Fprintln(stderr, w)
	}
	data, err := bundle.Build(dir, opts)
	if err == nil {
		err = writeFileAtomic(out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, "tollgate bundle build:", err)
		return exitError
	}
	_, m, _ := bundle.Open(data, bundle.Limits{})
	fmt.Fprintf(stdout, "built %s: version %s, sequence %d, expires %s, %d files, %d bytes\n",
		out, m.Version, m.Sequence, m.Expires.UTC().Format(time.RFC3339), len(m.Files), len(data))
	return exitOK
}

// checkBuildVersion refuses a --version that contradicts the VERSION file,
// which is what serve would otherwise report.
func checkBuildVersion(dir, version string) error {
	if version == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, "VERSION"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if file := strings.TrimSpace(string(data)); file != version {
		return fmt.Errorf("--version %q differs from %s (%q); change one", version, filepath.Join(dir, "VERSION"), file)
	}
	return nil
}

func bundleSign(args []string, stdout, stderr io.Writer) int {
	var keyFile string
	if code, done := bundleFlags("sign", args, 1, stdout, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&keyFile, "key", "", "ed25519 private key (PEM, PKCS#8)")
	}); done {
		return code
	}
	key, err := bundle.LoadPrivateKey(keyFile)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate bundle sign:", err)
		return exitError
	}
	archive, err := os.ReadFile(args[0])
	if err == nil {
		err = writeFileAtomic(args[0]+bundle.SignatureSuffix, bundle.Sign(archive, key), 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, "tollgate bundle sign:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "signed %s: wrote %s\n", args[0], args[0]+bundle.SignatureSuffix)
	return exitOK
}

func bundleVerify(args []string, stdout, stderr io.Writer) int {
	var pubs multiFlag
	pf := new(policyFlags)
	if code, done := bundleFlags("verify", args, 1, stdout, stderr, func(fs *flag.FlagSet) {
		fs.Var(&pubs, "pub", "trusted ed25519 public key (PEM; repeatable)")
		fs.StringVar(&pf.config, "config", "", "tollgate.yaml: check the content as serve would (exception window, signals, manifests, require_schema)")
		fs.Var(&pf.manifests, "manifest", "app-team manifest file or directory (repeatable)")
	}); done {
		return code
	}
	if err := verifyBundle(args[0], pubs, stdout, pf); err != nil {
		printErrors(stderr, "tollgate bundle verify", err)
		fmt.Fprintf(stderr, "FAIL: %s\n", args[0])
		return exitError
	}
	return exitOK
}

func verifyBundle(path string, pubs []string, stdout io.Writer, pf *policyFlags) error {
	if len(pubs) == 0 {
		return errors.New("--pub is required: a bundle is only as good as its signature")
	}
	keys, err := bundle.LoadPublicKeys(pubs...)
	if err != nil {
		return err
	}
	archive, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	sig, err := os.ReadFile(path + bundle.SignatureSuffix)
	if err != nil {
		return fmt.Errorf("%w: %w", bundle.ErrUnsigned, err)
	}
	fsys, m, err := bundle.VerifyAndOpen(archive, sig, keys, bundle.Limits{})
	if err != nil {
		return err
	}
	if !time.Now().Before(m.Expires) {
		return fmt.Errorf("%w: version %s (sequence %d) expired at %s: serve would refuse it; build and sign a new one",
			bundle.ErrExpired, m.Version, m.Sequence, m.Expires.UTC().Format(time.RFC3339))
	}
	snap, err := policy.Load(fsys, policy.Options{})
	if err != nil {
		return err
	}
	// The signature is good; now the same checks as validate and serve.
	if _, err := loadOffline(path, pf); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %s: signature valid, version %s, sequence %d, created %s, expires %s, %d files, %d policies, hash %s\n",
		path, m.Version, m.Sequence, m.Created.Format(time.RFC3339), m.Expires.Format(time.RFC3339), len(m.Files), snap.Len(), snap.Hash())
	return nil
}

func bundleKeygen(args []string, stdout, stderr io.Writer) int {
	var out string
	if code, done := bundleFlags("keygen", args, 0, stdout, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", ".", "directory for bundle-signing.key (0600) and bundle-signing.pub")
	}); done {
		return code
	}
	priv, pub := filepath.Join(out, "bundle-signing.key"), filepath.Join(out, "bundle-signing.pub")
	err := os.MkdirAll(out, 0o700)
	if err == nil {
		_, err = bundle.GenerateKey(priv, pub)
	}
	if err != nil {
		fmt.Fprintln(stderr, "tollgate bundle keygen:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %s (private, keep secret) and %s (public, give to serve)\n", priv, pub)
	return exitOK
}
