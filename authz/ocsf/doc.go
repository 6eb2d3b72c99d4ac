// Package ocsf writes Tollgate's decision log as OCSF events, for SIEMs:
// one JSON object per line, of the OCSF 1.5.0 class API Activity (class_uid
// 6003) with the Security Control and Trace profiles. Handler is a
// slog.Handler for the engine's decision logger (authz.Config.DecisionLog);
// it maps the attributes of a "decision" record as docs/decision-log.md,
// section OCSF, describes, and keeps the JSON decision line itself,
// verbatim, under unmapped.tollgate. The event holds exactly what the JSON
// line holds: the same redaction rules apply.
package ocsf
