package adminui

import "time"

// StatusSource reports what the page shows besides decisions. The server
// implements it from the policy store and the trust bundle sources.
type StatusSource interface {
	Status() Status
}

// Status is the state of a running Tollgate, as the page shows it.
type Status struct {
	Policy     Policy
	Shadow     *Policy // policy.shadow, or nil
	Exceptions []Exception
	Bundles    []Bundle
}

// Policy is a loaded policy version.
type Policy struct {
	Loaded   bool
	Version  string
	Hash     string
	Source   string // the directory, or the bundle URL without userinfo or query
	LoadedAt time.Time
	Policies int
}

// Exception is a governed exception in force.
type Exception struct {
	Policy     string
	Ticket     string
	ApprovedBy string
	Expires    time.Time
}

// Bundle is one trust domain's X.509 trust bundle.
type Bundle struct {
	TrustDomain string
	Source      string    // files, workload_api or federation
	UpdatedAt   time.Time // last successful read or fetch; zero when unknown
	Present     bool
	Authorities int
}

// statusView is the JSON of /ui/api/status: times as RFC 3339 and ages
// and time to expiry in whole seconds, computed at now.
type statusView struct {
	Now        time.Time       `json:"now"`
	Policy     policyView      `json:"policy"`
	Shadow     *policyView     `json:"shadow,omitempty"`
	Exceptions []exceptionView `json:"exceptions"`
	Bundles    []bundleView    `json:"bundles"`
}

type policyView struct {
	Loaded     bool       `json:"loaded"`
	Version    string     `json:"version"`
	Hash       string     `json:"hash"`
	Source     string     `json:"source"`
	LoadedAt   *time.Time `json:"loaded_at"`
	AgeSeconds int64      `json:"age_seconds"`
	Policies   int        `json:"policies"`
}

type exceptionView struct {
	Policy           string    `json:"policy"`
	Ticket           string    `json:"ticket"`
	ApprovedBy       string    `json:"approved_by"`
	Expires          time.Time `json:"expires"`
	ExpiresInSeconds int64     `json:"expires_in_seconds"`
}

type bundleView struct {
	TrustDomain string     `json:"trust_domain"`
	Source      string     `json:"source"`
	Present     bool       `json:"present"`
	Authorities int        `json:"authorities"`
	UpdatedAt   *time.Time `json:"updated_at"`
	AgeSeconds  *int64     `json:"age_seconds"`
}

func viewStatus(s Status, now time.Time) statusView {
	v := statusView{Now: now.UTC(), Policy: viewPolicy(s.Policy, now),
		Exceptions: make([]exceptionView, 0, len(s.Exceptions)), Bundles: make([]bundleView, 0, len(s.Bundles))}
	if s.Shadow != nil {
		sv := viewPolicy(*s.Shadow, now)
		v.Shadow = &sv
	}
	for _, x := range s.Exceptions {
		v.Exceptions = append(v.Exceptions, exceptionView{Policy: x.Policy, Ticket: x.Ticket, ApprovedBy: x.ApprovedBy,
			Expires: x.Expires.UTC(), ExpiresInSeconds: seconds(x.Expires.Sub(now))})
	}
	for _, b := range s.Bundles {
		bv := bundleView{TrustDomain: b.TrustDomain, Source: b.Source, Present: b.Present, Authorities: b.Authorities}
		if !b.UpdatedAt.IsZero() {
			t, age := b.UpdatedAt.UTC(), seconds(now.Sub(b.UpdatedAt))
			bv.UpdatedAt, bv.AgeSeconds = &t, &age
		}
		v.Bundles = append(v.Bundles, bv)
	}
	return v
}

func viewPolicy(p Policy, now time.Time) policyView {
	v := policyView{Loaded: p.Loaded, Version: p.Version, Hash: p.Hash, Source: p.Source, Policies: p.Policies}
	if !p.LoadedAt.IsZero() {
		t := p.LoadedAt.UTC()
		v.LoadedAt, v.AgeSeconds = &t, seconds(now.Sub(p.LoadedAt))
	}
	return v
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }
