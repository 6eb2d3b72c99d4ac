package testca

import "time"

// TxnToken mints a Transaction Token (draft-ietf-oauth-transaction-tokens):
// typ txntoken+jwt, iss the issuer, iat now and exp a minute later, then
// claims over them (a nil value removes a claim). The draft has no
// maintained token service; this signer stands in for one in tests.
func (is *Issuer) TxnToken(claims map[string]any) string {
	now := time.Now()
	c := map[string]any{"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	for k, v := range claims {
		c[k] = v
	}
	return is.TokenWithType("txntoken+jwt", c)
}
