package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
	"github.com/tollgate-authz/tollgate/policy/bundle"
)

// loadSource loads a policy directory, or a bundle archive, as strictly as
// loadStrict. A bundle's signature is not checked here: offline tools
// explain what a bundle holds; serve and `bundle verify` check signatures.
func loadSource(path string, opts policy.Options) (*policy.Snapshot, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return loadStrict(path, opts)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fsys, m, err := bundle.Open(data, bundle.Limits{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	snap, err := policy.Load(fsys, opts)
	if err == nil && len(snap.Refused()) > 0 {
		return nil, errors.Join(snap.Refused()...)
	}
	if err != nil {
		return nil, err
	}
	return snap.WithVersion(m.Version), nil
}

// policySource is --policies, or else the policy directory the config
// names, so an explanation is against what that config serves.
func policySource(policies, configFile string) (string, error) {
	if policies != "" {
		return policies, nil
	}
	if configFile == "" {
		return "", errors.New("--policies DIR is required (or a bundle archive, or --config naming policy.dir)")
	}
	cfg, err := config.Load(configFile)
	if err != nil {
		return "", err
	}
	if cfg.Policy.Dir == "" {
		return "", fmt.Errorf("%s fetches a signed bundle from %s: name the bundle archive (validate BUNDLE, check --policies BUNDLE)",
			configFile, cfg.Policy.Bundle.URL)
	}
	return cfg.Policy.Dir, nil
}
