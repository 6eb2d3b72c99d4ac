package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadDirOK(t *testing.T) {
	s := mustLoadDir(t, "testdata/basic", Options{})
	if s.Len() != 6 {
		t.Fatalf("Len = %d, want 6", s.Len())
	}
	var ids []string
	for _, m := range s.Policies() {
		ids = append(ids, m.ID)
	}
	// admin/admin.cedar sorts before orders.cedar.
	want := "admin-all,deny-risky-delete,org-read,owner-write,deny-frozen,export-cleared"
	if got := strings.Join(ids, ","); got != want {
		t.Errorf("policies = %s, want %s", got, want)
	}
	m, ok := s.Policy("deny-frozen")
	if !ok || m.Effect != EffectForbid || m.File != "orders.cedar" || m.Line != 15 {
		t.Errorf("Policy(deny-frozen) = %+v, %v", m, ok)
	}
	if !strings.HasPrefix(s.Version(), "sha256:") || len(s.Version()) != len("sha256:")+16 || s.Version() != s.Hash() {
		t.Errorf("Version = %q, Hash = %q", s.Version(), s.Hash())
	}
	if !s.LoadedAt().Equal(testNow) || s.Schema() != nil {
		t.Errorf("LoadedAt = %v, Schema = %v", s.LoadedAt(), s.Schema())
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		dir      string
		sentinel error
		want     []string // substrings of the error message
	}{
		{"missing id", "testdata/missing_id", ErrMissingID,
			[]string{"policy: a.cedar:5:1: missing @id"}},
		{"duplicate id", "testdata/dup_id", ErrDuplicateID,
			[]string{`policy: sub/b.cedar:3:1: policy @id("same"): duplicate @id`, "first defined at a.cedar:1:1"}},
		{"parse error", "testdata/parse_error", ErrParse,
			[]string{`policy: bad.cedar:5:31: syntax error: near "resource": expected ident`}},
		{"not a dir", "testdata/basic/entities.json", ErrRead, []string{"not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadDir(tt.dir, Options{})
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("error %v, want %v", err, tt.sentinel)
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("error %T is not a *LoadError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadCollectsAllErrors(t *testing.T) {
	fsys := mapFS(map[string]string{
		"a.cedar": "permit (principal, action, resource);\n",
		"b.cedar": "@id(\"x\") permit (principal, action ==, resource);\n",
		"c.cedar": "@id(\"e\") @exception(\"T-1\") permit (principal, action, resource);\n",
	})
	_, err := Load(fsys, Options{Clock: func() time.Time { return testNow }})
	for _, sentinel := range []error{ErrMissingID, ErrParse, ErrException} {
		if !errors.Is(err, sentinel) {
			t.Errorf("error %v does not include %v", err, sentinel)
		}
	}
}

func TestLoadNoPolicies(t *testing.T) {
	_, err := Load(mapFS(map[string]string{"entities.json": "[]"}), Options{})
	if !errors.Is(err, ErrNoPolicies) {
		t.Fatalf("error %v, want ErrNoPolicies", err)
	}
}

func TestVersion(t *testing.T) {
	base := map[string]string{"p.cedar": "@id(\"a\") permit (principal, action, resource);\n"}
	load := func(files map[string]string) *Snapshot {
		t.Helper()
		s, err := Load(mapFS(files), Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a, b := load(base), load(base)
	if a.Hash() != b.Hash() {
		t.Errorf("identical content: %s != %s", a.Hash(), b.Hash())
	}
	changed := load(map[string]string{"p.cedar": base["p.cedar"] + "\n"})
	if changed.Hash() == a.Hash() {
		t.Error("hash did not change with content")
	}
	renamed := load(map[string]string{"q.cedar": base["p.cedar"]})
	if renamed.Hash() == a.Hash() {
		t.Error("hash did not change with the file name")
	}
	labelled := load(map[string]string{"p.cedar": base["p.cedar"], "VERSION": " v1.2.3\n"})
	if labelled.Version() != "v1.2.3" || labelled.Hash() == a.Hash() {
		t.Errorf("VERSION label: Version=%q Hash=%q", labelled.Version(), labelled.Hash())
	}
	_, err := Load(mapFS(map[string]string{"p.cedar": base["p.cedar"], "VERSION": "a\nb"}), Options{})
	if !errors.Is(err, ErrRead) || !strings.Contains(err.Error(), "VERSION:1") {
		t.Errorf("multi-line VERSION: %v", err)
	}
}

func TestLoadSkipsHiddenAndFollowsSymlinks(t *testing.T) {
	dir := t.TempDir()
	writeConfigMap(t, dir, "..v1", map[string]string{"p.cedar": "@id(\"a\") permit (principal, action, resource);\n"})
	s := mustLoadDir(t, dir, Options{})
	if s.Len() != 1 {
		t.Fatalf("Len = %d, want 1 (hidden ConfigMap directories must be skipped)", s.Len())
	}
}

// writeConfigMap lays out dir the way the kubelet does: files in a hidden
// versioned directory, a "..data" symlink to it, and visible symlinks
// through "..data".
func writeConfigMap(t *testing.T, dir, version string, files map[string]string) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(dir, version), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, version, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, name)
		if _, err := os.Lstat(link); err != nil {
			if err := os.Symlink(filepath.Join("..data", name), link); err != nil {
				t.Fatal(err)
			}
		}
	}
	tmp := filepath.Join(dir, "..data_tmp")
	if err := os.Symlink(version, tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
}
