package testca

import "github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"

// SPIFFEBundle is the CA's root and JWT keys as a SPIFFE bundle document,
// the format `spire-server bundle show -format spiffe` writes.
func (ca *CA) SPIFFEBundle() []byte {
	b := spiffebundle.New(ca.td)
	b.SetX509Authorities(ca.X509Bundle().X509Authorities())
	b.SetJWTAuthorities(ca.JWTBundle().JWTAuthorities())
	data, err := b.Marshal()
	if err != nil {
		panic("testca: marshal SPIFFE bundle: " + err.Error())
	}
	return data
}
