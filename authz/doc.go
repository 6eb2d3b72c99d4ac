// Package authz makes Tollgate's decision for one request.
//
// An Engine verifies the caller's SPIFFE identity (through an Identifier),
// finds the route in the app team's manifest (package manifest, which
// normalises the request path first), maps the request to a Cedar request
// and asks IAM's policies (through Policies). It allows only on an explicit, error-free
// permit: every missing input, error or ambiguity is a denial.
//
// # Delegation
//
// With Config.Delegation, a request may also carry a subject token: the
// party the workload acts for. The engine verifies it (SubjectVerifier),
// checks it was issued to the caller (subject.Bind), and adds the subject
// to the Cedar request as context.on_behalf_of, with the act chain as
// context.delegation and context.delegation_length. A present but refused
// token denies with a delegation_<reason> code; an absent one leaves
// those attributes out.
//
// With Delegation.Txn, the subject may instead come in an OAuth
// Transaction Token (Txn-Token header): verified by subject.TxnVerifier,
// bound by subject.BindTxn (req_wl must name the caller, unless the rule
// is trust_domain), the same subject entity, its requesting workloads as
// context.delegation, and, when configured, context.txn_id,
// context.txn_scope and context.tctx. Both headers at once deny.
//
// # Manifests
//
// The manifest language (decoding, validation, route templates, the
// router and path normalisation) is package manifest; the engine reads
// only its compiled form (manifest.Manifest.Lookup, manifest.Rule,
// manifest.MCPRule).
//
// # Cedar request
//
// The principal is Workload::"<spiffe id>" with attributes trust_domain,
// path and, for IDs of the exact form /ns/<namespace>/sa/<account>,
// namespace and service_account. The action is Action::"<name>" (or the
// full UID written in the manifest). The resource is the route's type with
// the id rendered from its captures. The context holds method, path
// (normalised), host (lower-case, no port), scheme, tls, time,
// source_address (an ipaddr, omitted when unknown), the configured
// Signals, and for JWT-SVID callers the configured claims as context.jwt.
//
// # MCP routes
//
// A route with an mcp block (instead of action and resource) is an MCP
// Streamable HTTP endpoint. Its body is parsed strictly by package mcp
// (duplicate keys, at any depth and after case folding, member names that
// only fold to a protocol member, control characters in keys, unsafe ids
// and bodies over a value budget are refused; see that package) and every
// JSON-RPC message is authorized on its own; a batch is allowed only when
// every element is, and a denial names the element ("batch element 2: ...").
//
//   - match: { method: POST, path: /mcp }
//     mcp:
//     server: github            # tool namespace
//     mode: per_tool            # or tool_resource
//     action_prefix: "github."  # per_tool; default "<server>."
//     action: CallTool          # tool_resource; default CallTool
//     tool_type: Tool           # Cedar type of tools; default Tool
//     tools: [search_issues]    # optional: tools declared for metric labels and the schema check
//     methods:
//     tools/list: { action: ListTools }
//     resources/read: { action: ReadResource, resource: { type: McpResource, id: "{uri}" } }
//     logging/setLevel: deny
//     responses: policy         # or deny; default policy (Action::"mcp:response")
//     max_body_bytes: 1048576   # default 1 MiB
//     max_values: 16384         # JSON values in the body; default 16384, at most 65536
//     max_argument_depth: 16    # nesting of params.arguments; default 16
//     argument_names: exact     # or fold; default exact
//
// A manifest declares, it never grants: every message that is not refused
// is decided by IAM's policy. tools/call of tool T is
// Action::"<action_prefix>T" (per_tool) or the one action (tool_resource),
// on resource Tool::"<server>/T" in both modes. A method listed with an
// action is authorized by policy on the resource given (default
// McpServer::"<server>"; id templates may use the route's captures and
// {server}, {method}, {uri}, {prompt}). A method of the MCP specification
// that methods does not list (initialize, ping, notifications/initialized,
// tools/list, ...) is Action::"mcp:<method>" on McpServer::"<server>", and
// a JSON-RPC response from the client is Action::"mcp:response" (unless
// responses: deny): IAM ships a baseline permit for the protocol methods
// its servers need. deny refuses a method (mcp_method_denied), as it does
// any method that is neither listed nor in the specification. An exact name
// beats the longest "prefix/*" pattern, which beats the protocol default.
// tools/call cannot be listed: it is always decided per tool by policy.
// "allow" is a manifest error.
//
// context.mcp holds server, method and arguments (params.arguments of
// tools/call and prompts/get as a typed record; empty otherwise), plus
// tool, uri and prompt when the message has them. Argument keys are as
// sent (argument_names: exact), or folded to lower case at every depth
// (argument_names: fold, see mcp.FoldName) for a tool server that binds
// arguments case-insensitively, such as mcp-go's typed handlers over
// encoding/json: then {"Repo": ...} is context.mcp.arguments.repo, as
// that server reads it.
//
// Bad bodies are BadRequest denials: a body marked partial by the proxy or
// whose length differs from Content-Length, or that the proxy did not send
// (nginx and Caddy never do), is mcp_truncated; one over max_body_bytes is
// mcp_too_large; a body mcp.Parse rejects is mcp_<reason> (mcp_invalid_json,
// mcp_duplicate_key, mcp_ambiguous_member, mcp_too_many_values,
// mcp_bad_version, mcp_missing_method, ...). Decision.MCP carries the
// request ids (also of a rejected body, when it was JSON) so the adapter
// answers with JSON-RPC errors; when the body holds only notifications and
// responses, nothing is answered but the HTTP or gRPC status
// (MCPInfo.NoAnswer). Tool names are client input: they appear in the decision
// log (mcp.tool) but the action metric label is the declared action, or
// "mcp_tool" for a per_tool call to a tool not listed in tools.
//
// # Queries (the AuthZEN door)
//
// Engine.Evaluate decides a Query: a question an enforcement point that is
// not a proxy asked about someone else (package authzen). There is no
// credential to verify and no path to route; the query names the Cedar
// request directly, and only requests of the shape the manifests produce
// are accepted (the same mapperContext and ContextShape the policy shape
// check uses):
//
//   - subject {type: "Workload", id: SPIFFE ID} is the principal, with the
//     attributes principalEntity derives; any other type is refused. The
//     ID must be of an accepted trust domain, by the rule the Envoy door
//     applies to a proxy's source principal (the Identifier's
//     VerifyAsserted, see Asserter): otherwise Unauthenticated, code
//     identity_untrusted_domain. When Query.Subjects is not empty (the
//     caller's authzen.allowed_callers[].subjects), the ID must match one
//     of its patterns: otherwise Forbidden, code subject_not_allowed.
//   - action.name is an action some route produces: a bare name is
//     Action::"<name>", a name with "::" is a Cedar entity UID; per_tool
//     MCP actions (<prefix><tool>) are accepted by prefix.
//   - resource {type, id} is an entity of a type some route produces as a
//     resource (Workload only if a route does); resource.properties are
//     refused: resource attributes are IAM's entity data.
//   - context and action.properties set context attributes of the derived
//     shape, converted to its Cedar types (String, Bool, Long, ipaddr,
//     the mcp record with open arguments); subject.properties may only
//     carry ip_address, as context.source_address. time is always
//     Tollgate's clock; jwt and the delegation attributes cannot be set.
//   - context.enforcement_point (String) is always the verified caller's
//     SPIFFE ID and cannot be set; a proxy's request never has it, so a
//     policy tells an asserted principal from a verified one with
//     "context has enforcement_point".
//
// A query that does not fit is a BadRequest denial with code bad_query and
// a reason naming the member. The decision line names the enforcement
// point (enforcement_point) and has identity_source "authzen", and the
// trace_id and parent_id of Query.TraceParent (a strict version 00
// traceparent); the metric's trust_domain label is the enforcement
// point's, never the asserted subject's. The tail's DecisionSummary
// carries EnforcementPoint.
//
// # Observability
//
// Every Check writes one INFO "decision" line to the configured logger and
// counts tollgate_decisions_total{decision, action, code, trust_domain}
// and tollgate_check_duration_seconds. Neither ever holds a header,
// credential, query string, body or claim value.
package authz
