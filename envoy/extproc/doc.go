// Package extproc is Tollgate's Envoy external processor
// (envoy.service.ext_proc.v3.ExternalProcessor), the response half of MCP
// authorization: it filters tools/list results per caller with the same
// engine and policies that decide tools/call (authz.Engine.FilterTools),
// in application/json and text/event-stream responses, in Envoy's
// BUFFERED and STREAMED body modes. A response it cannot read is replaced
// by a JSON-RPC error; nothing it did not read reaches the client.
package extproc
