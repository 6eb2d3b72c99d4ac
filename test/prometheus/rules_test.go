package prometheus

import (
	"os"
	"os/exec"
	"testing"
)

// TestAlertRules checks and unit-tests examples/observability/alerts.yml
// with promtool, which ships with Debian's prometheus package.
func TestAlertRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("TOLLGATE_E2E_REQUIRE") == "1" {
			t.Fatal("promtool not found (TOLLGATE_E2E_REQUIRE=1): run test/tools/install.sh")
		}
		t.Skip("promtool not found; run test/tools/install.sh")
	}
	for _, args := range [][]string{
		{"check", "rules", "alerts.yml"},
		{"test", "rules", "alerts_test.yml"},
	} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = "../../examples/observability"
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %v: %v\n%s", args, err, out)
		}
	}
}
