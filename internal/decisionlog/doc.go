// Package decisionlog reads Tollgate's decision log (docs/decision-log.md)
// for the offline tools, replay and report. The log is untrusted-ish
// input: a line is bounded in length, must be one JSON object, and every
// problem is reported with the file and line it came from.
package decisionlog
