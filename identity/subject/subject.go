package subject

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// MaxActors bounds the act chain; a deeper chain is refused as invalid.
const MaxActors = 8

// Subject is a verified subject token: who the request is on behalf of,
// and the chain of actors that carried it.
type Subject struct {
	Issuer string
	// ID is the token's sub.
	ID string
	// Actors is the RFC 8693 act chain, outermost (the current actor)
	// first; empty when the token has no act claim.
	Actors []string
	// AZP and ClientID are the token's azp and client_id claims.
	AZP, ClientID string
	// Txn is set for a Transaction Token (TxnVerifier); its requesting
	// workloads are also in Actors, the latest requester first.
	Txn *Txn
	// Claims are all the token's claims, decoded with UseNumber off
	// (numbers are float64). Never log them unless marked safe.
	Claims map[string]any
}

// FromPayload reads a verified token's JSON payload. It does not verify
// anything but the shape: sub must be a non-empty string, act (when
// present) a chain of objects each with a non-empty string sub, at most
// MaxActors deep; azp and client_id, when present, strings.
func FromPayload(payload []byte) (*Subject, error) {
	claims, err := decodeClaims(payload)
	if err != nil {
		return nil, err
	}
	s := &Subject{Claims: claims}
	var ok bool
	if s.ID, ok = claims["sub"].(string); !ok || s.ID == "" {
		return nil, fail(ReasonInvalid, "sub is missing or not a string")
	}
	s.Issuer, _ = claims["iss"].(string)
	for name, dst := range map[string]*string{"azp": &s.AZP, "client_id": &s.ClientID} {
		if v, present := claims[name]; present {
			if *dst, ok = v.(string); !ok || *dst == "" {
				return nil, fail(ReasonInvalid, "%s is not a non-empty string", name)
			}
		}
	}
	actors, err := actorChain(claims["act"])
	if err != nil {
		return nil, &Error{Reason: ReasonInvalid, Err: err}
	}
	s.Actors = actors
	return s, nil
}

// decodeClaims reads a JSON object and nothing after it.
func decodeClaims(payload []byte) (map[string]any, error) {
	var claims map[string]any
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(&claims); err != nil || claims == nil || dec.More() {
		return nil, fail(ReasonInvalid, "payload is not a JSON object")
	}
	for name := range claims {
		if r := registeredFold(name); r != "" {
			return nil, fail(ReasonInvalid, "claim %q is a case variant of %s", truncate(name), r)
		}
	}
	for _, name := range []string{"exp", "nbf", "iat"} {
		// A NumericDate is a JSON number (RFC 7519). go-oidc also reads a
		// numeric string, while the nbf checks here read numbers only: a
		// string nbf would be checked with go-oidc's five minutes of
		// leeway, or wrapped into the past beyond int64.
		if v, present := claims[name]; present {
			if _, ok := v.(float64); !ok {
				return nil, fail(ReasonInvalid, "%s is not a number", name)
			}
		}
	}
	return claims, nil
}

// registeredFold is the registered claim go-oidc reads (through a
// case-insensitive struct) that name is a case variant of, or "". Such a
// member would be checked as that claim while the claims map, Cedar and
// the decision log hold another value, or none.
func registeredFold(name string) string {
	for _, r := range []string{"iss", "sub", "aud", "exp", "nbf", "iat"} {
		if name != r && strings.EqualFold(name, r) {
			return r
		}
	}
	return ""
}

func truncate(s string) string {
	if len(s) > 16 {
		return s[:16] + "..."
	}
	return s
}

// notBefore reports whether the nbf claim value is after t; compared as
// numbers, since an nbf beyond int64 would wrap to the past.
func notBefore(nbf float64, t time.Time) bool {
	return nbf > float64(t.Unix())
}

// actorChain reads act, act.act, ... outermost first.
func actorChain(v any) ([]string, error) {
	var out []string
	for v != nil {
		act, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: act is not an object", ErrActor)
		}
		sub, ok := act["sub"].(string)
		if !ok || sub == "" {
			return nil, fmt.Errorf("%w: act.sub is missing or not a string", ErrActor)
		}
		if len(out) == MaxActors {
			return nil, fmt.Errorf("%w: act chain deeper than %d", ErrActor, MaxActors)
		}
		out = append(out, sub)
		v = act["act"]
	}
	return out, nil
}
