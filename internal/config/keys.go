package config

import (
	"reflect"
	"strings"
	"time"
)

// Keys lists every configuration key, walked by reflection over the yaml
// tags: "listen.limits.max_recv_bytes", "signals[].name". docs/config.md
// documents each one (a test keeps the two in step).
func Keys() []string {
	var keys []string
	walkKeys("", reflect.TypeFor[Config](), func(path string, _ reflect.Type) {
		keys = append(keys, path)
	})
	return keys
}

// keysOf maps a struct type's name, as yaml.v3 spells it in "field X not
// found in type config.T", to the keys that struct accepts.
func keysOf() map[string][]string {
	out := map[string][]string{}
	var visit func(reflect.Type)
	visit = func(t reflect.Type) {
		t = elem(t)
		if t.Kind() != reflect.Struct || out[t.String()] != nil {
			return
		}
		out[t.String()] = []string{}
		for _, f := range reflect.VisibleFields(t) {
			if name := yamlName(f); name != "" {
				out[t.String()] = append(out[t.String()], name)
				visit(f.Type)
			}
		}
	}
	visit(reflect.TypeFor[Config]())
	return out
}

// walkKeys calls visit for each key under t, depth first, in field order.
func walkKeys(prefix string, t reflect.Type, visit func(string, reflect.Type)) {
	for _, f := range reflect.VisibleFields(elem(t)) {
		name := yamlName(f)
		if name == "" {
			continue
		}
		path := prefix + name
		visit(path, f.Type)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			path += "[]"
		}
		if st := elem(ft); st.Kind() == reflect.Struct && st != reflect.TypeFor[time.Time]() {
			walkKeys(path+".", st, visit)
		}
	}
}

// elem strips pointers and slices.
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// yamlName is the key of f, or "" when f is not read from the file.
func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if name == "-" || name == "" || !f.IsExported() {
		return ""
	}
	return name
}

