package server

import (
	"io"
	"log/slog"
	"runtime/debug"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/authz/ocsf"
)

// decisionHandler is the decision log's handler for log.decision_format:
// Tollgate's JSON line, or OCSF events.
func decisionHandler(format string, w io.Writer) slog.Handler {
	if format == "ocsf" {
		return ocsf.NewHandler(w, nil, ocsf.Product{Version: buildVersion()})
	}
	return authz.NewJSONLineHandler(w, nil)
}

// buildVersion is the module version the binary was built from.
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.Main.Version
	}
	return ""
}
