package policy

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// The VERSION label becomes the tollgate_policy_info label and a log field:
// bytes that are not printable UTF-8 are refused at load, because
// client_golang panics on an invalid UTF-8 label value (a crash on publish)
// and control characters forge log lines.
func TestVersionLabelRefusesUnprintable(t *testing.T) {
	for name, v := range map[string]string{
		"invalid UTF-8": "v1\xff",
		"NUL":           "v1\x00",
		"escape":        "v1\x1b[2J",
		"bidi override": "v1\u202e",
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"a.cedar": "@id(\"a\")\npermit(principal,action,resource);", "VERSION": v}
			s, err := Load(mapFS(files), Options{})
			if !errors.Is(err, ErrRead) {
				m, merr := NewMetrics(prometheus.NewRegistry())
				if merr != nil {
					t.Fatal(merr)
				}
				func() {
					defer func() {
						if r := recover(); r != nil {
							t.Errorf("publishing version %q panicked: %v", s.Version(), r)
						}
					}()
					m.snapshot(s)
				}()
				t.Fatalf("Load with VERSION %q: err %v, want ErrRead", v, err)
			}
		})
	}
}
