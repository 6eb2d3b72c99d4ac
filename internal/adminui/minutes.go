package adminui

import (
	"cmp"
	"slices"
	"time"

	"github.com/tollgate-authz/tollgate/authz"
)

// Minutes is how many one-minute buckets of counts are kept.
const Minutes = 15

// maxKeys bounds the distinct keys (policies, actions, codes) one minute
// counts; later keys count as otherKey.
const maxKeys = 64

const (
	otherKey = "other"
	noneKey  = "none" // a denial no policy determined (no_permit, no_route, identity failures)
)

// minute counts the decisions of one clock minute.
type minute struct {
	start    int64 // Unix minute; 0 before first use
	allows   uint64
	denies   uint64
	byPolicy map[string]uint64
	byAction map[string]uint64
	byCode   map[string]uint64
}

// bucket returns now's bucket, recycling the one it replaces.
func (r *Ring) bucket(now time.Time) *minute {
	um := now.Unix() / 60
	m := &r.minutes[um%Minutes]
	if m.start != um {
		m.reset(um)
	}
	return m
}

func (m *minute) reset(um int64) {
	m.start, m.allows, m.denies = um, 0, 0
	for _, p := range []*map[string]uint64{&m.byPolicy, &m.byAction, &m.byCode} {
		if *p == nil {
			*p = map[string]uint64{}
		}
		clear(*p)
	}
}

func (m *minute) add(s *authz.DecisionSummary) {
	if s.Allowed {
		m.allows++
		return
	}
	m.denies++
	if len(s.Policies) == 0 {
		count(m.byPolicy, noneKey)
	}
	for _, p := range s.Policies {
		count(m.byPolicy, p)
	}
	count(m.byAction, s.ActionLabel)
	count(m.byCode, s.Code)
}

func count(m map[string]uint64, k string) {
	if k == "" {
		k = noneKey
	}
	if _, ok := m[k]; !ok && len(m) >= maxKeys {
		k = otherKey
	}
	m[k]++
}

// Count is one key's count.
type Count struct {
	Key   string `json:"key"`
	Count uint64 `json:"count"`
}

// MinuteCount is one minute's totals.
type MinuteCount struct {
	Start  time.Time `json:"start"`
	Allows uint64    `json:"allows"`
	Denies uint64    `json:"denies"`
}

// Denies sums the last Minutes minutes up to now.
type Denies struct {
	Minutes  int           `json:"minutes"`
	Total    uint64        `json:"total"`
	ByPolicy []Count       `json:"by_policy"`
	ByAction []Count       `json:"by_action"`
	ByCode   []Count       `json:"by_code"`
	PerMin   []MinuteCount `json:"per_minute"`
}

// Denies sums the buckets of the last Minutes minutes, oldest minute first.
func (r *Ring) Denies() Denies {
	um := r.clock().Unix() / 60
	pol, act, code := map[string]uint64{}, map[string]uint64{}, map[string]uint64{}
	out := Denies{Minutes: Minutes, PerMin: make([]MinuteCount, 0, Minutes)}
	r.mu.Lock()
	for start := um - Minutes + 1; start <= um; start++ {
		mc := MinuteCount{Start: time.Unix(start*60, 0).UTC()}
		if m := &r.minutes[start%Minutes]; m.start == start {
			mc.Allows, mc.Denies = m.allows, m.denies
			sum(pol, m.byPolicy)
			sum(act, m.byAction)
			sum(code, m.byCode)
		}
		out.Total += mc.Denies
		out.PerMin = append(out.PerMin, mc)
	}
	r.mu.Unlock()
	out.ByPolicy, out.ByAction, out.ByCode = sorted(pol), sorted(act), sorted(code)
	return out
}

func sum(into, from map[string]uint64) {
	for k, v := range from {
		into[k] += v
	}
}

// sorted lists counts, highest first, then by key.
func sorted(m map[string]uint64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}
