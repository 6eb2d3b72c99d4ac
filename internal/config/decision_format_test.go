package config

import (
	"strings"
	"testing"
)

func TestDecisionFormat(t *testing.T) {
	cfg, err := Parse("/etc/tollgate/c.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Log.DecisionFormat != "json" {
		t.Fatalf("default decision_format = %q, want json", cfg.Log.DecisionFormat)
	}
	cfg, err = Parse("/etc/tollgate/c.yaml", []byte(good+"log:\n  decision_format: ocsf\n"))
	if err != nil || cfg.Log.DecisionFormat != "ocsf" {
		t.Fatalf("ocsf: %v %q", err, cfg.Log.DecisionFormat)
	}
	_, err = Parse("/etc/tollgate/c.yaml", []byte(good+"log:\n  decision_format: OCSF\n"))
	if err == nil {
		t.Fatal("decision_format OCSF accepted")
	}
	for _, want := range []string{"c.yaml:", "log.decision_format", `"OCSF"`, "json or ocsf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}
