package config

import "strings"

// validateBundleURL wants https://, or http:// only when opted into by name.
func validateBundleURL(f *fileErrs, prefix string, b *PolicyBundle) {
	switch {
	case strings.HasPrefix(b.URL, "https://"):
	case strings.HasPrefix(b.URL, "http://") && b.AllowInsecureHTTP:
	case strings.HasPrefix(b.URL, "http://"):
		f.add(prefix+".url", "must be https://: over plain http anyone on the path can withhold new bundles "+
			"(set %s.allow_insecure_http: true to accept that, for tests only)", prefix)
	default:
		f.add(prefix+".url", "must be an https:// URL")
	}
}
