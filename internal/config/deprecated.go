package config

// renameTrustedAddresses moves the deprecated identity.xfcc.trusted_addresses
// into trusted_proxies, with a warning; both at once is an error.
func (c *Config) renameTrustedAddresses(f *fileErrs, x *XFCC) {
	if x.DeprecatedTrustedAddresses == nil {
		return
	}
	if x.TrustedAddresses != nil {
		f.add("identity.xfcc.trusted_addresses", "is the deprecated name of identity.xfcc.trusted_proxies: set only trusted_proxies")
		return
	}
	c.Warnings = append(c.Warnings, f.at("identity.xfcc.trusted_addresses",
		"deprecated: rename it to identity.xfcc.trusted_proxies (the name http_authz uses); the old name will be removed"))
	x.TrustedAddresses = x.DeprecatedTrustedAddresses
}

// prefixesKey is the key the XFCC proxy addresses came from, for errors.
func (x *XFCC) prefixesKey() string {
	if x.DeprecatedTrustedAddresses != nil {
		return "identity.xfcc.trusted_addresses"
	}
	return "identity.xfcc.trusted_proxies"
}
