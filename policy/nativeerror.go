package policy

import "github.com/cedar-policy/cedar-go"

// nativeError is a scope-only candidate whose condition errored: its
// position in the entries and the error's kind.
type nativeError struct {
	pos  int32
	kind ErrorKind
}

// evalErrors merges the errors of the policies decided here (c.failed)
// and cedar-go's (diag, in the order of c.rest) into load order, as one
// cedar.Authorize over every candidate reports them. forbid tells whether
// a policy cedar-go reports is a forbid.
func (c *candidates) evalErrors(diag []cedar.DiagnosticError, forbid func(cedar.PolicyID) bool) []EvalError {
	if len(c.failed)+len(diag) == 0 {
		return nil
	}
	out := make([]EvalError, 0, len(c.failed)+len(diag))
	native := c.failed
	for _, i := range c.rest {
		if len(diag) == 0 {
			break
		}
		if c.entries[i].id != diag[0].PolicyID {
			continue
		}
		for len(native) > 0 && native[0].pos < i {
			out, native = append(out, c.nativeEvalError(native[0])), native[1:]
		}
		out, diag = append(out, cedarEvalError(diag[0], forbid)), diag[1:]
	}
	for _, n := range native {
		out = append(out, c.nativeEvalError(n))
	}
	for _, de := range diag { // none: cedar-go reports in c.rest's order
		out = append(out, cedarEvalError(de, forbid))
	}
	return out
}

func (c *candidates) nativeEvalError(n nativeError) EvalError {
	e := c.entries[n.pos]
	return EvalError{PolicyID: string(e.id), Forbid: e.forbid(), Kind: n.kind}
}

func cedarEvalError(de cedar.DiagnosticError, forbid func(cedar.PolicyID) bool) EvalError {
	return EvalError{PolicyID: string(de.PolicyID), Forbid: forbid(de.PolicyID), Kind: classifyEvalError(de.Message)}
}
