package authz

import (
	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
	"github.com/tollgate-authz/tollgate/policy"
)

// Code is a decision code: a closed set of bounded names. Each code has
// exactly one metric label (Code.String) and one Outcome (Code.Outcome),
// both derived from the code itself, so a decision can never carry a
// label nobody listed. The zero Code is CodeInternal.
type Code uint8

// The decision codes. Identity, subject-token and MCP body refusals have
// one code per reason of the package that refuses them
// (identity_<reason>, delegation_<reason>, mcp_<reason>).
const (
	CodeInternal          Code = iota // Tollgate could not decide: fails closed
	CodeBadRequest                    // no request, or a method, host or override the upstream could read otherwise
	CodeBadPath                       // a malformed request path
	CodeBadSignal                     // a request signal the mapper refused
	CodeNoRoute                       // no route takes the request
	CodeBadQuery                      // an AuthZEN evaluation that does not fit the manifests' request shape
	CodeSubjectNotAllowed             // an AuthZEN subject outside the enforcement point's subject patterns
	CodePermit                        // a policy permitted the request: the one allow
	CodeForbid                        // a forbid policy matched
	CodeNoPermit                      // no policy permitted the request
	CodeForbidError                   // a forbid policy erred: fails closed
	CodeNoSnapshot                    // no policy is loaded
	CodeStalePolicy                   // the policy source is stale
	CodeInvalidRequest                // policy could not evaluate the request
	CodeMCPTruncated                  // the body did not reach Tollgate whole
	CodeMCPEncoded                    // a Content-Encoding: the server reads other bytes
	CodeMCPTooLarge                   // over the route's max_body_bytes
	CodeMCPMethodDenied               // a method the route denies or does not know
	CodeMCPResponseDenied             // a JSON-RPC response on a route that denies them
	CodeMCPHTTPMethod                 // an HTTP method an MCP endpoint does not serve (HEAD)
	CodeMCPUnexpectedBody             // a body on the stream's GET or the close's DELETE
	CodeMCPHeaderMismatch             // Mcp-Method/Mcp-Name or Envoy's MCP metadata disagree with the body
	CodeMCPListing                    // a tools/list result filtered for a verified caller (ext_proc): an allow
	CodeMCPToolDrift                  // a tools/call to a tool whose definition no longer matches its pin
	CodeIdentityMissing
	CodeIdentityMalformed
	CodeIdentityUntrustedDomain
	CodeIdentityBadSignature
	CodeIdentityExpired
	CodeIdentityNotYetValid
	CodeIdentityWrongAudience
	CodeIdentityUnsupportedAlg
	CodeIdentityIncompleteChain
	CodeIdentityUntrustedHop
	CodeIdentityNotSVID
	CodeIdentityInternal
	CodeDelegationInvalid
	CodeDelegationExpired
	CodeDelegationNotYet
	CodeDelegationIssuer
	CodeDelegationAudience
	CodeDelegationUnbound
	CodeDelegationLifetime
	CodeMCPInvalidJSON
	CodeMCPDuplicateKey
	CodeMCPTooDeep
	CodeMCPBadVersion
	CodeMCPMissingMethod
	CodeMCPBadParams
	CodeMCPBadID
	CodeMCPEmptyBatch
	CodeMCPBatchTooLarge
	CodeMCPInvalidRequest
	CodeMCPAmbiguousMember
	CodeMCPTooManyValues
	CodeMCPCanceled
	codeEnd // not a code: one past the last
)

// String returns the code's name, which is also its metric label.
func (c Code) String() string {
	if c < codeEnd {
		return codeLabel(c)
	}
	return "internal"
}

// Outcome returns the outcome every decision with this code has.
func (c Code) Outcome() Outcome {
	switch {
	case c == CodePermit || c == CodeMCPListing:
		return Allow
	case c == CodeInternal || c == CodeNoSnapshot || c == CodeStalePolicy || c >= codeEnd:
		return Unavailable
	case c >= CodeIdentityMissing && c <= CodeIdentityInternal:
		return Unauthenticated
	case c == CodeDelegationUnbound:
		return Forbidden
	case c >= CodeDelegationInvalid && c <= CodeDelegationLifetime:
		return Unauthenticated
	case c == CodeBadRequest || c == CodeBadPath || c == CodeBadSignal || c == CodeInvalidRequest || c == CodeBadQuery,
		c == CodeMCPTruncated || c == CodeMCPEncoded || c == CodeMCPTooLarge,
		c == CodeMCPUnexpectedBody || c == CodeMCPHeaderMismatch,
		c >= CodeMCPInvalidJSON && c <= CodeMCPCanceled:
		return BadRequest
	}
	return Forbidden
}

// MarshalText writes the code's name (JSON, YAML, slog).
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// ParseCode returns the code named s, and whether there is one.
func ParseCode(s string) (Code, bool) {
	for c := Code(0); c < codeEnd; c++ {
		if codeLabel(c) == s {
			return c, true
		}
	}
	return CodeInternal, false
}

// policyCode is the code of a policy decision's reason.
func policyCode(r policy.Reason) Code {
	switch r {
	case policy.ReasonPermit:
		return CodePermit
	case policy.ReasonForbid:
		return CodeForbid
	case policy.ReasonNoPermit:
		return CodeNoPermit
	case policy.ReasonForbidError:
		return CodeForbidError
	case policy.ReasonNoSnapshot:
		return CodeNoSnapshot
	case policy.ReasonStale:
		return CodeStalePolicy
	case policy.ReasonInvalidRequest:
		return CodeInvalidRequest
	}
	return CodeInternal
}

// identityCode is identity_<r>; a reason identity may add later is
// identity_internal until it has a code of its own.
func identityCode(r identity.Reason) Code {
	for i, x := range identityReasons() {
		if x == r {
			return CodeIdentityMissing + Code(i)
		}
	}
	return CodeIdentityInternal
}

// delegationCode is delegation_<r>; a reason subject may add later is
// delegation_invalid (a refusal) until it has a code of its own.
func delegationCode(r subject.Reason) Code {
	for i, x := range delegationReasons() {
		if x == r {
			return CodeDelegationInvalid + Code(i)
		}
	}
	return CodeDelegationInvalid
}

// mcpBodyCode is mcp_<r> for a body mcp.Parse rejected; its too_large is
// the route's CodeMCPTooLarge.
func mcpBodyCode(r mcp.Reason) Code {
	if r == mcp.ReasonTooLarge {
		return CodeMCPTooLarge
	}
	for i, x := range mcpReasons() {
		if x == r {
			return CodeMCPInvalidJSON + Code(i)
		}
	}
	return CodeMCPInvalidRequest
}

// codeLabel is the one table of code names. TestEveryCodeHasALabel fails
// when a code is added without its name.
func codeLabel(c Code) string {
	switch c {
	case CodeInternal:
		return "internal"
	case CodeBadRequest:
		return "bad_request"
	case CodeBadPath:
		return "bad_path"
	case CodeBadSignal:
		return "bad_signal"
	case CodeNoRoute:
		return "no_route"
	case CodeBadQuery:
		return "bad_query"
	case CodeSubjectNotAllowed:
		return "subject_not_allowed"
	case CodePermit:
		return "permit"
	case CodeMCPListing:
		return "mcp_listing"
	case CodeMCPToolDrift:
		return "mcp_tool_drift"
	case CodeForbid:
		return "forbid"
	case CodeNoPermit:
		return "no_permit"
	case CodeForbidError:
		return "forbid_error"
	case CodeNoSnapshot:
		return "no_snapshot"
	case CodeStalePolicy:
		return "stale_policy"
	case CodeInvalidRequest:
		return "invalid_request"
	case CodeMCPTruncated:
		return "mcp_truncated"
	case CodeMCPEncoded:
		return "mcp_encoded"
	case CodeMCPTooLarge:
		return "mcp_too_large"
	case CodeMCPMethodDenied:
		return "mcp_method_denied"
	case CodeMCPResponseDenied:
		return "mcp_response_denied"
	case CodeMCPHTTPMethod:
		return "mcp_http_method"
	case CodeMCPUnexpectedBody:
		return "mcp_unexpected_body"
	case CodeMCPHeaderMismatch:
		return "mcp_header_mismatch"
	}
	return familyLabel(c)
}

// familyLabel names the codes of other packages' reasons, from those
// reasons, in the order of the constants.
func familyLabel(c Code) string {
	switch {
	case c >= CodeIdentityMissing && c <= CodeIdentityInternal:
		return "identity_" + string(identityReasons()[c-CodeIdentityMissing])
	case c >= CodeDelegationInvalid && c <= CodeDelegationLifetime:
		return "delegation_" + string(delegationReasons()[c-CodeDelegationInvalid])
	case c >= CodeMCPInvalidJSON && c <= CodeMCPCanceled:
		return "mcp_" + string(mcpReasons()[c-CodeMCPInvalidJSON])
	}
	return ""
}

func identityReasons() [CodeIdentityInternal - CodeIdentityMissing + 1]identity.Reason {
	return [...]identity.Reason{identity.ReasonMissing, identity.ReasonMalformed, identity.ReasonUntrustedDomain,
		identity.ReasonBadSignature, identity.ReasonExpired, identity.ReasonNotYetValid,
		identity.ReasonWrongAudience, identity.ReasonUnsupportedAlg, identity.ReasonIncompleteChain,
		identity.ReasonUntrustedHop, identity.ReasonNotSVID, identity.ReasonInternal}
}

func delegationReasons() [CodeDelegationLifetime - CodeDelegationInvalid + 1]subject.Reason {
	return [...]subject.Reason{subject.ReasonInvalid, subject.ReasonExpired, subject.ReasonNotYet,
		subject.ReasonIssuer, subject.ReasonAudience, subject.ReasonUnbound, subject.ReasonLifetime}
}

func mcpReasons() [CodeMCPCanceled - CodeMCPInvalidJSON + 1]mcp.Reason {
	return [...]mcp.Reason{mcp.ReasonInvalidJSON, mcp.ReasonDuplicateKey, mcp.ReasonTooDeep,
		mcp.ReasonBadVersion, mcp.ReasonMissingMethod, mcp.ReasonBadParams, mcp.ReasonBadID,
		mcp.ReasonEmptyBatch, mcp.ReasonBatchTooLarge, mcp.ReasonInvalidRequest, mcp.ReasonAmbiguousMember,
		mcp.ReasonTooManyValues, mcp.ReasonCanceled}
}
