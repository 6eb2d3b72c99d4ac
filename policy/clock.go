package policy

import "time"

// At returns a copy of s that evaluates as if the time were always now:
// exactly the policies in force at now take part (governed exceptions
// apply until their expiry and not after). For offline tools that test a
// fixed instant (tollgate test's now:); s is unchanged.
func (s *Snapshot) At(now time.Time) *Snapshot {
	c := s.WithVersion(s.label)
	c.clock = func() time.Time { return now }
	c.active.Store(c.buildEvalSet(now))
	return c
}
