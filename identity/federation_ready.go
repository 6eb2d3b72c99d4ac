package identity

import (
	"errors"
	"fmt"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

// LastUpdate is when td's bundle was last fetched successfully (changed or
// not); zero if never or td is not federated.
func (f *Federation) LastUpdate(td spiffeid.TrustDomain) time.Time {
	if st := f.state[td]; st != nil {
		if n := st.last.Load(); n != 0 {
			return time.Unix(0, n)
		}
	}
	return time.Time{}
}

// age is the time since td's last successful fetch, or since start.
func (f *Federation) age(td spiffeid.TrustDomain) time.Duration {
	last := f.LastUpdate(td)
	if last.IsZero() {
		last = f.started
	}
	return f.cfg.Clock().Sub(last)
}

// Ready fails (wrapping ErrNotReady) for every endpoint with a MaxBundleAge
// whose bundle was never fetched or not fetched successfully for longer.
func (f *Federation) Ready() error {
	var errs []error
	for _, ep := range f.cfg.Endpoints {
		max := ep.MaxBundleAge
		if max <= 0 {
			continue
		}
		td := ep.TrustDomain.Name()
		if f.LastUpdate(ep.TrustDomain).IsZero() {
			errs = append(errs, fmt.Errorf("identity: %w: no federated bundle for %s fetched yet", ErrNotReady, td))
		} else if age := f.age(ep.TrustDomain); age > max {
			errs = append(errs, fmt.Errorf("identity: %w: the federated bundle for %s was not fetched for %s (max_bundle_age %s)",
				ErrNotReady, td, age.Truncate(time.Second), max))
		}
	}
	return errors.Join(errs...)
}
