package identity

import (
	"errors"
	"net/netip"
	"slices"
	"time"

	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/identity/xfcc"
)

// XFCCConfig says when x-forwarded-client-cert is trusted and how its
// element is chosen.
type XFCCConfig struct {
	// TrustedHops are the SPIFFE IDs of proxies whose XFCC is accepted; the
	// hop is Credentials.Hop, the verified mTLS identity of the caller.
	TrustedHops []spiffeid.ID
	// TrustedAddresses are source networks of proxies whose XFCC is
	// accepted (Credentials.HopAddress). Prefer TrustedHops: an address is
	// only as good as the network between the proxy and Tollgate.
	TrustedAddresses []netip.Prefix
	// Element is xfcc.IndexLast (also when empty) or xfcc.IndexFirst.
	Element string
	// AllowURIOnly accepts an element that carries a URI SAN but no Cert.
	// Nothing then proves the client held the SVID's key: the trusted hop
	// is believed on its word. Enable it only when that proxy verified the
	// client certificate against the same trust bundles.
	AllowURIOnly bool
}

func (x *XFCCConfig) validate() error {
	if x == nil {
		return nil
	}
	if len(x.TrustedHops) == 0 && len(x.TrustedAddresses) == 0 {
		return configErr("XFCC: name TrustedHops or TrustedAddresses: XFCC from anyone is never trusted")
	}
	for i, h := range x.TrustedHops {
		if h.IsZero() {
			return configErr("XFCC.TrustedHops[%d] is the zero SPIFFE ID", i)
		}
	}
	if _, _, err := xfcc.Select([]xfcc.Element{{}}, xfcc.Selection{Index: x.Element}); err != nil {
		return configErr("XFCC.Element: %v", err)
	}
	if x.Element == xfcc.IndexFirst && len(x.TrustedHops) == 0 {
		return configErr("XFCC.Element first needs TrustedHops: every element after the first must be added By a trusted proxy")
	}
	return nil
}

// selection is how the element is chosen. "first" reaches past the closest
// hop, so every element after it must have been added By a trusted proxy;
// otherwise a client could place any certificate (they are public) first.
func (x *XFCCConfig) selection() xfcc.Selection {
	sel := xfcc.Selection{Index: x.Element}
	if x.Element == xfcc.IndexFirst {
		for _, h := range x.TrustedHops {
			sel.TrustedBy = append(sel.TrustedBy, h.String())
		}
	}
	return sel
}

// trusts reports whether the hop that sent c may assert XFCC.
func (x *XFCCConfig) trusts(c Credentials) bool {
	if !c.Hop.IsZero() && slices.Contains(x.TrustedHops, c.Hop) {
		return true
	}
	if len(x.TrustedAddresses) == 0 || c.HopAddress == "" {
		return false
	}
	addr, ok := parseHopAddress(c.HopAddress)
	return ok && slices.ContainsFunc(x.TrustedAddresses, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// parseHopAddress accepts "ip", "ip:port" or "[ip]:port".
func parseHopAddress(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(s)
	return a.Unmap(), err == nil
}

// verifyXFCC verifies x-forwarded-client-cert. ok is false when the header
// is absent, disabled or from an untrusted hop: the header is then ignored
// (and counted), as if the client had never sent it. From a trusted hop,
// any problem is a denial, never a fallback to a weaker source.
func (v *Verifier) verifyXFCC(c Credentials) (id Identity, ok bool, err *Error) {
	if c.XFCC == "" {
		return Identity{}, false, nil
	}
	x := v.cfg.XFCC
	switch {
	case x == nil:
		v.m.xfccIgnored(xfccDisabled)
		return Identity{}, false, nil
	case !x.trusts(c):
		v.m.xfccIgnored(xfccUntrustedHop)
		return Identity{}, false, nil
	}
	id, err = v.verifyXFCCHeader(c.XFCC, x)
	return id, true, err
}

func (v *Verifier) verifyXFCCHeader(header string, x *XFCCConfig) (Identity, *Error) {
	return v.cached(v.xfcc, cacheXFCC, header, func(now time.Time) (Identity, time.Time, *Error) {
		el, err := selectXFCC(header, x)
		if err != nil {
			return Identity{}, time.Time{}, err
		}
		if el.Cert == "" && el.Chain == "" {
			id, err := v.xfccURIOnly(el, x)
			return id, time.Time{}, err // never cached: nothing was verified
		}
		id, err := v.xfccCertificate(el, now)
		return id, id.ExpiresAt, err
	})
}

// selectXFCC parses the header and picks the configured element.
func selectXFCC(header string, x *XFCCConfig) (xfcc.Element, *Error) {
	elems, err := xfcc.Parse(header)
	if err != nil {
		return xfcc.Element{}, fail(SourceXFCC, ReasonMalformed, ErrMalformed, err.Error())
	}
	el, _, err := xfcc.Select(elems, x.selection())
	switch {
	case errors.Is(err, xfcc.ErrUntrustedHop):
		return xfcc.Element{}, fail(SourceXFCC, ReasonUntrustedHop, err, "")
	case err != nil:
		return xfcc.Element{}, fail(SourceXFCC, ReasonMalformed, err, "")
	}
	return el, nil
}

// xfccCertificate verifies the element's Cert (and Chain) against the X.509
// bundles. A URI, when present, must name the certificate's SPIFFE ID.
func (v *Verifier) xfccCertificate(el xfcc.Element, now time.Time) (Identity, *Error) {
	if v.cfg.X509Bundles == nil {
		return Identity{}, fail(SourceXFCC, ReasonUntrustedDomain, ErrNoBundle, "XFCC carries a certificate but X509Bundles is not configured")
	}
	certs, err := el.Certificates()
	if err != nil {
		return Identity{}, fail(SourceXFCC, ReasonMalformed, ErrMalformed, err.Error())
	}
	if len(certs) > maxChainLen {
		return Identity{}, fail(SourceXFCC, ReasonMalformed, ErrMalformed, "XFCC chain too long")
	}
	id, _, e := v.verifyChain(certs, now)
	if e != nil {
		e.Source = SourceXFCC
		return Identity{}, e
	}
	if uri, err := el.SPIFFEID(); err == nil && uri != id.ID {
		return Identity{}, fail(SourceXFCC, ReasonMalformed, ErrMalformed, "XFCC URI does not match the SPIFFE ID of Cert")
	} else if err != nil && !errors.Is(err, xfcc.ErrNoSPIFFEID) {
		return Identity{}, fail(SourceXFCC, ReasonMalformed, ErrMalformed, err.Error())
	}
	id.Source = SourceXFCC
	return id, nil
}

// xfccURIOnly accepts the element's SPIFFE URI without a certificate, only
// under XFCCConfig.AllowURIOnly.
func (v *Verifier) xfccURIOnly(el xfcc.Element, x *XFCCConfig) (Identity, *Error) {
	if len(el.URI) == 0 {
		return Identity{}, fail(SourceXFCC, ReasonMissing, ErrNoIdentity, "XFCC element has neither Cert nor URI")
	}
	if !x.AllowURIOnly {
		return Identity{}, fail(SourceXFCC, ReasonMissing, ErrNoIdentity,
			"XFCC element has a URI but no Cert; URI-only elements need allow_uri_only")
	}
	id, err := el.SPIFFEID()
	if err != nil {
		return Identity{}, fail(SourceXFCC, ReasonNotSVID, ErrNotSVID, err.Error())
	}
	if !v.trustedDomain(id.TrustDomain()) {
		return Identity{}, fail(SourceXFCC, ReasonUntrustedDomain, ErrUntrustedDomain,
			"XFCC URI trust domain "+id.TrustDomain().Name()+" is not in TrustDomains")
	}
	return Identity{ID: id, Source: SourceXFCC}, nil
}
