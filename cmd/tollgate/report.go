package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tollgate-authz/tollgate/internal/decisionlog"
)

const reportUsage = `usage: tollgate report --policies DIR|BUNDLE [--since 30d] [--until RFC3339] [--entities FILE] [--config tollgate.yaml] [--output text|json] DECISIONLOG...

An access review of the decisions logged in the window [until - since, until] (schema_version 1,
docs/decision-log.md), against the policies in force:
  permits never used      permits that determined no allow in the window;
  unused grants           for each principal that made a request in the window, the permits it
                          holds but never used. A principal holds a permit when the permit's
                          principal scope (==, in, is, is ... in) covers it, with IAM's entity data
                          (and --entities) for group membership; action, resource and conditions are
                          not considered. Permits open to every principal are listed only as unused;
  exceptions used         governed exception tickets that determined an allow, and by whom;
  forbids fired           forbid policies that denied, and whom;
  evaluation errors       policies that failed to evaluate, by kind, and for whom.
Lines outside the window are left out; lines of another schema_version are counted, not read.

Exit status: 0 the report was written; 1 bad input; 2 bad usage.`

type reportFlags struct {
	replayFlags
	since sinceFlag
	until string
}

// sinceFlag is a duration that also takes days: 30d, 12h, 90m.
type sinceFlag time.Duration

func (s *sinceFlag) String() string { return time.Duration(*s).String() }

func (s *sinceFlag) Set(v string) error {
	d, err := parseSince(v)
	if err != nil {
		return err
	}
	*s = sinceFlag(d)
	return nil
}

func parseSince(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 || days > 3660 {
			return 0, fmt.Errorf("want a positive number of days such as 30d, or a duration such as 12h, not %q", v)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a positive duration such as 30d or 12h, not %q", v)
	}
	return d, nil
}

// runReport is `tollgate report`.
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate report", reportUsage)
	f := reportFlags{since: sinceFlag(30 * 24 * time.Hour)}
	f.register(fs)
	fs.Var(&f.since, "since", "length of the window, ending at --until (30d, 12h)")
	fs.StringVar(&f.until, "until", "", "end of the window, RFC 3339 (default: now)")
	logs, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(logs) == 0 {
		return wantArgs(stderr, fs.Name(), "one or more DECISIONLOG", 0)
	}
	until := time.Now()
	if f.until != "" {
		t, err := time.Parse(time.RFC3339, f.until)
		if err != nil {
			return usageError(stderr, fs.Name(), fmt.Sprintf("--until %q: want RFC 3339 such as 2026-11-30T00:00:00Z", f.until))
		}
		until = t
	}
	env, ents, ok := f.load(stderr, "tollgate report")
	if !ok {
		return exitError
	}
	from := until.Add(-time.Duration(f.since))
	rb := newReportBuilder()
	inWindow := func(l *decisionlog.Line) bool { return !l.Time.Before(from) && !l.Time.After(until) }
	for _, path := range logs {
		if err := decisionlog.ReadFile(path, inWindow, rb.line); err != nil {
			fmt.Fprintln(stderr, "tollgate report:", err)
			return exitError
		}
	}
	res := rb.result(env.snap, ents, from, until)
	if f.output.json() {
		printJSON(stdout, res)
	} else {
		res.printText(stdout)
	}
	return exitOK
}
