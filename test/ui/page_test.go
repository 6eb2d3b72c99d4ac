package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tollgate-authz/tollgate/internal/testutil"
)

// pageState is what the page shows, read from the DOM.
type pageState struct {
	Refreshed  string     `json:"refreshed"`
	Filter     string     `json:"filter"`
	Version    string     `json:"version"`
	Source     string     `json:"source"`
	Exceptions [][]string `json:"exceptions"`
	Bundles    [][]string `json:"bundles"`
	ByPolicy   [][]string `json:"by_policy"`
	ByAction   [][]string `json:"by_action"`
	Total      string     `json:"total"`
	Rows       []pageRow  `json:"rows"`
	Images     int        `json:"images"`
	Violations []string   `json:"violations"`
	Dialogs    []string   `json:"dialogs"`
}

type pageRow struct {
	Class     string `json:"class"`
	Code      string `json:"code"`
	Principal string `json:"principal"`
	Resource  string `json:"resource"`
	Policies  string `json:"policies"`
}

// readPage reads the page's state in one evaluation (DevTools evaluation
// is not subject to the page's CSP).
const readPage = `(() => {
  const txt = (id) => document.getElementById(id).textContent;
  const table = (id) => [...document.querySelectorAll("#" + id + " tr")]
    .filter((tr) => !tr.querySelector(".empty"))
    .map((tr) => [...tr.cells].map((c) => c.textContent));
  return {
    refreshed: document.body.dataset.refreshed || "", filter: document.body.dataset.filter || "",
    version: txt("policy-version"), source: txt("policy-source"),
    exceptions: table("exceptions-body"), bundles: table("bundles-body"),
    by_policy: table("denies-by-policy"), by_action: table("denies-by-action"), total: txt("denies-total"),
    rows: [...document.querySelectorAll("#decisions-body tr")].filter((tr) => !tr.querySelector(".empty")).map((tr) => ({
      class: tr.className, code: tr.querySelector(".code").textContent,
      principal: tr.querySelector(".principal").textContent, resource: tr.querySelector(".resource").textContent,
      policies: tr.querySelector(".policies").textContent })),
    images: document.images.length, violations: window.__violations, dialogs: window.__dialogs,
  };
})()`

func (b *browser) state(t *testing.T) pageState {
	t.Helper()
	raw := eval[[]byte](t, b, readPage)
	var s pageState
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	return s
}

// waitState polls the DOM until cond holds.
func (b *browser) waitState(t *testing.T, what string, cond func(pageState) bool) pageState {
	t.Helper()
	var last pageState
	testutil.Poll(t, what, 20*time.Second, 100*time.Millisecond, func() error {
		last = b.state(t)
		if cond(last) {
			return nil
		}
		j, _ := json.Marshal(last)
		return &notYet{string(j)}
	}, nil)
	return last
}

type notYet struct{ state string }

func (n *notYet) Error() string { return "page state: " + n.state }

// TestAdminUIInChromium: after allowed and denied Checks the page shows
// the policy version and source, the exception, the trust bundle, the
// denies by policy and action, and one row per decision; the deny filter
// keeps only denials; a hostile resource id is shown as text and no
// script runs; there is no CSP violation and no console error.
func TestAdminUIInChromium(t *testing.T) {
	e := startUI(t, true)
	total, denied := e.checks(t)
	resp, err := http.Get("http://" + e.AdminAddr + "/ui/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("GET /ui/: CSP %q", csp)
	}

	b := newBrowser(t)
	b.do(t, "open the page", chromedp.Navigate("http://"+e.AdminAddr+"/ui/"))
	s := b.waitState(t, "the page shows every decision", func(s pageState) bool { return s.Refreshed != "" && len(s.Rows) == total })
	if s.Version != "ui-e2e-1" || !strings.HasSuffix(s.Source, "policies") {
		t.Errorf("policy version %q source %q", s.Version, s.Source)
	}
	if len(s.Exceptions) != 1 || s.Exceptions[0][0] != "SEC-42" || s.Exceptions[0][1] != "hotfix-read" ||
		!strings.HasPrefix(s.Exceptions[0][4], "2d ") {
		t.Errorf("exceptions = %q, want SEC-42 with about 2d left", s.Exceptions)
	}
	if len(s.Bundles) != 1 || s.Bundles[0][0] != "example.org" || s.Bundles[0][1] != "files" || s.Bundles[0][2] != "1" {
		t.Errorf("bundles = %q", s.Bundles)
	}
	if s.Total != strconv.Itoa(denied) || !hasRow(s.ByPolicy, "no-delete-order-1", "1") || !hasRow(s.ByPolicy, "none", strconv.Itoa(denied-1)) ||
		!hasRow(s.ByAction, "DeleteOrder", "1") {
		t.Errorf("denies: total %s by policy %q by action %q", s.Total, s.ByPolicy, s.ByAction)
	}
	if !slices.ContainsFunc(s.Rows, func(r pageRow) bool {
		return r.Class == "deny" && r.Code == "forbid" && r.Policies == "no-delete-order-1" && r.Resource == `Order::"1"`
	}) {
		t.Errorf("no forbid row for Order::1: %+v", s.Rows)
	}
	if !slices.ContainsFunc(s.Rows, func(r pageRow) bool {
		return r.Class == "allow" && r.Principal == "spiffe://example.org/ns/shop/sa/frontend" && r.Policies == "frontend-reads"
	}) {
		t.Errorf("no allow row for the frontend: %+v", s.Rows)
	}
	assertInert(t, s)
	b.screenshot(t, "admin-ui.png")

	b.do(t, "filter to denies", chromedp.Click(chromedp.ID("denies-only")))
	s = b.waitState(t, "the deny filter", func(s pageState) bool { return s.Filter == "deny" && len(s.Rows) == denied })
	for _, r := range s.Rows {
		if r.Class != "deny" {
			t.Errorf("the deny filter shows %+v", r)
		}
	}
	assertInert(t, s)
	b.screenshot(t, "admin-ui-denies.png")
	if p := b.problems(); len(p) > 0 {
		t.Errorf("console: %q", p)
	}
	assertDetectorsWork(t, b)
}

// assertInert: the hostile resource id is a row's text, no element was
// made from it, no script ran and the CSP was never violated.
func assertInert(t *testing.T, s pageState) {
	t.Helper()
	if !slices.ContainsFunc(s.Rows, func(r pageRow) bool { return strings.Contains(r.Resource, xss) }) {
		t.Errorf("no row shows %s as text: %+v", xss, s.Rows)
	}
	if s.Images != 0 || len(s.Dialogs) != 0 || len(s.Violations) != 0 {
		t.Errorf("images %d, dialogs %q, CSP violations %q", s.Images, s.Dialogs, s.Violations)
	}
}

// assertDetectorsWork: the CSP and dialog detectors are live (so their
// silence above means something): markup added as HTML would be blocked
// by the CSP and reported.
func assertDetectorsWork(t *testing.T, b *browser) {
	t.Helper()
	eval[chromedp.Void](t, b, `document.getElementById("tail").insertAdjacentHTML("beforeend", "<img src=x onerror=alert(1)>")`)
	testutil.Poll(t, "the CSP blocks an injected inline handler", 10*time.Second, 100*time.Millisecond, func() error {
		if s := b.state(t); len(s.Violations) == 0 {
			return &notYet{"no violation reported"}
		}
		return nil
	}, nil)
}

func hasRow(rows [][]string, key, count string) bool {
	return slices.ContainsFunc(rows, func(r []string) bool { return len(r) == 2 && r[0] == key && r[1] == count })
}
