package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ErrInvalid marks every configuration error.
var ErrInvalid = errors.New("invalid configuration")

// Load reads, strictly decodes and validates the configuration at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates a configuration held in memory. name is used
// in errors and as the base for relative paths.
func Parse(name string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, wrapYAML(name, err)
	}
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("config: %s: %w: file is empty", name, ErrInvalid)
	}
	if err := checkBools(name, root.Content[0]); err != nil {
		return nil, err
	}
	cfg := &Config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		return nil, wrapYAML(name, err)
	}
	cfg.File, cfg.root = name, root.Content[0]
	cfg.applyDefaults()
	cfg.resolvePaths(filepath.Dir(name))
	if err := cfg.validate(&fileErrs{name: name, root: root.Content[0]}); err != nil {
		return nil, err
	}
	return cfg, nil
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type (\S+)$`)
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
)

// wrapYAML rewrites yaml.v3's messages as "FILE:LINE: message".
func wrapYAML(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := err.Error()
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			return fmt.Errorf("config: %s:%s: %w: %s", name, m[1], ErrInvalid, m[2])
		}
		return fmt.Errorf("config: %s: %w: %s", name, ErrInvalid, msg)
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		if m := unknownField.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("%s:%s: %s", name, m[1], unknownKey(m[2], m[3])))
			continue
		}
		if m := yamlLine.FindStringSubmatch(e); m != nil {
			msgs = append(msgs, fmt.Sprintf("%s:%s: %s", name, m[1], m[2]))
			continue
		}
		msgs = append(msgs, name+": "+e)
	}
	return fmt.Errorf("config: %w: %s", ErrInvalid, strings.Join(msgs, "; "))
}

func (c *Config) applyDefaults() {
	if c.Listen.GRPC == "" {
		c.Listen.GRPC = "127.0.0.1:9191"
	}
	if c.Listen.Admin == "" {
		c.Listen.Admin = "127.0.0.1:9192"
	}
	c.Listen.Limits.applyDefaults()
	if c.Policy.ReloadInterval == 0 {
		c.Policy.ReloadInterval = 2 * time.Second
	}
	if c.Policy.SettleInterval == 0 && c.Policy.Bundle == nil {
		c.Policy.SettleInterval = 2 * time.Second
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if c.Log.Decisions == "" {
		c.Log.Decisions = "stdout"
	}
	if c.Log.DecisionFormat == "" {
		c.Log.DecisionFormat = "json"
	}
	for i := range c.Signals {
		if c.Signals[i].Type == "" {
			c.Signals[i].Type = "string"
		}
	}
	if c.Shutdown == 0 {
		c.Shutdown = 15 * time.Second
	}
	if w := c.Identity.WorkloadAPI; w != nil && w.StartTimeout == 0 {
		w.StartTimeout = 30 * time.Second
	}
	if d := c.Identity.Delegation; d != nil {
		d.applyDefaults(c.Identity.TrustDomains)
	}
	if x := c.Identity.XFCC; x != nil && x.Element == "" {
		x.Element = "last"
	}
	c.Policy.Bundle.applyDefaults()
	if sh := c.Policy.Shadow; sh != nil {
		if sh.ReloadInterval == 0 {
			sh.ReloadInterval = 2 * time.Second
		}
		sh.Bundle.applyDefaults()
	}
}

func (c *Config) resolvePaths(base string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	abs(&c.Policy.Dir)
	for i := range c.Manifests {
		abs(&c.Manifests[i])
	}
	for i := range c.Identity.Bundles {
		b := &c.Identity.Bundles[i]
		abs(&b.X509PEM)
		abs(&b.JWKS)
		abs(&b.SPIFFEBundle)
	}
	if d := c.Identity.Delegation; d != nil {
		for i := range d.Issuers {
			abs(&d.Issuers[i].JWKS)
		}
		if d.TxnToken != nil {
			abs(&d.TxnToken.JWKS)
		}
	}
	for i := range c.Identity.Federation {
		abs(&c.Identity.Federation[i].CAFile)
	}
	for _, b := range []*PolicyBundle{c.Policy.Bundle, c.Policy.Shadow.bundle()} {
		if b != nil {
			abs(&b.CacheDir)
			for i := range b.PublicKeys {
				abs(&b.PublicKeys[i])
			}
		}
	}
	if sh := c.Policy.Shadow; sh != nil {
		abs(&sh.Dir)
	}
	if d := c.Log.Decisions; d != "stdout" && d != "stderr" && d != "off" {
		abs(&c.Log.Decisions)
	}
}
