package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestKubernetesExampleImage: examples/kubernetes runs the image this
// builder names (its -name default), with a version tag, never latest,
// and kustomization.yaml pins the same tag.
func TestKubernetesExampleImage(t *testing.T) {
	var images []string
	for _, doc := range yamlDocs(t, "../../../examples/kubernetes/deployment.yaml") {
		walkImages(doc, &images)
	}
	var tag string
	for _, img := range images {
		if rest, ok := strings.CutPrefix(img, imageName+":"); ok {
			tag = rest
		}
	}
	if tag == "" || !validTag(tag) {
		t.Fatalf("deployment.yaml images %q: want %s:VERSION with a valid tag, not latest", images, imageName)
	}
	kust := yamlDocs(t, "../../../examples/kubernetes/kustomization.yaml")[0]
	var pinned []string
	for _, e := range asList(kust["images"]) {
		if m, _ := e.(map[string]any); m["name"] == imageName {
			pinned = append(pinned, asString(m["newTag"]))
		}
	}
	if len(pinned) != 1 || pinned[0] != tag {
		t.Fatalf("kustomization.yaml pins %s to %q, want exactly [%q]", imageName, pinned, tag)
	}
}

func yamlDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []map[string]any
	dec := yaml.NewDecoder(f)
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, doc)
	}
}

// walkImages collects every "image" value under v.
func walkImages(v any, images *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && k == "image" {
				*images = append(*images, s)
			}
			walkImages(e, images)
		}
	case []any:
		for _, e := range v {
			walkImages(e, images)
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}
