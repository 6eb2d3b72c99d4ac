package authz

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/manifest"
)

// Signal copies one runtime value from the request into the Cedar
// context as context.<Name>. A missing value is omitted (policies test it
// with `has`); a value that does not parse as Type is a bad request, never
// an allow.
//
// Header signals are only as trustworthy as the proxy that sets them: the
// proxy must strip the header from client requests.
type Signal struct {
	Name string // context key, e.g. risk_score
	From string // "context_extension", "metadata" or "header"
	Key  string // extension key, "filter.key" metadata key, or header name
	Type string // "string", "long" or "bool"
	// Secret: offline tools print the value as [redacted] and the
	// decision log leaves it out of its context.
	Secret bool
}

// Signal sources and types.
const (
	FromContextExtension = "context_extension"
	FromMetadata         = "metadata"
	FromHeader           = "header"

	TypeString = "string"
	TypeLong   = "long"
	TypeBool   = "bool"
)

// errBadSignal is returned when a present signal does not parse.
var errBadSignal = errors.New("bad signal")

// reservedContextKeys are set by the mapper and cannot be signal names.
func isReservedContextKey(k string) bool {
	switch k {
	case "method", "path", "host", "scheme", "source_address", "time", "tls", "jwt", "enforcement_point",
		"on_behalf_of", "delegation", "delegation_length", "subject", // delegation.go
		"txn_id", "txn_scope", "tctx", // delegation_txn.go
		"mcp": // mcp_route_check.go; the decision log writes it whatever a signal says
		return true
	}
	return false
}

func validateSignals(sigs []Signal) ([]Signal, error) {
	out := make([]Signal, len(sigs))
	seen := map[string]bool{}
	for i, s := range sigs {
		switch {
		case !manifest.IsIdent(s.Name):
			return nil, fmt.Errorf("signals[%d]: name %q must be letters, digits and _", i, s.Name)
		case isReservedContextKey(s.Name) || seen[s.Name]:
			return nil, fmt.Errorf("signals[%d]: name %q is reserved or used twice", i, s.Name)
		case s.From != FromContextExtension && s.From != FromMetadata && s.From != FromHeader:
			return nil, fmt.Errorf("signals[%d] %s: from %q must be context_extension, metadata or header", i, s.Name, s.From)
		case s.Type != TypeString && s.Type != TypeLong && s.Type != TypeBool:
			return nil, fmt.Errorf("signals[%d] %s: type %q must be string, long or bool", i, s.Name, s.Type)
		case s.Key == "":
			return nil, fmt.Errorf("signals[%d] %s: key must not be empty", i, s.Name)
		}
		seen[s.Name] = true
		if why := SignalHeaderProblem(s.Key); s.From == FromHeader && why != "" {
			return nil, fmt.Errorf("signals[%d] %s: key %q %s", i, s.Name, s.Key, why)
		}
		if s.From == FromHeader {
			s.Key = strings.ToLower(s.Key)
		}
		out[i] = s
	}
	return out, nil
}

// SignalHeaderProblem says why key cannot be a header signal's header, or
// "". A name no request carries leaves the signal always absent (a
// guarded forbid never fires); the headers Tollgate sets upstream, in any
// spelling, would be the client's copy here and Tollgate's upstream; and
// authorization is the caller's bearer credential.
func SignalHeaderProblem(key string) string {
	k := strings.ToLower(key)
	switch {
	case !isHeaderName(k):
		return "is not a header name (RFC 9110 token)"
	case k == "authorization" || namesHeader(k, HeaderSPIFFEID) || namesHeader(k, HeaderDecisionID):
		return "is a credential or a header Tollgate sets upstream: policies read the verified principal, not the client's copy"
	}
	return ""
}

// namesHeader reports whether k is h, or h spelled with "_" for "-".
func namesHeader(k, h string) bool { return k == h || foldsTo(k, h) }

func isHeaderName(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return k != ""
}

// addSignals adds the present signals to ctx. The error names the signal,
// never its value.
func addSignals(ctx types.RecordMap, sigs []Signal, r *Request) error {
	for i := range sigs {
		s := &sigs[i]
		raw, ok := signalValue(s, r)
		if why := headerRefusal(s, r, raw); why != "" {
			return fmt.Errorf("%w: %s %s", errBadSignal, s.Name, why)
		}
		if !ok {
			continue
		}
		v, ok := parseSignal(s.Type, raw)
		if !ok {
			return fmt.Errorf("%w: %s is not a valid %s", errBadSignal, s.Name, s.Type)
		}
		ctx[types.String(s.Name)] = v
	}
	return nil
}

// headerRefusal says why a header (or metadata) signal cannot be read as the upstream
// reads it, or "". CGI-style upstreams read x_risk as x-risk: the signal
// would be absent here and present upstream. Envoy and the forward-auth
// edge join a repeated header with ",": "dev,prod" is neither value,
// while the upstream reads the first or the last.
func headerRefusal(s *Signal, r *Request, raw string) string {
	switch {
	case s.From == FromMetadata && raw == MetadataUnreadable:
		return "is not a string, number or boolean"
	case s.From != FromHeader:
		return ""
	case underscoreSpelling(r.Headers, s.Key):
		return "has its header spelled with underscores"
	case s.Type == TypeString && strings.Contains(raw, ","):
		return "holds a comma (a repeated header)"
	}
	return ""
}

func signalValue(s *Signal, r *Request) (string, bool) {
	var m map[string]string
	switch s.From {
	case FromContextExtension:
		m = r.ContextExtensions
	case FromMetadata:
		m = r.Metadata
	case FromHeader:
		m = r.Headers
	}
	v, ok := m[s.Key]
	return v, ok
}

func parseSignal(typ, raw string) (types.Value, bool) {
	switch typ {
	case TypeString:
		return types.String(raw), true
	case TypeLong:
		n, err := strconv.ParseInt(raw, 10, 64)
		return types.Long(n), err == nil && canonicalDecimal(raw)
	case TypeBool:
		switch raw {
		case "true":
			return types.True, true
		case "false":
			return types.False, true
		}
	}
	return nil, false
}

// canonicalDecimal reports a number without "+", "-0" or a leading zero:
// "010" is 8 to readers parsing with base 0 (strtol, Python int(x, 0)).
func canonicalDecimal(raw string) bool {
	digits := strings.TrimPrefix(raw, "-")
	return raw != "" && raw[0] != '+' && !(len(digits) > 1 && digits[0] == '0') && raw != "-0"
}

// MetadataUnreadable stands for a metadata value that is not a string,
// number or boolean (a list, a struct, null): a signal reading it is a
// bad signal, never absent.
const MetadataUnreadable = "\x00unreadable metadata\x00"
