package manifest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// ErrPolicyInSource is wrapped when a manifest source holds Cedar
// policy. App teams declare; only IAM's policy source may hold policy.
var ErrPolicyInSource = errors.New("manifest sources may only declare routes, actions and resources; " +
	"Cedar policy belongs in IAM's policy source")

// LoadAll reads app-team manifest sources and merges them into one
// Manifest. Each path is a manifest file or a directory whose *.yaml and
// *.yml files are manifests (subdirectories are not read). A source that
// holds a .cedar file or Cedar policy text is rejected, as is a manifest
// naming policies, permits or principals. Two routes in different files
// that match the same requests are an error naming both files.
func LoadAll(paths ...string) (*Manifest, error) {
	if len(paths) == 0 {
		return nil, wrap(fmt.Errorf("%w: no manifest source given", ErrInvalid))
	}
	var files []string
	for _, p := range paths {
		fs, err := manifestFiles(p)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	var parsed []*Manifest
	var errs []error
	for _, f := range files {
		m, err := loadManifestFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parsed = append(parsed, m)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return mergeManifests(parsed)
}

// manifestFiles lists the manifests of one source, refusing Cedar files.
func manifestFiles(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, wrap(fmt.Errorf("manifest source: %w", err))
	}
	if !info.IsDir() {
		if isPolicyFile(filepath.Base(p)) {
			return nil, policyInSource(p, 0)
		}
		return []string{p}, nil
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return nil, wrap(fmt.Errorf("manifest source: %w", err))
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		full := filepath.Join(p, name)
		switch {
		case strings.HasPrefix(name, "."):
		case isPolicyFile(name):
			return nil, policyInSource(full, 0)
		case !e.IsDir() && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")):
			out = append(out, full)
		}
	}
	if len(out) == 0 {
		return nil, wrap(fmt.Errorf("%w: %s: no *.yaml manifests in the directory", ErrInvalid, p))
	}
	sort.Strings(out)
	return out, nil
}

// isPolicyFile reports a Cedar policy or schema file by name: IAM's files,
// which a manifest source may never hold.
func isPolicyFile(name string) bool {
	return strings.HasSuffix(name, ".cedar") || strings.Contains(name, ".cedarschema")
}

func policyInSource(file string, line int) error {
	return &Error{File: file, Line: line, Grant: true, Msg: ErrPolicyInSource.Error()}
}

// loadManifestFile parses one manifest, naming it by its path.
func loadManifestFile(path string) (*Manifest, error) {
	data, err := readManifest(path)
	if err != nil {
		return nil, err
	}
	if line, ok := looksLikeCedar(data); ok {
		return nil, policyInSource(path, line)
	}
	return Parse(path, data)
}

// mergeManifests combines parsed manifests, rejecting routes in different
// files that match the same requests.
func mergeManifests(ms []*Manifest) (*Manifest, error) {
	if len(ms) == 1 {
		for _, r := range ms[0].routes {
			r.File = ms[0].file
		}
		return ms[0], nil
	}
	out := &Manifest{table: newRouteTable(ms[0].foldCase())}
	var names, services []string
	clashes := newRouteClashes(out.table.foldCase)
	for _, m := range ms {
		if m.foldCase() != out.table.foldCase {
			return nil, &Error{File: m.file, Key: "path_case", Msg: fmt.Sprintf(
				"differs from %s: manifests served by one Tollgate must declare the same path_case", ms[0].file)}
		}
		names = append(names, m.file)
		if m.service != "" && !slices.Contains(services, m.service) {
			services = append(services, m.service)
		}
		for _, r := range m.routes {
			r.File = m.file
			if prev := clashes.add(r); prev != nil {
				return nil, crossFileClash(r, prev)
			}
			out.routes = append(out.routes, r)
			out.table.add(r)
			for _, a := range r.actionNames() {
				if !slices.Contains(out.actions, a) {
					out.actions = append(out.actions, a)
				}
			}
		}
	}
	slices.Sort(out.actions)
	out.file, out.service = strings.Join(names, ","), strings.Join(services, ",")
	return out, nil
}

// crossFileClash reports a route that matches the same requests as one from
// another file (routes of one file were already checked by Parse).
func crossFileClash(r, prev *Rule) error {
	return &Error{File: r.File, Line: r.Line, Key: "route " + r.Name, Msg: fmt.Sprintf(
		"matches the same requests as route %q at %s:%d; a route may be declared in one manifest only",
		prev.Name, prev.File, prev.Line)}
}
