package policy

import (
	"errors"
	"testing"
)

// An @id becomes a metric label, a log field and the name a reviewer and
// `tollgate explain` use for a policy: one that hides characters, or two
// that read as one, are refused at load.
func TestLoadRefusesAmbiguousIDs(t *testing.T) {
	const body = "permit(principal,action,resource);\n"
	for name, tc := range map[string]struct {
		src  string
		want error
	}{
		"newline":          {`@id("a\nb")` + "\n" + body, ErrInvalidID},
		"NUL":              {`@id("a\0b")` + "\n" + body, ErrInvalidID},
		"escape":           {`@id("a\u{1b}[2Jb")` + "\n" + body, ErrInvalidID},
		"zero-width space": {`@id("adm` + "\u200b" + `in")` + "\n" + body, ErrInvalidID},
		"bidi override":    {`@id("a\u{202e}b")` + "\n" + body, ErrInvalidID}, // as an escape: raw, the text check refuses it
		"trailing space":   {`@id("admin ")` + "\n" + body, ErrInvalidID},
		"leading space":    {`@id(" admin")` + "\n" + body, ErrInvalidID},
		"blank":            {`@id(" ")` + "\n" + body, ErrInvalidID},
		"case variant":     {`@id("Admin")` + "\n" + body + `@id("admin")` + "\nforbid(principal,action,resource);\n", ErrDuplicateID},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Load(mapFS(map[string]string{"a.cedar": tc.src}), Options{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Load: err %v, want %v", err, tc.want)
			}
		})
	}
}

// The case check does not depend on how policies are split across files.
func TestLoadRefusesCaseVariantIDsAcrossFiles(t *testing.T) {
	_, err := Load(mapFS(map[string]string{
		"a.cedar": "@id(\"Deny-Contractors\")\nforbid(principal,action,resource);\n",
		"b.cedar": "@id(\"deny-contractors\")\npermit(principal,action,resource);\n",
	}), Options{})
	if !errors.Is(err, ErrDuplicateID) {
		t.Fatalf("Load: err %v, want ErrDuplicateID", err)
	}
}

// Ordinary ids, including non-ASCII letters, still load.
func TestLoadAcceptsPlainIDs(t *testing.T) {
	src := "@id(\"allow-orders.read\")\npermit(principal,action,resource);\n@id(\"zugriff-für-prüfer\")\npermit(principal,action,resource);\n"
	if _, err := Load(mapFS(map[string]string{"a.cedar": src}), Options{}); err != nil {
		t.Fatal(err)
	}
}
