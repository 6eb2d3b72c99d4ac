package policy

import "strings"

// ErrorKind is a bounded, log- and metric-safe classification of a policy
// evaluation error. cedar-go's error messages embed the values they failed
// on (ip("<argument>") echoes the argument), so Tollgate never keeps the
// message: only the policy @id and the kind.
type ErrorKind string

const (
	ErrorType             ErrorKind = "type_error"        // an operand had the wrong type
	ErrorMissingAttribute ErrorKind = "missing_attribute" // a record or entity lacks the attribute
	ErrorMissingTag       ErrorKind = "missing_tag"       // an entity lacks the tag
	ErrorMissingEntity    ErrorKind = "missing_entity"    // the entity is not in the entity data
	ErrorExtension        ErrorKind = "extension_error"   // ip(), decimal(), datetime(), duration() failed
	ErrorOverflow         ErrorKind = "overflow"          // integer or date arithmetic overflowed
	ErrorDuplicateEntity  ErrorKind = "duplicate_entity"  // the request gave the same entity twice
	ErrorOther            ErrorKind = "other"             // anything cedar-go may add later
)

// extensionPrefixes start the messages of cedar-go's extension functions.
var extensionPrefixes = []string{
	"error parsing ip value", "error parsing decimal value", "error parsing datetime value",
	"error parsing duration value", "duration out of range", "function does not exist",
	"wrong number of arguments",
}

// classifyEvalError maps a cedar-go evaluation error message to its kind.
// Request values (entity ids, strings) can appear inside the message, so
// it only looks at fixed prefixes, and for the "`UID` does not have the"
// form at the last such phrase, which follows the UID.
func classifyEvalError(msg string) ErrorKind {
	switch {
	case strings.HasPrefix(msg, "integer overflow"):
		return ErrorOverflow
	case strings.HasPrefix(msg, "type error"):
		return ErrorType
	case strings.HasPrefix(msg, "record does not have the attribute"),
		strings.HasPrefix(msg, "cannot access attribute"):
		return ErrorMissingAttribute
	case strings.HasPrefix(msg, "cannot access tag"):
		return ErrorMissingTag
	case strings.HasPrefix(msg, "entity `") && strings.HasSuffix(msg, "` does not exist"):
		return ErrorMissingEntity
	}
	for _, p := range extensionPrefixes {
		if strings.HasPrefix(msg, p) {
			return ErrorExtension
		}
	}
	if strings.HasPrefix(msg, "`") {
		const phrase = "` does not have the "
		if i := strings.LastIndex(msg, phrase); i >= 0 {
			switch rest := msg[i+len(phrase):]; {
			case strings.HasPrefix(rest, "attribute `"):
				return ErrorMissingAttribute
			case strings.HasPrefix(rest, "tag `"):
				return ErrorMissingTag
			}
		}
	}
	return ErrorOther
}
