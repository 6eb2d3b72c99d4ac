package authz

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// recordKeys holds a query record's keys to what the Envoy door's MCP body
// parser accepts in an object: no control character, no "__proto__" (a
// JavaScript server copying the record reads its members as the object's
// own) and no two keys equal but for case (encoding/json binds the last
// of them to the one field, while policy read the other). A key refused
// here is refused at any depth of context, as in a body.
type recordKeys map[string]struct{}

func newRecordKeys(n int) recordKeys {
	if n < 2 {
		return nil
	}
	return make(recordKeys, n)
}

func (rk recordKeys) check(k string, at func() string) error {
	switch {
	case strings.ContainsFunc(k, unicode.IsControl):
		return fmt.Errorf("%s: a key with a control character is refused", at())
	case k == "__proto__":
		return fmt.Errorf("%s: a __proto__ key is refused: a JavaScript reader copying the record reads its members as the record's own", at())
	case rk == nil:
		return nil
	}
	f := mcp.FoldName(k)
	if _, dup := rk[f]; dup {
		return fmt.Errorf("%s: another key of this record differs from it only in letter case", at())
	}
	rk[f] = struct{}{}
	return nil
}
