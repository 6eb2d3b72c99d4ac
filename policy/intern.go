package policy

import "github.com/cedar-policy/cedar-go/types"

// interner shares the attribute names and literals of the conditions
// decided natively across one load: the parser allocates each token on
// its own, and 10,000 policies reading principal.namespace need one
// "namespace", not 20,000 (fewer objects for every GC cycle to mark).
type interner struct {
	names map[types.String]types.String
	lits  map[types.Value]types.Value // String, Long and Boolean: comparable
}

func newInterner() *interner {
	return &interner{names: map[types.String]types.String{}, lits: map[types.Value]types.Value{}}
}

func (in *interner) name(s types.String) types.String {
	if v, ok := in.names[s]; ok {
		return v
	}
	in.names[s] = s
	return s
}

func (in *interner) literal(v types.Value) types.Value {
	if w, ok := in.lits[v]; ok {
		return w
	}
	in.lits[v] = v
	return v
}
