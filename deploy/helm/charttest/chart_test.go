// Package charttest renders deploy/helm/tollgate with Helm's own engine and
// strictly unmarshals every object into its k8s.io/api type. It is a
// separate module so that Helm never reaches Tollgate's go.mod.
package charttest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/lint"
	"helm.sh/helm/v3/pkg/lint/support"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

const chartDir = "../tollgate"

// objects is one render, strictly decoded, by kind.
type objects struct {
	deployments    []appsv1.Deployment
	services       []corev1.Service
	configMaps     []corev1.ConfigMap
	accounts       []corev1.ServiceAccount
	pdbs           []policyv1.PodDisruptionBudget
	serviceMonitor []serviceMonitor
}

// serviceMonitor is the part of prometheus-operator's monitoring.coreos.com/v1
// ServiceMonitor the chart writes; strict decoding refuses anything else.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path"`
			Interval string `json:"interval"`
		} `json:"endpoints"`
	} `json:"spec"`
}

func render(t *testing.T, vals map[string]any) (objects, error) {
	t.Helper()
	chrt, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	rv, err := chartutil.ToRenderValues(chrt, vals,
		chartutil.ReleaseOptions{Name: "authz", Namespace: "shop", IsInstall: true}, chartutil.DefaultCapabilities)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Render(chrt, rv)
	if err != nil {
		return objects{}, err
	}
	var objs objects
	for name, text := range out {
		if !strings.HasSuffix(name, ".yaml") {
			continue
		}
		for _, doc := range strings.Split(text, "\n---") {
			decode(t, name, doc, &objs)
		}
	}
	return objs, nil
}

func decode(t *testing.T, name, doc string, objs *objects) {
	t.Helper()
	if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(doc), "---")) == "" {
		return
	}
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal([]byte(doc), &tm); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, doc)
	}
	var err error
	switch tm.APIVersion + " " + tm.Kind {
	case "apps/v1 Deployment":
		err = strictAppend(doc, &objs.deployments)
	case "v1 Service":
		err = strictAppend(doc, &objs.services)
	case "v1 ConfigMap":
		err = strictAppend(doc, &objs.configMaps)
	case "v1 ServiceAccount":
		err = strictAppend(doc, &objs.accounts)
	case "policy/v1 PodDisruptionBudget":
		err = strictAppend(doc, &objs.pdbs)
	case "monitoring.coreos.com/v1 ServiceMonitor":
		err = strictAppend(doc, &objs.serviceMonitor)
	default:
		t.Fatalf("%s: unexpected object %s %s", name, tm.APIVersion, tm.Kind)
	}
	if err != nil {
		t.Fatalf("%s: strict decode %s: %v\n%s", name, tm.Kind, err, doc)
	}
}

func strictAppend[T any](doc string, list *[]T) error {
	var v T
	if err := yaml.UnmarshalStrict([]byte(doc), &v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// exampleValues deploys the Kubernetes example's manifest and policies.
func exampleValues(t *testing.T) map[string]any {
	t.Helper()
	read := func(path string) string {
		data, err := os.ReadFile(filepath.Join("../../../examples/kubernetes", path))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	files := map[string]any{}
	for _, f := range []string{"orders.cedar", "entities.json", "schema.cedarschema"} {
		files[f] = read("policies/" + f)
	}
	return map[string]any{
		"config": map[string]any{"listen": map[string]any{"mtls": map[string]any{
			"allowed_ids": []any{"spiffe://example.org/ns/shop/sa/orders"}}}},
		"manifests": map[string]any{"manifest.yaml": read("manifest.yaml")},
		"policies":  map[string]any{"files": files},
	}
}

// TestChartLint is `helm lint` with the example's values, in both modes.
func TestChartLint(t *testing.T) {
	for mode, vals := range map[string]map[string]any{"deployment": exampleValues(t), "sidecar": sidecarValues(t)} {
		l := lint.All(chartDir, vals, "shop", false)
		for _, m := range l.Messages {
			if m.Severity >= support.WarningSev {
				t.Errorf("helm lint (%s): %v", mode, m)
			}
		}
	}
}

func mounts(c corev1.Container) []string {
	var ms []string
	for _, m := range c.VolumeMounts {
		ms = append(ms, m.MountPath)
	}
	slices.Sort(ms)
	return ms
}
