package policy

import (
	"errors"
	"testing"
	"time"
)

// TestExceptionAnnotationCaseVariants: Cedar annotation names are exact,
// so "@Expires" or "@EXCEPTION" declares no exception at all, and a permit
// its author meant to expire would apply forever. A governance annotation
// spelled in another case is an exception error, never a plain permanent
// permit.
func TestExceptionAnnotationCaseVariants(t *testing.T) {
	const scope = "permit (principal, action, resource);\n"
	for _, annotations := range []string{
		`@Exception("T-1") @approved_by("carol") @expires("2030-01-02T00:00:00Z")`,
		`@exception("T-1") @approved_by("carol") @Expires("2030-01-02T00:00:00Z")`,
		`@exception("T-1") @Approved_By("carol") @expires("2030-01-02T00:00:00Z")`,
		`@EXCEPTION("T-1") @APPROVED_BY("carol") @EXPIRES("2020-01-02T00:00:00Z")`,
		`@Expires("2020-01-02T00:00:00Z")`,
	} {
		src := "@id(\"exc\")\n" + annotations + "\n" + scope
		_, err := Load(mapFS(map[string]string{"e.cedar": src}), Options{Clock: func() time.Time { return testNow }})
		if !errors.Is(err, ErrException) {
			t.Errorf("%s: error %v, want ErrException", annotations, err)
		}
	}
}

// TestExceptionAnnotationLookAlikes: an annotation a reviewer reads as a
// governance one (@expiry, @expires_at, @approvedBy, @exception_ticket)
// declares nothing to Cedar, so the permit would apply forever. Names that
// start like a governance annotation are reserved for it.
func TestExceptionAnnotationLookAlikes(t *testing.T) {
	const scope = "permit (principal, action, resource);\n"
	for _, annotations := range []string{
		`@expiry("2020-01-02T00:00:00Z")`,
		`@expires_at("2020-01-02T00:00:00Z")`,
		`@expiration("2020-01-02T00:00:00Z")`,
		`@exception("T-1") @approvedBy("carol") @expires("2030-01-02T00:00:00Z")`,
		`@exception("T-1") @approver("carol") @expires("2030-01-02T00:00:00Z")`,
		`@exception_ticket("T-1") @approved_by("carol") @expires("2030-01-02T00:00:00Z")`,
		`@exception("T-1") @approved_by("carol") @expires("2030-01-02T00:00:00Z") @expires_on("2020-01-01T00:00:00Z")`,
	} {
		src := "@id(\"exc\")\n" + annotations + "\n" + scope
		_, err := Load(mapFS(map[string]string{"e.cedar": src}), Options{Clock: func() time.Time { return testNow }})
		if !errors.Is(err, ErrException) {
			t.Errorf("%s: error %v, want ErrException", annotations, err)
		}
	}
}
