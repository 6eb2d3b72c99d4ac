package charttest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/manifest"
	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/policy"
	corev1 "k8s.io/api/core/v1"
)

// TestChartRender renders the example's values and checks what a platform
// team relies on: the image, the locked-down pod, the probes, the SPIRE
// socket, and a config, manifest and policies Tollgate's loaders accept.
func TestChartRender(t *testing.T) {
	objs, err := render(t, exampleValues(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs.deployments) != 1 || len(objs.services) != 1 || len(objs.configMaps) != 2 ||
		len(objs.accounts) != 1 || len(objs.pdbs) != 1 || len(objs.serviceMonitor) != 0 {
		t.Fatalf("rendered %d deployments, %d services, %d config maps, %d accounts, %d PDBs, %d monitors",
			len(objs.deployments), len(objs.services), len(objs.configMaps), len(objs.accounts), len(objs.pdbs), len(objs.serviceMonitor))
	}
	pod := objs.deployments[0].Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Image != "ghcr.io/tollgate-authz/tollgate:v0.1.0" {
		t.Errorf("image %q, want the chart's appVersion tag", c.Image)
	}
	checkLockedDown(t, pod, c)
	if c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" {
		t.Errorf("probes %q, %q", c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path)
	}
	if v := volume(pod, "spiffe-workload-api"); v.CSI == nil || v.CSI.Driver != "csi.spiffe.io" {
		t.Errorf("spiffe-workload-api volume %+v, want the SPIFFE CSI driver", v)
	}
	want := []string{"/etc/tollgate", "/etc/tollgate-policies", "/spiffe-workload-api"}
	if got := mounts(c); !slices.Equal(got, want) {
		t.Errorf("mounts %q, want %q", got, want)
	}
	loadRendered(t, objs)
}

func checkLockedDown(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	checkContainerLockedDown(t, c)
	psc := pod.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot || psc.RunAsUser == nil || *psc.RunAsUser != 65532 {
		t.Errorf("pod securityContext %+v: want non-root 65532", psc)
	}
}

// checkContainerLockedDown: the container itself is locked down, so it
// stays so as a sidecar in a pod whose securityContext is the app's.
func checkContainerLockedDown(t *testing.T, c corev1.Container) {
	t.Helper()
	sc := c.SecurityContext
	if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem ||
		sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation ||
		sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) ||
		sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != 65532 {
		t.Errorf("container securityContext %+v: want non-root 65532, read-only root, no privilege escalation, all capabilities dropped", sc)
	}
}

func volume(pod corev1.PodSpec, name string) corev1.Volume {
	for _, v := range pod.Volumes {
		if v.Name == name {
			return v
		}
	}
	return corev1.Volume{}
}

// loadRendered writes the rendered ConfigMaps out as the kubelet mounts
// them and loads them with Tollgate's loaders.
func loadRendered(t *testing.T, objs objects) *config.Config {
	t.Helper()
	dir := t.TempDir()
	for _, cm := range objs.configMaps {
		sub := filepath.Join(dir, cm.Name)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, body := range cm.Data {
			if err := os.WriteFile(filepath.Join(sub, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg, err := config.Load(filepath.Join(dir, "authz-tollgate-config", "tollgate.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Policy.Dir != "/etc/tollgate-policies" || !cfg.Policy.RequireSchema {
		t.Errorf("policy dir %q, require_schema %v", cfg.Policy.Dir, cfg.Policy.RequireSchema)
	}
	if _, err := manifest.LoadAll(cfg.Manifests...); err != nil {
		t.Error(err)
	}
	if _, err := policy.LoadDir(filepath.Join(dir, "authz-tollgate-policies"), policy.Options{}); err != nil {
		t.Error(err)
	}
	return cfg
}

// TestChartBundle: a signed bundle instead of a ConfigMap, the agent's
// socket from the node, and a ServiceMonitor.
func TestChartBundle(t *testing.T) {
	vals := exampleValues(t)
	vals["policies"] = map[string]any{"source": "bundle", "publicKeysSecret": "iam-bundle-keys"}
	vals["spire"] = map[string]any{"mount": "hostPath"}
	vals["serviceMonitor"] = map[string]any{"enabled": true}
	vals["image"] = map[string]any{"digest": "sha256:" + strings.Repeat("ab", 32)}
	vals["config"].(map[string]any)["policy"] = map[string]any{"bundle": map[string]any{
		"url": "https://bundles.internal/iam.tar.gz", "public_keys": []any{"/etc/tollgate-keys/iam.pub"},
		"cache_dir": "/var/lib/tollgate"}}
	objs, err := render(t, vals)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs.configMaps) != 1 || len(objs.serviceMonitor) != 1 {
		t.Fatalf("%d config maps (want only the config), %d monitors", len(objs.configMaps), len(objs.serviceMonitor))
	}
	if ep := objs.serviceMonitor[0].Spec.Endpoints; len(ep) != 1 || ep[0].Port != "admin" || ep[0].Path != "/metrics" {
		t.Errorf("ServiceMonitor endpoints %+v", ep)
	}
	pod := objs.deployments[0].Spec.Template.Spec
	c := pod.Containers[0]
	if !strings.HasSuffix(c.Image, "@sha256:"+strings.Repeat("ab", 32)) {
		t.Errorf("image %q, want pinned by digest", c.Image)
	}
	if v := volume(pod, "spiffe-workload-api"); v.HostPath == nil || v.HostPath.Path != "/run/spire/agent-sockets" {
		t.Errorf("spiffe-workload-api volume %+v, want the agent's hostPath", v)
	}
	want := []string{"/etc/tollgate", "/etc/tollgate-keys", "/spiffe-workload-api", "/var/lib/tollgate"}
	if got := mounts(c); !slices.Equal(got, want) {
		t.Errorf("mounts %q, want %q", got, want)
	}
	checkLockedDown(t, pod, c)
}

// TestChartRefuses: values that would deploy something unsafe or broken
// fail the render with a reason.
func TestChartRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(map[string]any)
		want string
	}{
		{"latest", func(v map[string]any) { v["image"] = map[string]any{"tag": "latest"} }, "latest is refused"},
		{"no allowed ids", func(v map[string]any) { delete(v, "config") }, "allowed_ids"},
		{"spire mount", func(v map[string]any) { v["spire"] = map[string]any{"mount": "none"} }, "want csi or hostPath"},
		{"policy source", func(v map[string]any) { v["policies"] = map[string]any{"source": "git"} }, "want configMap or bundle"},
		{"bundle without url", func(v map[string]any) { v["policies"] = map[string]any{"source": "bundle"} }, "config.policy.bundle.url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := exampleValues(t)
			tt.edit(vals)
			_, err := render(t, vals)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("render = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
