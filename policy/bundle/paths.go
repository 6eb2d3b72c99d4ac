package bundle

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode"
)

// manifestName is the root archive entry holding the Manifest.
const manifestName = ".manifest.json"

// rootFiles are the non-.cedar files a bundle may carry, at its root only.
var rootFiles = map[string]bool{
	"entities.json":           true,
	"schema.cedarschema":      true,
	"schema.cedarschema.json": true,
	"VERSION":                 true,
}

// allowedPath reports whether p (a clean, slash-separated relative path) is a
// file a bundle may carry: *.cedar at any depth, or one of rootFiles.
func allowedPath(p string) bool {
	if strings.HasSuffix(p, ".cedar") && len(path.Base(p)) > len(".cedar") {
		return true
	}
	return rootFiles[p]
}

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
