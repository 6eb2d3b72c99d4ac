package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/tollgate-authz/tollgate/policy"
)

// caseResult is one case's result.
type caseResult struct {
	Suite   string   `json:"suite"`
	Name    string   `json:"name"`
	File    string   `json:"file"`
	Line    int      `json:"line"`
	Passed  bool     `json:"passed"`
	Diffs   []string `json:"failures,omitempty"`
	Code    string   `json:"code"`
	Allow   bool     `json:"allow"`
	Policy  []string `json:"determining"`
	Errored []string `json:"errors,omitempty"`
}

// report collects the results of a run.
type report struct {
	results []caseResult
	cov     *coverage
}

func (r *report) add(s *suite, c *testCase, got outcome) {
	d := c.diffs(got)
	r.results = append(r.results, caseResult{Suite: s.Name, Name: c.Name, File: s.file, Line: c.line,
		Passed: len(d) == 0, Diffs: d, Code: got.code, Allow: got.allow, Policy: got.policies, Errored: got.errors})
	r.cov.record(got)
}

func (r *report) counts() (passed, failed int) {
	for _, res := range r.results {
		if res.Passed {
			passed++
		} else {
			failed++
		}
	}
	return passed, failed
}

// write prints the report in f.format and returns the exit code: a run
// with a failure, or with no case at all, fails.
func (r *report) write(w io.Writer, f testFlags) int {
	passed, failed := r.counts()
	switch f.format {
	case "json":
		r.writeJSON(w)
	case "junit":
		r.writeJUnit(w)
	default:
		r.writeText(w, f)
	}
	if failed > 0 || passed == 0 {
		return exitError
	}
	return exitOK
}

func (r *report) writeText(w io.Writer, f testFlags) {
	for _, res := range r.results {
		name := res.Suite + "/" + res.Name
		if res.Passed {
			if f.verbose {
				fmt.Fprintf(w, "--- PASS: %s\n", name)
			}
			continue
		}
		fmt.Fprintf(w, "--- FAIL: %s (%s:%d)\n", name, res.File, res.Line)
		for _, d := range res.Diffs {
			fmt.Fprintf(w, "    %s\n", d)
		}
	}
	if f.coverage {
		r.cov.writeText(w)
	}
	passed, failed := r.counts()
	status := "PASS"
	if failed > 0 || passed == 0 {
		status = "FAIL"
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed\n", status, passed, failed)
}

func (r *report) writeJSON(w io.Writer) {
	passed, failed := r.counts()
	out := struct {
		Passed   int          `json:"passed"`
		Failed   int          `json:"failed"`
		Cases    []caseResult `json:"cases"`
		Coverage coverageJSON `json:"coverage"`
	}{passed, failed, r.results, r.cov.json()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// JUnit XML, as CI systems read it.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr"`
	Line      int           `xml:"line,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func (r *report) writeJUnit(w io.Writer) {
	var out junitSuites
	index := map[string]int{}
	for _, res := range r.results {
		i, ok := index[res.Suite]
		if !ok {
			i = len(out.Suites)
			index[res.Suite] = i
			out.Suites = append(out.Suites, junitSuite{Name: res.Suite})
		}
		s := &out.Suites[i]
		jc := junitCase{Name: res.Name, Classname: res.Suite, File: res.File, Line: res.Line}
		if !res.Passed {
			jc.Failure = &junitFailure{Message: res.Diffs[0], Text: strings.Join(res.Diffs, "\n")}
			s.Failures++
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
	}
	fmt.Fprint(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	_ = enc.Encode(out)
	fmt.Fprintln(w)
}

// coverage tracks which policies the cases exercised (a request in their
// scope) and which determined a decision.
type coverage struct {
	metas      []policy.Meta
	inScope    map[string]bool
	determined map[string]bool
}

type coverageJSON struct {
	NotExercised       []string `json:"not_exercised"`
	PermitsNeverAllow  []string `json:"permits_never_determined"`
	ForbidsNeverDenied []string `json:"forbids_never_determined"`
}

func newCoverage(snap *policy.Snapshot) *coverage {
	return &coverage{metas: snap.Policies(), inScope: map[string]bool{}, determined: map[string]bool{}}
}

func (c *coverage) record(got outcome) {
	for _, id := range got.inScope {
		c.inScope[id] = true
	}
	for _, id := range got.policies {
		c.determined[id] = true
	}
}

func (c *coverage) json() coverageJSON {
	out := coverageJSON{NotExercised: []string{}, PermitsNeverAllow: []string{}, ForbidsNeverDenied: []string{}}
	for _, m := range c.metas {
		switch {
		case !c.inScope[m.ID]:
			out.NotExercised = append(out.NotExercised, m.ID)
		case c.determined[m.ID]:
		case m.Effect == policy.EffectPermit:
			out.PermitsNeverAllow = append(out.PermitsNeverAllow, m.ID)
		default:
			out.ForbidsNeverDenied = append(out.ForbidsNeverDenied, m.ID)
		}
	}
	return out
}

func (c *coverage) writeText(w io.Writer) {
	j := c.json()
	fmt.Fprintf(w, "coverage: %d policies, %d never exercised, %d permits and %d forbids never determined a decision\n",
		len(c.metas), len(j.NotExercised), len(j.PermitsNeverAllow), len(j.ForbidsNeverDenied))
	list := func(title string, ids []string) {
		for _, id := range ids {
			m := c.meta(id)
			fmt.Fprintf(w, "  %s: %s:%d @id(%q)\n", title, m.File, m.Line, id)
		}
	}
	list("no case in scope", j.NotExercised)
	list("permit never allowed", j.PermitsNeverAllow)
	list("forbid never denied", j.ForbidsNeverDenied)
}

func (c *coverage) meta(id string) policy.Meta {
	for _, m := range c.metas {
		if m.ID == id {
			return m
		}
	}
	return policy.Meta{}
}
