package adminui

import (
	"strings"
	"testing"
)

// TestRingClipsTheAction: the Cedar action is caller-chosen too. An MCP
// route in per_tool mode names the action after the called tool
// (Action::"github.<tool>", whatever tool the body names), so a long tool
// name reached the ring whole: 200 such requests pinned up to 200 times
// the largest tool name the route's body limit allows.
func TestRingClipsTheAction(t *testing.T) {
	r := NewRing(newClock().Now)
	s := denySummary(1, "p")
	s.Action = `Action::"github.` + strings.Repeat("x", 8192) + `"`
	r.ObserveDecision(s)
	got := r.Recent(false)[0].Action
	if len(got) > maxValueBytes+len("…") || !strings.HasSuffix(got, "…") {
		t.Fatalf("action kept %d bytes", len(got))
	}
	s.Action = `Action::"ReadOrder"`
	r.ObserveDecision(s)
	if got := r.Recent(false)[0].Action; got != `Action::"ReadOrder"` {
		t.Fatalf("short action = %q", got)
	}
}
