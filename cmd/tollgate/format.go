package main

import (
	"strings"

	structpb "google.golang.org/protobuf/types/known/structpb"
)

// listString prints dynamic-metadata list values as [a,b].
func listString(vs []*structpb.Value) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.GetStringValue()
	}
	return "[" + strings.Join(out, ",") + "]"
}
