package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// Preflight checks, without listening, connecting or fetching, the files
// New would fail on before it listens: trust bundle files, federation CA
// files, the bundle public keys and cache directory, the decision log's
// directory, and the addresses the listeners trust. Each error is
// "FILE:LINE: key: reason". Policies and manifests are checked by the
// caller (tollgate validate loads them as serve does).
func Preflight(cfg *config.Config) error {
	var errs []error
	add := func(key string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", cfg.Locate(key), err))
		}
	}
	if len(cfg.Identity.Bundles) > 0 {
		specs := make([]identity.BundleFile, 0, len(cfg.Identity.Bundles))
		for _, b := range cfg.Identity.Bundles {
			specs = append(specs, identity.BundleFile(b))
		}
		_, err := identity.NewFileBundles(specs)
		add("identity.bundles", err)
	}
	for i, f := range cfg.Identity.Federation {
		if f.CAFile != "" {
			_, err := loadRoots(f.CAFile)
			add(fmt.Sprintf("identity.federation[%d].ca_file", i), err)
		}
	}
	_, err := xfccConfig(cfg.Identity.XFCC)
	add("identity.xfcc", err)
	if b := cfg.Policy.Bundle; b != nil {
		_, err := bundle.LoadPublicKeys(b.PublicKeys...)
		add("policy.bundle.public_keys", err)
		add("policy.bundle.cache_dir", isDir(b.CacheDir, true))
	}
	if d := cfg.Log.Decisions; d != "stdout" && d != "stderr" && d != "off" {
		add("log.decisions", isDir(filepath.Dir(d), false))
	}
	if cfg.HTTP.Listen != "" {
		_, err := parsePrefixes(cfg.HTTP.TrustedProxies)
		add("http_authz.trusted_proxies", err)
	}
	return errors.Join(errs...)
}

// isDir wants dir to be a directory; missingOK when serve creates it.
func isDir(dir string, missingOK bool) error {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	case err == nil, missingOK && errors.Is(err, os.ErrNotExist):
		return nil
	}
	return err
}
