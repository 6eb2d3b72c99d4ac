package testutil

import (
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestMetricValue(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "x_total"}, []string{"a", "b"})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "y"})
	reg.MustRegister(c, g)
	c.WithLabelValues("1", "2").Add(3)
	c.WithLabelValues("1", "3").Add(5)
	g.Set(7)
	tests := []struct {
		name   string
		labels map[string]string
		want   float64
		found  bool
	}{
		{"x_total", map[string]string{"a": "1", "b": "3"}, 5, true},
		{"x_total", map[string]string{"a": "1"}, 3, true},
		{"x_total", nil, 3, true},
		{"x_total", map[string]string{"a": "1", "b": "4"}, 0, false},
		{"y", nil, 7, true},
		{"z", nil, 0, false},
	}
	for _, tt := range tests {
		v, ok := Lookup(t, reg, tt.name, tt.labels)
		if v != tt.want || ok != tt.found {
			t.Errorf("Lookup(%s, %v) = %v, %v; want %v, %v", tt.name, tt.labels, v, ok, tt.want, tt.found)
		}
	}
	if Value(t, reg, "z", nil) != 0 || MustValue(t, reg, "y", nil) != 7 {
		t.Error("Value or MustValue misread the registry")
	}
	if v := CounterValue(t, c.WithLabelValues("1", "2")); v != 3 {
		t.Errorf("CounterValue = %v, want 3", v)
	}
	text := "x_total{a=\"1\"} 4\ny 2.5\n"
	if TextValue(text, `x_total{a="1"}`) != 4 || TextValue(text, "y ") != 2.5 || TextValue(text, "z") != -1 {
		t.Error("TextValue misread the exposition")
	}
}

func TestPoll(t *testing.T) {
	n := 0
	Eventually(t, "three calls", func() bool { n++; return n == 3 })
	if n != 3 {
		t.Fatalf("cond called %d times, want 3", n)
	}
	ft := &fakeT{TB: t}
	func() {
		defer func() { recover() }()
		Poll(ft, "never", time.Hour, time.Millisecond, func() error { return errors.New("no") }, func() error { return errors.New("exited") })
	}()
	if !ft.failed {
		t.Fatal("Poll did not fail when stop reported an error")
	}
}

type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(string, ...any) {
	f.failed = true
	panic("fatal")
}

func TestSyncBuffer(t *testing.T) {
	var b SyncBuffer
	done := make(chan struct{})
	go func() { defer close(done); _, _ = b.Write([]byte("a=1 ")) }()
	_, _ = b.Write([]byte("a=1 "))
	<-done
	if b.Count("a=1") != 2 || b.String() != "a=1 a=1 " {
		t.Fatalf("buffer %q", b.String())
	}
}
