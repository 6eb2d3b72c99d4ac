package policy

import (
	"log/slog"
	"time"
)

// SchemaMode says how policies and entity data are checked against a schema
// file, when the policy source has one.
type SchemaMode int

const (
	// SchemaStrict validates in Cedar's strict mode (the default).
	SchemaStrict SchemaMode = iota
	// SchemaPermissive validates in Cedar's permissive mode.
	SchemaPermissive
	// SchemaSkip parses the schema but does not validate against it.
	SchemaSkip
)

// Options tune Load. The zero value is ready to use.
type Options struct {
	// Schema selects schema validation; strict by default when a schema
	// file exists. Without a schema file there is nothing to validate.
	Schema SchemaMode
	// Clock returns the current time; time.Now when nil. It decides whether
	// governed exceptions are valid at load and active at evaluation.
	Clock func() time.Time
	// MaxExceptionWindow is the longest an exception may be approved for,
	// counted from load time. Zero means no limit.
	MaxExceptionWindow time.Duration
	// Logger receives load diagnostics; discarded when nil.
	Logger *slog.Logger
	// AllowEmpty accepts a version with no policies, which denies every
	// request. Without it such a version is refused (ErrNoPolicies): an
	// empty directory is far more often a mistake than a decision.
	AllowEmpty bool
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
