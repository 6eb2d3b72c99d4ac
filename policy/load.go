package policy

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/cedar-policy/cedar-go/x/exp/schema/resolved"
)

// LoadDir loads the policy source in directory dir. See Load. A
// Kubernetes ConfigMap volume (a "..data" symlink to the current version)
// is read through "..data", so one load sees exactly one version.
func LoadDir(dir string, opts Options) (*Snapshot, error) {
	dir, err := sourceRoot(dir)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, &LoadError{File: dir, Err: detail(ErrRead, "%v", err)}
	}
	if !info.IsDir() {
		return nil, &LoadError{File: dir, Err: detail(ErrRead, "not a directory")}
	}
	return Load(os.DirFS(dir), opts)
}

// Load reads a policy source: every *.cedar file (subdirectories included,
// in path order; hidden names skipped), and at the root the optional
// entities.json, schema.cedarschema or schema.cedarschema.json, and VERSION.
// Every policy needs a unique @id annotation. All problems are reported
// together, as *LoadError values joined with errors.Join, each naming file,
// line and @id.
func Load(fsys fs.FS, opts Options) (*Snapshot, error) {
	opts = opts.withDefaults()
	now := opts.Clock()
	src, err := readSource(fsys)
	if err != nil {
		return nil, err
	}
	rules := exceptionRules{now: now, window: opts.MaxExceptionWindow}
	pol, polErr := parsePolicies(src.policies, rules)
	data, entErr := parseEntities(src.entities)
	res, schErr := parseSchema(src.schema)
	if err := errors.Join(polErr, entErr, schErr); err != nil {
		return nil, err
	}
	if len(pol.entries) == 0 && !opts.AllowEmpty {
		return nil, errors.Join(append(pol.refused, &LoadError{File: ".", Err: ErrNoPolicies})...)
	}
	if err := checkSchema(res, opts.Schema, src, pol, data); err != nil {
		return nil, err
	}
	addSchemaActions(res, data)
	if err := closeAncestors(entitiesFile(src), data); err != nil {
		return nil, err
	}
	data.lines = nil // only errors read the lines, and none come after the closure
	label, err := versionLabel(src)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{
		hash: src.hash, label: label, loadedAt: now,
		entries: pol.entries, byID: pol.byID, entities: data.entities,
		schema: res, clock: opts.Clock, refused: pol.refused,
	}
	s.active.Store(s.buildEvalSet(now))
	s.warnExceptions(opts.Logger, now)
	opts.Logger.Debug("policy source loaded", "version", s.label, "hash", s.hash,
		"policies", len(s.entries), "entities", len(s.entities), "schema", res != nil)
	return s, nil
}

func checkSchema(res *resolved.Schema, mode SchemaMode, src *source, pol *parsed, data *entityData) error {
	if res == nil || mode == SchemaSkip {
		return nil
	}
	return errors.Join(
		validatePolicies(res, mode, pol.entries),
		validateEntities(res, mode, entitiesFile(src), data),
	)
}

func entitiesFile(src *source) string {
	if src.entities != nil {
		return src.entities.path
	}
	return fileEntities
}

// maxVersionLen bounds the VERSION label, which becomes a metric label.
const maxVersionLen = 128

func versionLabel(src *source) (string, error) {
	if src.version == nil {
		return src.hash, nil
	}
	v := strings.TrimSpace(string(src.version.data))
	if v == "" || len(v) > maxVersionLen || !printable(v) {
		return "", &LoadError{File: src.version.path, Line: 1, Err: detail(ErrRead,
			"VERSION must hold one non-empty line of at most %d bytes of printable UTF-8", maxVersionLen)}
	}
	return v, nil
}

// configMapData is the symlink a Kubernetes ConfigMap or Secret volume
// swaps atomically to publish a new version.
const configMapData = "..data"

// sourceRoot returns the directory to read for dir: the target of
// dir/..data when dir is a ConfigMap-style volume, else dir. The kubelet
// swaps "..data" first and creates the visible link of a new key after,
// so the visible names can briefly miss a file of the new version.
func sourceRoot(dir string) (string, error) {
	data := filepath.Join(dir, configMapData)
	if fi, err := os.Lstat(data); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return dir, nil //nolint:nilerr // no ..data link: not a ConfigMap mount, the directory is read as is
	}
	target, err := filepath.EvalSymlinks(data)
	if err != nil {
		return "", &LoadError{File: data, Err: detail(ErrRead, "%v", err)}
	}
	return target, nil
}
