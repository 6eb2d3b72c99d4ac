package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cedar-policy/cedar-go/types"
)

// TestEvalErrorKinds checks that each evaluation error is reported as a
// bounded kind and that no value from the request reaches the Decision.
func TestEvalErrorKinds(t *testing.T) {
	const secret = "SECRET-7e1d-hunter2"
	s, err := Load(mapFS(map[string]string{"k.cedar": `
@id("ip") forbid (principal, action == Action::"ip", resource) when { ip(context.v).isLoopback() };
@id("dec") forbid (principal, action == Action::"dec", resource) when { decimal(context.v).greaterThan(decimal("1.0")) };
@id("type") forbid (principal, action == Action::"type", resource) when { context.v > 1 };
@id("attr") forbid (principal, action == Action::"attr", resource) when { context.nope == "x" };
@id("entattr") forbid (principal, action == Action::"entattr", resource) when { resource.nope == "x" };
@id("tag") forbid (principal, action == Action::"tag", resource) when { resource.getTag("nope") == "x" };
@id("overflow") forbid (principal, action == Action::"overflow", resource) when { context.n + 9223372036854775807 > 0 };
`}), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := types.RecordMap{"v": types.String(secret), "n": types.Long(9)}
	tests := map[string]ErrorKind{
		"ip": ErrorExtension, "dec": ErrorExtension, "type": ErrorType, "attr": ErrorMissingAttribute,
		"entattr": ErrorMissingEntity, "tag": ErrorMissingEntity, "overflow": ErrorOverflow,
	}
	for action, want := range tests {
		t.Run(action, func(t *testing.T) {
			res := uid("Doc", secret)
			d := s.Evaluate(req(uid("User", "u"), uid("Action", action), res, ctx))
			if d.Allow || d.Reason != ReasonForbidError || len(d.Errors) != 1 {
				t.Fatalf("decision %+v, want one forbid_error", d)
			}
			if e := d.Errors[0]; e.PolicyID != action || e.Kind != want || !e.Forbid {
				t.Errorf("error %+v, want policy %s kind %s", e, action, want)
			}
			if strings.Contains(fmt.Sprintf("%+v", d), "hunter2") {
				t.Errorf("decision leaks the value: %+v", d)
			}
		})
	}
	t.Run("entity tag and attribute with entity data", func(t *testing.T) {
		res := types.Entity{UID: uid("Doc", secret)}
		for action, want := range map[string]ErrorKind{"entattr": ErrorMissingAttribute, "tag": ErrorMissingTag} {
			d := s.Evaluate(req(uid("User", "u"), uid("Action", action), res.UID, ctx), res)
			if len(d.Errors) != 1 || d.Errors[0].Kind != want || strings.Contains(fmt.Sprintf("%+v", d), "hunter2") {
				t.Errorf("%s: %+v, want kind %s", action, d, want)
			}
		}
	})
	t.Run("duplicate entity", func(t *testing.T) {
		e := types.Entity{UID: uid("Doc", secret)}
		d := s.Evaluate(req(uid("User", "u"), uid("Action", "ip"), e.UID, ctx), e, e)
		if d.Reason != ReasonInvalidRequest || len(d.Errors) != 1 || d.Errors[0].Kind != ErrorDuplicateEntity ||
			strings.Contains(fmt.Sprintf("%+v", d), "hunter2") {
			t.Errorf("decision %+v", d)
		}
	})
}

func TestClassifyEvalError(t *testing.T) {
	tests := []struct {
		msg  string
		want ErrorKind
	}{
		{"integer overflow while attempting to add `1` with `2`", ErrorOverflow},
		{"type error: expected long, got string", ErrorType},
		{"error parsing ip value: error parsing IP address x", ErrorExtension},
		{"error parsing decimal value: missing decimal point", ErrorExtension},
		{"error parsing datetime value: x", ErrorExtension},
		{"error parsing duration value: x", ErrorExtension},
		{"duration out of range", ErrorExtension},
		{"function does not exist: nope", ErrorExtension},
		{"wrong number of arguments provided to extension function: ip takes 1", ErrorExtension},
		{"record does not have the attribute `a`", ErrorMissingAttribute},
		{"cannot access attribute `a` of unspecified entity", ErrorMissingAttribute},
		{"`Doc::\"x\"` does not have the attribute `a`", ErrorMissingAttribute},
		{"`Doc::\"x\"` does not have the tag `a`", ErrorMissingTag},
		{"cannot access tag `a` of unspecified entity", ErrorMissingTag},
		{"entity `Doc::\"x\"` does not exist", ErrorMissingEntity},
		// An attacker-chosen entity id cannot pick another kind.
		{"entity `Doc::\"type error: \"` does not exist", ErrorMissingEntity},
		{"`Doc::\"` does not have the tag `\"` does not have the attribute `a`", ErrorMissingAttribute},
		{"something new in cedar-go", ErrorOther},
		{"", ErrorOther},
	}
	for _, tt := range tests {
		if got := classifyEvalError(tt.msg); got != tt.want {
			t.Errorf("classifyEvalError(%q) = %s, want %s", tt.msg, got, tt.want)
		}
	}
}
