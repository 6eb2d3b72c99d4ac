// Package ocsf writes Tollgate's decision log as OCSF events, for SIEMs:
// one JSON object per line, of the OCSF 1.5.0 class API Activity (class_uid
// 6003) with the Security Control and Trace profiles. Handler is a
// slog.Handler for the engine's decision logger (authz.Config.DecisionLog);
// it reads the attributes of a "decision" record (docs/decision-log.md) and
// maps them as docs/decision-log.md, section OCSF, describes. Every other
// attribute of the line is kept under unmapped.tollgate, so the OCSF event
// holds exactly what the JSON line holds and nothing more: the same
// redaction rules apply.
package ocsf
