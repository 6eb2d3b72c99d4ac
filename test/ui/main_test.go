// Package ui runs the real tollgate binary with admin.ui: true, sends
// allowed and denied Checks over gRPC, and drives Debian's headless
// Chromium (chromedp) against the admin page: the DOM after the Checks,
// the deny filter, text-only rendering of hostile values, no CSP violation
// or console error, and a screenshot kept as a test artifact.
package ui

import (
	"os"
	"testing"

	"github.com/tollgate-authz/tollgate/test/internal/harness"
)

func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
