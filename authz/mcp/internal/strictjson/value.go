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

// Value is one parsed JSON value. (Kind and Bool sit together so that a
// Value is 96 bytes: bodies are bounded by values, and each costs one.)
type Value struct {
	// Raw is the exact input text of the value. It aliases the input.
	Raw []byte
	// Str is the decoded text of a String, or the literal of a Number.
	Str string
	// Elems are the elements of an Array, in input order.
	Elems []Value
	// Members are the members of an Object, in input order. Keys are
	// unique, even under case folding.
	Members []Member
	Kind    Kind
	// Bool is the value of a Bool.
	Bool bool
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
