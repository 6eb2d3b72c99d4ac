package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
	Policies  []string       `yaml:"policies"`
	line      int
}

type httpCase struct {
	Method            string            `yaml:"method"`
	Path              string            `yaml:"path"`
	Host              string            `yaml:"host"`
	Headers           map[string]string `yaml:"headers"`
	ContextExtensions map[string]string `yaml:"context_extensions"`
	Source            string            `yaml:"source_address"`
}

// runTest runs IAM's suites against a policy directory, offline.
func runTest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tollgate test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var pf policyFlags
	pf.register(fs)
	verbose := fs.Bool("v", false, "print passing cases too")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "usage: tollgate test DIR [SUITE.yaml...] [--manifest F]... [--config tollgate.yaml] [-v]")
		return exitError
	}
	env, err := loadOffline(pos[0], &pf)
	if err != nil {
		printErrors(stderr, "tollgate test", err)
		return exitError
	}
	suites, err := loadSuites(pos[0], pos[1:])
	if err != nil {
		fmt.Fprintln(stderr, "tollgate test:", err)
		return exitError
	}
	passed, failed := 0, 0
	for _, s := range suites {
		for i := range s.Cases {
			if runCase(stdout, env, s, &s.Cases[i], *verbose) {
				passed++
			} else {
				failed++
			}
		}
	}
	if failed > 0 || passed == 0 {
		fmt.Fprintf(stdout, "FAIL: %d passed, %d failed\n", passed, failed)
		return exitError
	}
	fmt.Fprintf(stdout, "PASS: %d passed, %d failed\n", passed, failed)
	return exitOK
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
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	s := &suite{file: file}
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%s: %v", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if s.Name == "" {
		s.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil {
		setCaseLines(&root, s)
	}
	for i, c := range s.Cases {
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("%s:%d: cases[%d] %q: %v", file, c.line, i, c.Name, err)
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
	return nil
}
