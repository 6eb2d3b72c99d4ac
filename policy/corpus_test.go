package policy

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// corpusCase is one test of Cedar's conformance corpus.
type corpusCase struct {
	Policies       string `json:"policies"`
	Entities       string `json:"entities"`
	Schema         string `json:"schema"`
	ShouldValidate bool   `json:"shouldValidate"`
	Requests       []struct {
		Desc      string           `json:"description"`
		Principal *types.EntityUID `json:"principal"`
		Action    *types.EntityUID `json:"action"`
		Resource  *types.EntityUID `json:"resource"`
		Context   types.Record     `json:"context"`
		Decision  string           `json:"decision"`
		Reasons   []string         `json:"reason"`
		Errors    []string         `json:"errors"`
	} `json:"requests"`
}

// corpusTestNames are the corpus's test files (not its entities), sorted.
func corpusTestNames(files map[string][]byte) []string {
	var names []string
	for name := range files {
		if strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".entities.json") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// TestCedarCorpus runs Cedar's conformance corpus (corpus-tests.tar.gz in
// the cedar-go module, read from the module cache) through Load and
// Snapshot.Evaluate. The intended divergences are asserted, not skipped:
// a policy set the schema rejects is refused at load (and then evaluated
// with SchemaSkip), and an erroring forbid denies with ReasonForbidError,
// the forbids that matched still determining. It runs all 7,750 tests
// (62,000 requests, about 12 s on one core); with -short, every 8th.
func TestCedarCorpus(t *testing.T) {
	files := readCorpus(t)
	names := corpusTestNames(files)
	step := 1
	if testing.Short() {
		step = 8
	}
	var requests, refused, forbidErrors int
	for i, name := range names {
		if i%step != 0 {
			continue
		}
		var c corpusCase
		if err := json.Unmarshal(files[name], &c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n, r, fe := runCorpusCase(t, name, c, files)
		requests, refused, forbidErrors = requests+n, refused+r, forbidErrors+fe
	}
	t.Logf("corpus: %d tests (every %d), %d requests, %d refused by the schema at load, %d forbid_error denials",
		(len(names)+step-1)/step, step, requests, refused, forbidErrors)
	if requests == 0 {
		t.Fatal("no corpus requests ran")
	}
}

func runCorpusCase(t *testing.T, name string, c corpusCase, files map[string][]byte) (requests, refused, forbidErrors int) {
	src := map[string]string{
		"policies.cedar":     withIDs(t, name, files[c.Policies]),
		"entities.json":      string(files[c.Entities]),
		"schema.cedarschema": string(files[c.Schema]),
	}
	s, err := Load(mapFS(src), Options{})
	if !c.ShouldValidate {
		// Divergence 1: Cedar evaluates a schema-invalid policy set;
		// Tollgate refuses to load it.
		if !errors.Is(err, ErrSchemaInvalid) {
			t.Fatalf("%s: schema-invalid policies loaded (err %v)", name, err)
		}
		refused = 1
		s, err = Load(mapFS(src), Options{Schema: SchemaSkip})
	}
	if err != nil {
		t.Fatalf("%s: load: %v", name, err)
	}
	for _, r := range c.Requests {
		rq := cedar.Request{Principal: deref(r.Principal), Action: deref(r.Action), Resource: deref(r.Resource), Context: r.Context}
		got := s.Evaluate(rq)
		want := corpusDecision(s, r.Decision == "allow", r.Reasons, r.Errors)
		if want.Reason == ReasonForbidError {
			forbidErrors++
		}
		if got.Allow != want.Allow || got.Reason != want.Reason ||
			!sameSet(got.Determining, want.Determining) || !sameSet(errorIDs(got), r.Errors) {
			t.Errorf("%s %s %+v:\n got %+v\nwant %+v (cedar: %s reasons %v errors %v)",
				name, r.Desc, rq, got, want, r.Decision, r.Reasons, r.Errors)
		}
		requests++
	}
	return requests, refused, forbidErrors
}

// corpusDecision maps Cedar's expected answer to Tollgate's: divergence 2,
// an erroring forbid denies, and the forbids that matched stay determining.
func corpusDecision(s *Snapshot, allow bool, reasons, errs []string) Decision {
	var erroredForbids []string
	for _, id := range errs {
		if s.byID[id].forbid() {
			erroredForbids = append(erroredForbids, id)
		}
	}
	switch {
	case len(erroredForbids) > 0 && allow:
		return Decision{Reason: ReasonForbidError, Determining: erroredForbids}
	case len(erroredForbids) > 0:
		return Decision{Reason: ReasonForbidError, Determining: append(slices.Clone(reasons), erroredForbids...)}
	case allow:
		return Decision{Allow: true, Reason: ReasonPermit, Determining: reasons}
	case len(reasons) > 0:
		return Decision{Reason: ReasonForbid, Determining: reasons}
	}
	return Decision{Reason: ReasonNoPermit}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func deref(u *types.EntityUID) types.EntityUID {
	if u == nil {
		return types.EntityUID{}
	}
	return *u
}

// withIDs gives each policy the @id Cedar gives it ("policy0", ...), since
// Tollgate requires one.
func withIDs(t *testing.T, name string, text []byte) string {
	list, err := cedar.NewPolicyListFromBytes("policies.cedar", text)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b strings.Builder
	for i, p := range list {
		fmt.Fprintf(&b, "@id(\"policy%d\")\n%s\n", i, p.MarshalCedar())
	}
	return b.String()
}

// readCorpus reads corpus-tests.tar.gz from the cedar-go module in the
// module cache, keyed by path ("corpus-tests/<hash>.json").
func readCorpus(t *testing.T) map[string][]byte {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/cedar-policy/cedar-go").Output()
	if err != nil {
		t.Fatalf("locating the cedar-go module: %v", err)
	}
	f, err := os.Open(filepath.Join(strings.TrimSpace(string(out)), "corpus-tests.tar.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = data
	}
}
