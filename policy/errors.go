package policy

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Sentinel errors. Load wraps them in *LoadError; test with errors.Is.
var (
	ErrRead              = errors.New("cannot read policy source")
	ErrNoPolicies        = errors.New("no policies: this version would deny every request (set policy.allow_empty: true if that is intended)")
	ErrEmptyFile         = errors.New("policy file holds no policy (half-written or truncated?); add its policies or delete it")
	ErrUnsettled         = errors.New("the policy directory is still changing")
	ErrParse             = errors.New("syntax error")
	ErrMissingID         = errors.New(`missing @id("...") annotation`)
	ErrDuplicateID       = errors.New("duplicate @id")
	ErrInvalidID         = errors.New("invalid @id")
	ErrException         = errors.New("invalid governed exception")
	ErrEntities          = errors.New("invalid entity data")
	ErrEntityCycle       = errors.New("entity hierarchy has a cycle")
	ErrSchema            = errors.New("schema error")
	ErrSchemaInvalid     = errors.New("does not conform to schema")
	ErrWatcher           = errors.New("invalid watcher options")
	ErrChangedDuringRead = errors.New("the policy directory changed while it was read")
	ErrClosed            = errors.New("the watcher was closed")
	ErrNoSnapshot        = errors.New("no policy snapshot loaded")
)

// LoadError is one problem found while loading a policy source. Its message
// points at the file, line and column and names the policy @id when known:
//
//	policy: policies/orders.cedar:12:3: policy @id("deny-x"): <message>
type LoadError struct {
	File     string // path relative to the policy source root
	Line     int    // 1-based; 0 when unknown
	Column   int    // 1-based; 0 when unknown
	PolicyID string // empty when the problem is not about one policy
	Entity   string // entity UID, for entity data problems
	Err      error  // wraps one of the sentinel errors
}

func (e *LoadError) Error() string {
	var b strings.Builder
	b.WriteString("policy: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.PolicyID != "" {
		fmt.Fprintf(&b, "policy @id(%q): ", e.PolicyID)
	}
	if e.Entity != "" {
		fmt.Fprintf(&b, "entity %s: ", e.Entity)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *LoadError) Unwrap() error { return e.Err }

// wrap adds the package prefix to an error that is not a *LoadError.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("policy: %w", err)
}

// detail wraps a sentinel with a human explanation.
func detail(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

// cedarPos matches the position cedar-go's parser puts in its messages.
var cedarPos = regexp.MustCompile(`^(?:parser error: )?parse error at <input>:(\d+):(\d+) `)

// parseError turns a cedar-go parser error into a positioned LoadError.
func parseError(file string, err error) *LoadError {
	msg := err.Error()
	le := &LoadError{File: file}
	if m := cedarPos.FindStringSubmatchIndex(msg); m != nil {
		le.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		le.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
		msg = "near " + msg[m[1]:]
	}
	le.Err = fmt.Errorf("%w: %s", ErrParse, msg)
	return le
}
