// Package examples_test checks every Envoy config under examples/ against
// Envoy's own config protos, so the examples cannot drift from what Envoy
// accepts.
package examples_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bootstrapv3 "github.com/envoyproxy/go-control-plane/envoy/config/bootstrap/v3"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
	"gopkg.in/yaml.v3"

	// Register every typed_config type the examples use.
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/access_loggers/stream/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_authz/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/ext_proc/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/http/router/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/filters/network/http_connection_manager/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/transport_sockets/tls/v3"
	_ "github.com/envoyproxy/go-control-plane/envoy/extensions/upstreams/http/v3"
)

// envoyConfigs lists every Envoy bootstrap under examples/.
func envoyConfigs(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if !d.IsDir() && strings.HasPrefix(base, "envoy") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no Envoy configs found under examples/")
	}
	return files
}

func TestEnvoyConfigs(t *testing.T) {
	for _, path := range envoyConfigs(t) {
		t.Run(path, func(t *testing.T) {
			if err := validateBootstrap(path); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestValidatorRejects proves the validator can fail: each broken config
// must be refused.
func TestValidatorRejects(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("envoy", "envoy-uds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(string) string{
		"unknown field": func(s string) string {
			return strings.Replace(s, "failure_mode_allow: false", "failure_mode_alow: false", 1)
		},
		"unknown typed_config": func(s string) string { return strings.Replace(s, "ext_authz.v3.ExtAuthz", "ext_authz.v3.NoSuch", 1) },
		"bad nested field": func(s string) string {
			return strings.Replace(s, "transport_api_version: V3", "transport_api_version: V9", 1)
		},
		"invalid value (PGV)": func(s string) string { return strings.Replace(s, "stat_prefix: ingress", "stat_prefix: \"\"", 1) },
		"invalid in typed_config (PGV)": func(s string) string {
			return strings.Replace(s, "envoy_grpc: { cluster_name: tollgate }", "envoy_grpc: { cluster_name: \"\" }", 1)
		},
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "envoy.yaml")
			broken := edit(string(good))
			if broken == string(good) {
				t.Fatal("edit did not apply")
			}
			if err := os.WriteFile(p, []byte(broken), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := validateBootstrap(p); err == nil {
				t.Fatal("a broken config was accepted")
			}
		})
	}
}

// validateBootstrap does a strict protojson unmarshal into Bootstrap, runs
// ValidateAll, then unpacks and validates every Any (typed_config) found
// anywhere in the tree: ValidateAll does not look inside Any.
func validateBootstrap(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	js, err := yamlToJSON(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var bs bootstrapv3.Bootstrap
	if err := (protojson.UnmarshalOptions{}).Unmarshal(js, &bs); err != nil {
		return fmt.Errorf("%s: strict unmarshal: %w", path, err)
	}
	if err := bs.ValidateAll(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return walkAny(bs.ProtoReflect(), path)
}

func yamlToJSON(raw []byte) ([]byte, error) {
	var v any
	if err := yaml.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

type validator interface{ ValidateAll() error }

func walkAny(m protoreflect.Message, where string) error {
	var err error
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		err = walkField(fd, v, where+"."+string(fd.Name()))
		return err == nil
	})
	return err
}

func walkField(fd protoreflect.FieldDescriptor, v protoreflect.Value, where string) error {
	if fd.Kind() != protoreflect.MessageKind && fd.Kind() != protoreflect.GroupKind {
		return nil
	}
	switch {
	case fd.IsList():
		for i := 0; i < v.List().Len(); i++ {
			if err := walkMessage(v.List().Get(i).Message(), fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
	case fd.IsMap():
		var err error
		if fd.MapValue().Kind() == protoreflect.MessageKind {
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				err = walkMessage(mv.Message(), where+"["+k.String()+"]")
				return err == nil
			})
		}
		return err
	default:
		return walkMessage(v.Message(), where)
	}
	return nil
}

func walkMessage(m protoreflect.Message, where string) error {
	if a, ok := m.Interface().(*anypb.Any); ok {
		inner, err := a.UnmarshalNew()
		if err != nil {
			return fmt.Errorf("%s: typed_config %s: %w", where, a.GetTypeUrl(), err)
		}
		if v, ok := inner.(validator); ok {
			if err := v.ValidateAll(); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
		}
		return walkAny(inner.ProtoReflect(), where+"("+string(proto.MessageName(inner))+")")
	}
	return walkAny(m, where)
}
