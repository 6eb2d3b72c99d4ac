package authz

import (
	"github.com/tollgate-authz/tollgate/authz/mcp"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/identity/subject"
)

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
	case CodePermit:
		return "permit"
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
	case c >= CodeDelegationInvalid && c <= CodeDelegationUnbound:
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

func delegationReasons() [CodeDelegationUnbound - CodeDelegationInvalid + 1]subject.Reason {
	return [...]subject.Reason{subject.ReasonInvalid, subject.ReasonExpired, subject.ReasonNotYet,
		subject.ReasonIssuer, subject.ReasonAudience, subject.ReasonUnbound}
}

func mcpReasons() [CodeMCPCanceled - CodeMCPInvalidJSON + 1]mcp.Reason {
	return [...]mcp.Reason{mcp.ReasonInvalidJSON, mcp.ReasonDuplicateKey, mcp.ReasonTooDeep,
		mcp.ReasonBadVersion, mcp.ReasonMissingMethod, mcp.ReasonBadParams, mcp.ReasonBadID,
		mcp.ReasonEmptyBatch, mcp.ReasonBatchTooLarge, mcp.ReasonInvalidRequest, mcp.ReasonAmbiguousMember,
		mcp.ReasonTooManyValues, mcp.ReasonCanceled}
}
