package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/tollgate-authz/tollgate/internal/suggest"
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

// section is one struct of the config: where it sits and the keys it takes.
type section struct {
	path string // "identity.bundles[]"; "" at the top level
	keys []string
}

// sections maps a struct type's name, as yaml.v3 spells it in "field X not
// found in type config.T", to its section. A type used in two places keeps
// the first path.
func sections() map[string]*section {
	out := map[string]*section{"config.Config": {}}
	top := out["config.Config"]
	walkKeys("", reflect.TypeFor[Config](), func(path string, t reflect.Type) {
		parent, name := "", path
		if i := strings.LastIndexByte(path, '.'); i >= 0 {
			parent, name = path[:i], path[i+1:]
		}
		if parent == "" {
			top.keys = append(top.keys, name)
		}
		st := elem(t)
		if st.Kind() != reflect.Struct || st == reflect.TypeFor[time.Time]() || out[st.String()] != nil {
			return
		}
		p := path
		if t.Kind() == reflect.Slice {
			p += "[]"
		}
		sec := &section{path: p}
		for _, f := range reflect.VisibleFields(st) {
			if n := yamlName(f); n != "" {
				sec.keys = append(sec.keys, n)
			}
		}
		out[st.String()] = sec
	})
	return out
}

// unknownKey is the message for key, unknown in the struct yaml.v3 names,
// with a did-you-mean hint from that struct's keys.
func unknownKey(key, typeName string) string {
	sec := sections()[typeName]
	if sec == nil {
		return fmt.Sprintf("unknown key %q", key)
	}
	where := "at the top level"
	if sec.path != "" {
		where = "in " + sec.path
	}
	return fmt.Sprintf("unknown key %q (%s)%s", key, where, suggest.Hint(key, sec.keys))
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
