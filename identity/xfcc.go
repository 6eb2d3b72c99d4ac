package identity

// verifyXFCC is the HOOK for x-forwarded-client-cert support.
//
// XFCC HOOK (not integrated yet): XFCC may only be trusted when Credentials.Hop
// is a configured trusted proxy; the identity/xfcc parser will select the
// element, and its Cert/Chain will be checked with VerifyX509Chain. Until then
// the header is ignored (ok=false, err=nil), so it can never grant an
// identity.
func (v *Verifier) verifyXFCC(c Credentials) (id Identity, ok bool, err *Error) {
	_ = c.XFCC
	return Identity{}, false, nil
}
