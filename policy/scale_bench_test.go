package policy

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// BenchmarkScale evaluates the quickstart's allowed request against the
// policy directory in TOLLGATE_SCALE_DIR (written by test/bench/scalegen;
// test/bench/scale.sh sets it), through Snapshot.Evaluate and through
// cedar-go's plain Authorize over a PolicySet of the same files. It reports
// the load time and the live heap after load.
func BenchmarkScale(b *testing.B) {
	dir := os.Getenv("TOLLGATE_SCALE_DIR")
	if dir == "" {
		b.Skip("TOLLGATE_SCALE_DIR is not set (see test/bench/scale.sh)")
	}
	heap0, objects0 := liveHeap(), liveObjects()
	start := time.Now()
	s, err := LoadDir(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	heap, objects := liveHeap()-heap0, liveObjects()-objects0
	principal, resource, r := quickstartRequest()
	if d := s.Evaluate(r, principal, resource); !d.Allow {
		b.Fatalf("benchmark request denied: %+v", d)
	}
	b.Run("tollgate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			s.Evaluate(r, principal, resource)
		}
		b.ReportMetric(float64(load.Milliseconds()), "load-ms")
		b.ReportMetric(float64(heap)/(1<<20), "heap-MiB")
		b.ReportMetric(float64(objects), "heap-objects") // what each GC cycle marks
	})
	ps, ents := plainCedar(b, dir, principal)
	b.Run("cedar-authorize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cedar.Authorize(ps, ents, r)
		}
	})
	runtime.KeepAlive(s)
}

// liveObjects is the number of live heap objects, after a GC.
func liveObjects() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapObjects
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// quickstartRequest is the storefront reading Order 42, with the principal
// and resource entities the mapper builds.
func quickstartRequest() (principal, resource types.Entity, r cedar.Request) {
	frontend := uid("Workload", "spiffe://example.org/ns/shop/sa/frontend")
	principal = types.Entity{UID: frontend, Attributes: types.NewRecord(types.RecordMap{
		"trust_domain": types.String("example.org"), "path": types.String("/ns/shop/sa/frontend"),
		"namespace": types.String("shop"), "service_account": types.String("frontend"),
	})}
	resource = types.Entity{UID: uid("Order", "42")}
	r = req(frontend, uid("Action", "ReadOrder"), resource.UID, types.RecordMap{
		"method": types.String("GET"), "path": types.String("/orders/42"), "tls": types.True,
	})
	return principal, resource, r
}

// plainCedar is the same directory as cedar-go alone reads it: one
// PolicySet, the raw entity hierarchy, the principal's attributes merged in.
func plainCedar(b *testing.B, dir string, principal types.Entity) (*cedar.PolicySet, types.EntityMap) {
	ps := cedar.NewPolicySet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.cedar"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		list, err := cedar.NewPolicyListFromBytes(f, data)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range list {
			ps.Add(cedar.PolicyID(p.Annotations()["id"]), p)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "entities.json"))
	if err != nil {
		b.Fatal(err)
	}
	var ents types.EntityMap
	if err := ents.UnmarshalJSON(data); err != nil {
		b.Fatal(err)
	}
	known := ents[principal.UID]
	principal.Parents = known.Parents
	ents[principal.UID] = principal
	return ps, ents
}
