package authz

// Headers the adapters (envoy, internal/forwardauth) set on the upstream
// request of an allow, overwriting any copy the client sent.
const (
	HeaderDecisionID = "x-tollgate-decision-id"
	HeaderSPIFFEID   = "x-spiffe-id"
)

// spoofsUpstreamHeader reports a request holding a header Tollgate sets
// upstream spelled with "_" for "-" (x_spiffe_id). No adapter overwrites
// that spelling, and CGI-style upstreams (Rack, PHP, WSGI) read it as the
// header: the client's value could stand for the verified identity.
func spoofsUpstreamHeader(headers map[string]string) bool {
	return underscoreSpelling(headers, HeaderSPIFFEID, HeaderDecisionID)
}
