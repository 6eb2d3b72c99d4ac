package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
	"github.com/spiffe/go-spiffe/v2/spiffeid"

	"github.com/tollgate-authz/tollgate/authz"
	"github.com/tollgate-authz/tollgate/identity"
	"github.com/tollgate-authz/tollgate/internal/decisionlog"
)

// lineRequest rebuilds the Cedar request of a decision line and the
// entities Tollgate laid over IAM's data for it: the principal with the
// attributes derived from its SPIFFE ID (authz.PrincipalEntity), the
// resource, and the delegated subject. The error says what is missing.
func lineRequest(l *decisionlog.Line) (cedar.Request, []types.Entity, error) {
	var req cedar.Request
	id, err := spiffeid.FromString(l.Principal)
	if err != nil {
		return req, nil, fmt.Errorf("principal %q: %w", l.Principal, err)
	}
	p := authz.PrincipalEntity(identity.Identity{ID: id, Source: identity.SourcePrincipal})
	req.Principal = p.UID
	if err := req.Action.UnmarshalCedar([]byte(l.Action)); err != nil {
		return req, nil, fmt.Errorf("action %q is not a Cedar entity UID", l.Action)
	}
	if err := req.Resource.UnmarshalCedar([]byte(l.Resource)); err != nil {
		return req, nil, fmt.Errorf("resource %q is not a Cedar entity UID", l.Resource)
	}
	ctx := bytes.TrimSpace(l.Context)
	if len(ctx) == 0 || bytes.Equal(ctx, []byte("{}")) || bytes.Equal(ctx, []byte("null")) {
		return req, nil, errNoContext
	}
	if err := req.Context.UnmarshalJSON(ctx); err != nil {
		return req, nil, fmt.Errorf("context is not a Cedar record: %w", err)
	}
	extra := []types.Entity{p}
	if req.Resource != p.UID {
		extra = append(extra, types.Entity{UID: req.Resource})
	}
	if l.Subject != "" {
		var s types.EntityUID
		if err := s.UnmarshalCedar([]byte(l.Subject)); err != nil {
			return req, nil, fmt.Errorf("subject %q is not a Cedar entity UID", l.Subject)
		}
		if s != p.UID && s != req.Resource {
			extra = append(extra, types.Entity{UID: s})
		}
	}
	return req, extra, nil
}

// loadEntities reads --entities, Cedar's entity JSON, laid over the
// policy source's entity data for every replayed request.
func loadEntities(path string) ([]types.Entity, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ents []types.Entity
	if err := json.Unmarshal(b, &ents); err != nil {
		return nil, fmt.Errorf("%s: not Cedar entity JSON (a list of {uid, attrs, parents}): %w", path, err)
	}
	return ents, nil
}
