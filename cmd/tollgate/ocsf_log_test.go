package main

import (
	"io"
	"log/slog"
	"reflect"
	"testing"

	"github.com/tollgate-authz/tollgate/authz/ocsf"
)

// TestReplayReportReadOCSF: replay and report read a log written with
// log.decision_format: ocsf (through the decision line each event carries
// in unmapped.tollgate) to the same result as the JSON log of the same
// Checks.
func TestReplayReportReadOCSF(t *testing.T) {
	jsonLog := generateLog(t, exampleDir, generatedChecks)
	ocsfLog := generateLogWith(t, exampleDir, generatedChecks,
		func(w io.Writer) slog.Handler { return ocsf.NewHandler(w, nil, ocsf.Product{}) })
	candidates := candidateDir(t, candidatePolicies)

	jcode, jres, jerr := replayJSON(t, "--policies", candidates, jsonLog)
	ocode, ores, oerr := replayJSON(t, "--policies", candidates, ocsfLog)
	if jcode != exitChanged || ocode != jcode {
		t.Fatalf("replay exit json %d (%s), ocsf %d (%s); want %d", jcode, jerr, ocode, oerr, exitChanged)
	}
	for _, res := range []*replayResult{&jres, &ores} {
		for i := range res.Changed {
			res.Changed[i].At, res.Changed[i].DecisionID = "", ""
		}
	}
	if !reflect.DeepEqual(jres, ores) {
		t.Fatalf("replay differs:\njson %+v\nocsf %+v", jres, ores)
	}

	args := []string{"--policies", candidates, "--since", "3660d", "--until", "2030-01-01T00:00:00Z"}
	jcode, jrep, jerr := reportJSON(t, append(args, jsonLog)...)
	ocode, orep, oerr := reportJSON(t, append(args, ocsfLog)...)
	if jcode != exitOK || ocode != exitOK || !reflect.DeepEqual(jrep, orep) {
		t.Fatalf("report differs: json %d %s %+v\nocsf %d %s %+v", jcode, jerr, jrep, ocode, oerr, orep)
	}
	if jrep.Decisions != len(generatedChecks) {
		t.Fatalf("report read %d decisions, want %d", jrep.Decisions, len(generatedChecks))
	}
}
