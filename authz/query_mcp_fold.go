package authz

import (
	"fmt"

	"github.com/cedar-policy/cedar-go/types"

	"github.com/tollgate-authz/tollgate/authz/mcp"
)

// foldArguments is rec with every key of its arguments, at any depth, in
// the folded form the Envoy door gives policy on a route with
// argument_names: fold (mcp.FoldName); keys equal under folding are
// refused, as the door refuses them.
func foldArguments(rec types.Record) (types.Record, error) {
	args, ok := rec.Get("arguments")
	if !ok {
		return rec, nil
	}
	folded, err := foldValue(args, "context.mcp.arguments")
	if err != nil {
		return types.Record{}, err
	}
	m := rec.Map()
	m["arguments"] = folded
	return types.NewRecord(m), nil
}

func foldValue(v types.Value, at string) (types.Value, error) {
	switch x := v.(type) {
	case types.Record:
		m := make(types.RecordMap, x.Len())
		for k, e := range x.All() {
			key := types.String(mcp.FoldName(string(k)))
			if _, dup := m[key]; dup {
				return nil, fmt.Errorf("%s: two keys fold to %.64q (argument_names: fold)", at, string(key))
			}
			f, err := foldValue(e, at+"."+string(key))
			if err != nil {
				return nil, err
			}
			m[key] = f
		}
		return types.NewRecord(m), nil
	case types.Set:
		elems := make([]types.Value, 0, x.Len())
		for e := range x.All() {
			f, err := foldValue(e, at+"[]")
			if err != nil {
				return nil, err
			}
			elems = append(elems, f)
		}
		return types.NewSet(elems...), nil
	}
	return v, nil
}
