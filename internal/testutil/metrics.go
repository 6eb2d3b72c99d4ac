package testutil

import (
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Sample is one series of a metric family: its labels and its value (a
// counter's or a gauge's).
type Sample struct {
	Labels map[string]string
	Value  float64
}

// Samples gathers g and returns every series of the family name, in the
// gatherer's order (none when the family is absent).
func Samples(t testing.TB, g prometheus.Gatherer, name string) []Sample {
	t.Helper()
	families, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var out []Sample
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			out = append(out, Sample{Labels: labels(m), Value: value(m)})
		}
	}
	return out
}

// Lookup returns the value of the first series of the family name that
// carries every label in labels (nil matches the first series); found is
// false when there is none.
func Lookup(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) (v float64, found bool) {
	t.Helper()
	for _, s := range Samples(t, g, name) {
		if hasLabels(s.Labels, labels) {
			return s.Value, true
		}
	}
	return 0, false
}

// Value is Lookup's value: 0 when no series matches.
func Value(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	v, _ := Lookup(t, g, name, labels)
	return v
}

// MustValue is Lookup that fails t when no series matches.
func MustValue(t testing.TB, g prometheus.Gatherer, name string, labels map[string]string) float64 {
	t.Helper()
	v, ok := Lookup(t, g, name, labels)
	if !ok {
		t.Fatalf("no series %s%v", name, labels)
	}
	return v
}

// CounterValue reads one counter directly.
func CounterValue(t testing.TB, c prometheus.Metric) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return value(&m)
}

// TextValue returns the value of the first line of a /metrics text
// exposition that starts with prefix (a series name with its labels), or
// -1 when there is none.
func TextValue(metrics, prefix string) float64 {
	for _, line := range strings.Split(metrics, "\n") {
		if strings.HasPrefix(line, prefix) {
			f, _ := strconv.ParseFloat(line[strings.LastIndex(line, " ")+1:], 64)
			return f
		}
	}
	return -1
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func value(m *dto.Metric) float64 {
	return m.GetCounter().GetValue() + m.GetGauge().GetValue()
}

func hasLabels(got, want map[string]string) bool {
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			return false
		}
	}
	return true
}
