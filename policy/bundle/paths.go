package bundle

import (
	"fmt"
	"io/fs"
	"strings"
	"unicode"

	"github.com/tollgate-authz/tollgate/policy"
)

// manifestName is the root archive entry holding the Manifest.
const manifestName = ".manifest.json"

// allowedPath reports whether p (a clean, slash-separated relative path) is a
// file a bundle may carry: exactly the files policy.Load reads, so a bundle
// can never leave out, or smuggle in, a file the loader would see.
func allowedPath(p string) bool { return policy.IsSourceFile(p) }

// checkPath rejects anything but a clean, relative, slash-separated path of
// printable characters without hidden elements.
func checkPath(p string) error {
	if !fs.ValidPath(p) || p == "." {
		return fmt.Errorf("%w: %q", ErrUnsafePath, p)
	}
	for _, r := range p {
		if r == '\\' || r == ':' || !unicode.IsPrint(r) {
			return fmt.Errorf("%w: %q has a forbidden character", ErrUnsafePath, p)
		}
	}
	for _, elem := range strings.Split(p, "/") {
		if strings.HasPrefix(elem, ".") && p != manifestName {
			return fmt.Errorf("%w: %q has a hidden element", ErrUnsafePath, p)
		}
	}
	return nil
}
