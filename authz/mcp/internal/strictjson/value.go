package strictjson

// Kind is the JSON type of a Value.
type Kind uint8

// The JSON kinds.
const (
	Null Kind = iota + 1
	Bool
	Number
	String
	Array
	Object
)

// String returns the JSON name of the kind.
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "invalid"
}

// Value is one parsed JSON value. (Kind, Bool and escaped sit together so
// that a Value is 96 bytes: bodies are bounded by values, and each costs
// one.)
type Value struct {
	// Raw is the exact input text of the value. It aliases the input.
	Raw []byte
	// str is the decoded text of a String with escapes. The text of any
	// other String, and the literal of a Number, is built from Raw only
	// when asked for (Text): most string values of a body are never read.
	str string
	// Elems are the elements of an Array, in input order.
	Elems []Value
	// Members are the members of an Object, in input order. Keys are
	// unique, even under case folding.
	Members []Member
	Kind    Kind
	// Bool is the value of a Bool.
	Bool bool
	// escaped marks a String with escapes, decoded into str.
	escaped bool
}

// Text returns the decoded text of a String, or the literal of a Number;
// "" for any other kind. It is a new string: it never aliases the input.
func (v *Value) Text() string {
	if v.Kind == Number || (v.Kind == String && !v.escaped) {
		return string(v.text())
	}
	return v.str
}

// TextIs reports whether v is a String whose decoded text is s, building
// nothing.
func (v *Value) TextIs(s string) bool {
	if v == nil || v.Kind != String {
		return false
	}
	if v.escaped {
		return v.str == s
	}
	return string(v.text()) == s
}

// TextLen is len(v.Text()), building nothing.
func (v *Value) TextLen() int {
	if v.Kind == Number || (v.Kind == String && !v.escaped) {
		return len(v.text())
	}
	return len(v.str)
}

// text is the text of a Number or of a String without escapes in Raw.
func (v *Value) text() []byte {
	if v.Kind == String {
		return v.Raw[1 : len(v.Raw)-1]
	}
	return v.Raw
}

// Member is one key/value pair of an Object.
type Member struct {
	Key string
	Val Value
}

// Lookup returns the member value of an Object with exactly the given key,
// or nil when v is not an Object or has no such key.
func (v *Value) Lookup(key string) *Value {
	if v == nil || v.Kind != Object {
		return nil
	}
	for i := range v.Members {
		if v.Members[i].Key == key {
			return &v.Members[i].Val
		}
	}
	return nil
}
