package config

import (
	"strings"

	"github.com/tollgate-authz/tollgate/policy/bundle/oci"
)

// validateBundleURL wants https://, or http:// only when opted into by
// name, or an oci:// registry reference (plain-http registries likewise
// only when opted into, which the fetcher enforces per request).
func validateBundleURL(f *fileErrs, prefix string, b *PolicyBundle) {
	switch {
	case strings.HasPrefix(b.URL, "https://"):
	case strings.HasPrefix(b.URL, "http://") && b.AllowInsecureHTTP:
	case strings.HasPrefix(b.URL, "http://"):
		f.add(prefix+".url", "must be https://: over plain http anyone on the path can withhold new bundles "+
			"(set %s.allow_insecure_http: true to accept that, for tests only)", prefix)
	case oci.IsReference(b.URL):
		if _, err := oci.ParseReference(b.URL, b.AllowInsecureHTTP); err != nil {
			f.add(prefix+".url", "%v", err)
		}
	default:
		f.add(prefix+".url", "must be an https:// URL or an oci://host[:port]/repository:tag reference")
	}
}
