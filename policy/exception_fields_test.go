package policy

import (
	"errors"
	"testing"
	"time"
)

// A governed exception names a real ticket and approver: blank ones, or
// ones hiding control characters (they reach the decision log and the
// warning lines), are refused, never a permit with no one accountable.
func TestExceptionRefusesBlankOrHiddenFields(t *testing.T) {
	const scope = "permit (principal, action, resource);\n"
	for name, annotations := range map[string]string{
		"blank ticket":         `@exception(" ") @approved_by("carol") @expires("2030-01-02T00:00:00Z")`,
		"blank approver":       `@exception("T-1") @approved_by("  ") @expires("2030-01-02T00:00:00Z")`,
		"newline in ticket":    `@exception("T-1\nlevel=INFO msg=ok") @approved_by("carol") @expires("2030-01-02T00:00:00Z")`,
		"escape in approver":   `@exception("T-1") @approved_by("carol\u{1b}[1A") @expires("2030-01-02T00:00:00Z")`,
		"zero-width approver":  "@exception(\"T-1\") @approved_by(\"\u200b\") @expires(\"2030-01-02T00:00:00Z\")",
		"spaces around expiry": `@exception("T-1") @approved_by("carol") @expires(" 2030-01-02T00:00:00Z")`,
	} {
		t.Run(name, func(t *testing.T) {
			src := "@id(\"exc\")\n" + annotations + "\n" + scope
			_, err := Load(mapFS(map[string]string{"e.cedar": src}), Options{Clock: func() time.Time { return testNow }})
			if !errors.Is(err, ErrException) {
				t.Fatalf("error %v, want ErrException", err)
			}
		})
	}
}
