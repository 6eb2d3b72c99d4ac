package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/cedar-policy/cedar-go/types"
	"gopkg.in/yaml.v3"
)

// suite is one YAML test file written by IAM.
type suite struct {
	file  string
	Name  string     `yaml:"name"`
	Cases []testCase `yaml:"cases"`
}

// testCase is one request and its expected decision. Either Action and
// Resource (a Cedar request) or Request (an HTTP request mapped through
// the manifest) is set.
type testCase struct {
	Name      string         `yaml:"name"`
	Principal string         `yaml:"principal"`
	Action    string         `yaml:"action"`
	Resource  string         `yaml:"resource"`
	Context   map[string]any `yaml:"context"`
	Request   *httpCase      `yaml:"request"`
	Expect    string         `yaml:"expect"`
	// Code is the expected decision code (permit, forbid, no_permit,
	// forbid_error; for a request case also no_route and the other codes
	// of the decision log).
	Code string `yaml:"code"`
	// Policies are the expected determining policies; Errors the policies
	// expected to fail with an evaluation error. Unset: not asserted.
	Policies []string `yaml:"policies"`
	Errors   []string `yaml:"errors"`
	// Entities are extra entities for this case only (Cedar JSON entity
	// format); they overlay IAM's entity data.
	Entities []any `yaml:"entities"`
	// Now is the instant the case is decided at (RFC 3339), so exception
	// expiry is testable; default: when the suite runs.
	Now  string `yaml:"now"`
	line int
	now  time.Time
	ents []types.Entity
}

type httpCase struct {
	Method            string            `yaml:"method"`
	Path              string            `yaml:"path"`
	Host              string            `yaml:"host"`
	Headers           map[string]string `yaml:"headers"`
	ContextExtensions map[string]string `yaml:"context_extensions"`
	Source            string            `yaml:"source_address"`
}

// testFlags are the flags of tollgate test.
type testFlags struct {
	pf       policyFlags
	verbose  bool
	run      string
	format   string
	coverage bool
}

const testUsage = `usage: tollgate test DIR [SUITE.yaml...] [--config tollgate.yaml] [--manifest F]...
                     [--run REGEX] [--format text|json|junit] [--coverage] [-v]

Runs IAM's suites (DIR/tests/*.yaml) offline. Each case is first checked
against the schema, or the shape Tollgate derives from --config and the
manifests: a case whose action, entity types or context keys no request can
have fails, since it would pass or fail by accident.`

// runTest runs IAM's suites against a policy directory, offline.
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate test", testUsage)
	var f testFlags
	f.pf.register(fs)
	fs.BoolVar(&f.verbose, "v", false, "print passing cases too (text format)")
	fs.StringVar(&f.run, "run", "", "run only the cases whose \"suite/case\" name matches this regular expression")
	fs.StringVar(&f.format, "format", "text", "output: text, json or junit (JUnit XML for CI)")
	fs.StringVar(&f.format, "output", "text", "the same as --format (as check and validate spell it)")
	fs.BoolVar(&f.coverage, "coverage", false, "list policies no case exercised and policies that never determined a result")
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) == 0 {
		return wantArgs(stderr, fs.Name(), "at least 1", 0)
	}
	runRE, err := regexp.Compile(f.run)
	if err != nil || (f.format != "text" && f.format != "json" && f.format != "junit") {
		fmt.Fprintf(stderr, "tollgate test: --run must be a regular expression and --format text, json or junit\n")
		return exitError
	}
	env, err := loadOffline(pos[0], &f.pf)
	if err != nil {
		printErrors(stderr, "tollgate test", err)
		return exitError
	}
	suites, err := loadSuites(pos[0], pos[1:])
	if err != nil {
		printErrors(stderr, "tollgate test", err)
		return exitError
	}
	rep := &report{cov: newCoverage(env.snap)}
	for _, s := range suites {
		for i := range s.Cases {
			if c := &s.Cases[i]; runRE.MatchString(s.Name + "/" + c.Name) {
				rep.add(s, c, c.run(env))
			}
		}
	}
	return rep.write(stdout, f)
}

// loadSuites reads the given suite files, or every *.yaml under DIR/tests.
func loadSuites(dir string, files []string) ([]*suite, error) {
	if len(files) == 0 {
		for _, ext := range []string{"*.yaml", "*.yml"} {
			m, _ := filepath.Glob(filepath.Join(dir, "tests", ext))
			files = append(files, m...)
		}
		sort.Strings(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("no test suites: add *.yaml files under %s", filepath.Join(dir, "tests"))
		}
	}
	out := make([]*suite, 0, len(files))
	for _, f := range files {
		s, err := loadSuite(f)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func loadSuite(file string) (*suite, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if errs := unknownKeys(file, &root); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	s := &suite{file: file}
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%s: %v", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: a suite file is one YAML document; its cases after \"---\" would never run", file)
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	setCaseLines(&root, s)
	for i := range s.Cases {
		c := &s.Cases[i]
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("%s:%d: cases[%d] %q: %w", file, c.line, i, c.Name, err)
		}
	}
	return s, nil
}

// setCaseLines records the line of each case for failure messages.
func setCaseLines(root *yaml.Node, s *suite) {
	if len(root.Content) == 0 {
		return
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "cases" {
			for j, c := range m.Content[i+1].Content {
				if j < len(s.Cases) {
					s.Cases[j].line = c.Line
				}
			}
		}
	}
}

func (c *testCase) check() error {
	switch {
	case c.Name == "":
		return fmt.Errorf("name is required")
	case c.Principal == "":
		return fmt.Errorf("principal (a SPIFFE ID) is required")
	case c.Expect != "allow" && c.Expect != "deny":
		return fmt.Errorf("expect must be allow or deny, not %q", c.Expect)
	case c.Request == nil && (c.Action == "" || c.Resource == ""):
		return fmt.Errorf("set action and resource, or request")
	case c.Request != nil && (c.Action != "" || c.Resource != "" || c.Context != nil):
		return fmt.Errorf("a request case takes its action, resource and context from the manifest")
	}
	if c.Now != "" {
		t, err := time.Parse(time.RFC3339, c.Now)
		if err != nil {
			return fmt.Errorf("now %q: want an RFC 3339 time such as 2025-01-02T15:04:05Z", c.Now)
		}
		c.now = t
	}
	ents, err := caseEntities(c.Entities)
	if err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	c.ents = ents
	return nil
}

// caseEntities decodes a case's entities (Cedar JSON entity format).
func caseEntities(list []any) ([]types.Entity, error) {
	if len(list) == 0 {
		return nil, nil
	}
	data, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	var m types.EntityMap
	if err := m.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	if len(m) != len(list) {
		return nil, fmt.Errorf("an entity is given twice")
	}
	out := make([]types.Entity, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID.String() < out[j].UID.String() })
	return out, nil
}
