package charttest

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/strategicpatch"
	"sigs.k8s.io/yaml"
)

// sidecarValues is the example's values in sidecar mode, for the
// examples/kubernetes Deployment "orders".
func sidecarValues(t *testing.T) map[string]any {
	vals := exampleValues(t)
	vals["mode"] = "sidecar"
	vals["sidecar"] = map[string]any{"deployment": "orders"}
	return vals
}

// TestChartSidecar: in sidecar mode the chart renders no Deployment,
// Service or PDB of its own, but the config and policies and, in a
// ConfigMap, a strategic-merge patch that adds a locked-down Tollgate
// container (Check on loopback only) and its volumes to the app's
// Deployment. The patch applies to examples/kubernetes's Deployment.
func TestChartSidecar(t *testing.T) {
	objs, err := render(t, sidecarValues(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs.deployments) != 0 || len(objs.services) != 0 || len(objs.pdbs) != 0 || len(objs.accounts) != 0 {
		t.Fatalf("sidecar mode rendered %d deployments, %d services, %d PDBs, %d accounts",
			len(objs.deployments), len(objs.services), len(objs.pdbs), len(objs.accounts))
	}
	patch := sidecarPatch(t, objs)
	if patch.Name != "orders" || patch.Namespace != "shop" {
		t.Errorf("patch targets %s/%s, want shop/orders", patch.Namespace, patch.Name)
	}
	pod := patch.Spec.Template.Spec
	if len(pod.Containers) != 1 || pod.Containers[0].Name != "tollgate" {
		t.Fatalf("patch containers %+v", pod.Containers)
	}
	c := pod.Containers[0]
	if c.Image != "ghcr.io/tollgate-authz/tollgate:v0.1.0" {
		t.Errorf("image %q", c.Image)
	}
	checkContainerLockedDown(t, c)
	for _, v := range pod.Volumes {
		if !strings.HasPrefix(v.Name, "tollgate-") {
			t.Errorf("volume %q would merge with an app volume of the same name", v.Name)
		}
	}
	cfg := loadRendered(t, objs)
	if cfg.Listen.GRPC != "127.0.0.1:9191" {
		t.Errorf("sidecar listen.grpc %q, want loopback", cfg.Listen.GRPC)
	}
	example := exampleTollgate(t)
	if example.Image != c.Image || !reflect.DeepEqual(example.SecurityContext, c.SecurityContext) ||
		!slices.Equal(example.Args, c.Args) {
		t.Errorf("examples/kubernetes's Tollgate container differs from the chart's sidecar:\n%+v\n%+v", example, c)
	}
	merged := applyToExample(t, patch)
	var names []string
	for _, c := range merged.Spec.Template.Spec.Containers {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"app", "envoy", "tollgate"}) {
		t.Errorf("patched Deployment's containers %q", names)
	}
}

// sidecarPatch is the patch.yaml of the rendered sidecar ConfigMap,
// strictly decoded as a Deployment.
func sidecarPatch(t *testing.T, objs objects) appsv1.Deployment {
	t.Helper()
	for _, cm := range objs.configMaps {
		if cm.Name != "authz-tollgate-sidecar" {
			continue
		}
		var d appsv1.Deployment
		if err := yaml.UnmarshalStrict([]byte(cm.Data["patch.yaml"]), &d); err != nil {
			t.Fatalf("patch.yaml: %v\n%s", err, cm.Data["patch.yaml"])
		}
		if d.APIVersion != "apps/v1" || d.Kind != "Deployment" {
			t.Fatalf("patch.yaml is a %s %s", d.APIVersion, d.Kind)
		}
		return d
	}
	t.Fatal("no authz-tollgate-sidecar ConfigMap")
	return appsv1.Deployment{}
}

// exampleTollgate is examples/kubernetes's hand-written Tollgate container.
func exampleTollgate(t *testing.T) corev1.Container {
	t.Helper()
	app := exampleDeployment(t)
	for _, c := range app.Spec.Template.Spec.Containers {
		if c.Name == "tollgate" {
			return c
		}
	}
	t.Fatal("examples/kubernetes/deployment.yaml has no tollgate container")
	return corev1.Container{}
}

// applyToExample applies the patch, as kubectl patch does, to
// examples/kubernetes's Deployment without its hand-written Tollgate.
func applyToExample(t *testing.T, patch appsv1.Deployment) appsv1.Deployment {
	t.Helper()
	app := exampleDeployment(t)
	spec := &app.Spec.Template.Spec
	spec.Containers = slices.DeleteFunc(spec.Containers, func(c corev1.Container) bool { return c.Name == "tollgate" })
	orig, _ := json.Marshal(app)
	p, _ := json.Marshal(patch)
	out, err := strategicpatch.StrategicMergePatch(orig, p, appsv1.Deployment{})
	if err != nil {
		t.Fatal(err)
	}
	var merged appsv1.Deployment
	if err := json.Unmarshal(out, &merged); err != nil {
		t.Fatal(err)
	}
	return merged
}

// exampleDeployment is examples/kubernetes's Deployment, strictly decoded.
func exampleDeployment(t *testing.T) appsv1.Deployment {
	t.Helper()
	raw, err := os.ReadFile("../../../examples/kubernetes/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var app appsv1.Deployment
	for _, doc := range strings.Split(string(raw), "\n---") {
		if strings.Contains(doc, "kind: Deployment") {
			if err := yaml.UnmarshalStrict([]byte(doc), &app); err != nil {
				t.Fatal(err)
			}
		}
	}
	return app
}

// TestChartSidecarRefuses: sidecar mode needs its target and keeps Check
// on loopback.
func TestChartSidecarRefuses(t *testing.T) {
	tests := []struct {
		name    string
		sidecar map[string]any
		mode    string
		want    string
	}{
		{"no target", map[string]any{}, "sidecar", "sidecar.deployment"},
		{"pod network", map[string]any{"deployment": "orders", "grpc": "0.0.0.0:9191"}, "sidecar", "loopback"},
		{"unknown mode", map[string]any{}, "daemonset", "want deployment or sidecar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := exampleValues(t)
			vals["mode"], vals["sidecar"] = tt.mode, tt.sidecar
			_, err := render(t, vals)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("render = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestKubernetesExampleImage: examples/kubernetes runs the image the chart
// (and test/image/build.sh, with VERSION=appVersion) names.
func TestKubernetesExampleImage(t *testing.T) {
	objs, err := render(t, exampleValues(t))
	if err != nil {
		t.Fatal(err)
	}
	want := objs.deployments[0].Spec.Template.Spec.Containers[0].Image
	raw, err := os.ReadFile("../../../examples/kubernetes/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "image: "+want+"\n") {
		t.Errorf("examples/kubernetes/deployment.yaml does not run %s", want)
	}
	kust, err := os.ReadFile("../../../examples/kubernetes/kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if tag := want[strings.LastIndex(want, ":")+1:]; !strings.Contains(string(kust), "newTag: "+tag+"\n") {
		t.Errorf("examples/kubernetes/kustomization.yaml does not pin tag %s", tag)
	}
}
