package oci

import (
	"errors"
	"testing"
)

func TestParseReference(t *testing.T) {
	good := map[string]string{
		"oci://registry.example:5000/iam/policy:prod": "oci://registry.example:5000/iam/policy:prod",
		"oci://127.0.0.1:5000/iam:v1":                 "oci://127.0.0.1:5000/iam:v1",
		"oci://localhost/iam@sha256:" + hex64:         "oci://localhost/iam@sha256:" + hex64,
	}
	for in, want := range good {
		r, err := ParseReference(in, false)
		if err != nil || r.String() != want {
			t.Errorf("ParseReference(%q) = %q, %v; want %q", in, r.String(), err, want)
		}
	}
	for _, bad := range []string{
		"https://registry.example/iam:prod",  // not oci://
		"oci://iam/policy:prod",              // no registry host: would default to Docker Hub
		"oci://registry.example/iam/policy",  // no tag: would default to latest
		"oci://registry.example/IAM:prod",    // repositories are lower case
		"oci://registry.example/iam:bad tag", // not a tag
		"oci://",
	} {
		if _, err := ParseReference(bad, false); !errors.Is(err, ErrReference) {
			t.Errorf("ParseReference(%q) err = %v, want ErrReference", bad, err)
		}
	}
}

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
