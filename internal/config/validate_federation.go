package config

// validateFederationAge wants max_bundle_age non-negative and, when set,
// longer than refresh_interval (else readiness would flap between fetches).
func validateFederationAge(f *fileErrs, p string, fed Federation) {
	switch {
	case fed.MaxBundleAge < 0:
		f.add(p+".max_bundle_age", "must not be negative")
	case fed.MaxBundleAge > 0 && fed.RefreshInterval >= fed.MaxBundleAge:
		f.add(p+".max_bundle_age", "must be longer than refresh_interval (%s)", fed.RefreshInterval)
	}
}
