package ocsf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/netip"
	"slices"
	"strconv"
)

// validate checks one event line against the schema: it is one JSON object;
// every attribute is defined for the class (or object) it is in; required
// attributes are present; every value has its OCSF data type (string_t,
// integer_t, long_t, boolean_t, float_t, ip_t, json_t, objects, arrays);
// enum attributes hold a defined value and their sibling caption matches;
// object constraints (at_least_one, just_one) hold; and class_uid,
// category_uid and type_uid are those of the class and activity.
func (s *schema) validate(line []byte) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var ev map[string]any
	if err := dec.Decode(&ev); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value on the line")
	}
	if err := s.object(s.class, ev, ""); err != nil {
		return err
	}
	classUID, _ := ev["class_uid"].(json.Number).Int64()
	catUID, _ := ev["category_uid"].(json.Number).Int64()
	activity, _ := ev["activity_id"].(json.Number).Int64()
	typeUID, _ := ev["type_uid"].(json.Number).Int64()
	switch {
	case classUID != int64(s.classID):
		return fmt.Errorf("class_uid %d, the class is %d", classUID, s.classID)
	case catUID != int64(s.catID):
		return fmt.Errorf("category_uid %d, the class's category is %d", catUID, s.catID)
	case typeUID != classUID*100+activity:
		return fmt.Errorf("type_uid %d, want class_uid*100+activity_id = %d", typeUID, classUID*100+activity)
	}
	return nil
}

// object checks the attributes of one object (or the event) of shape sh.
func (s *schema) object(sh *shape, obj map[string]any, path string) error {
	for name, v := range obj {
		def, ok, err := s.attr(sh, name)
		if err != nil {
			return fmt.Errorf("%s%s: %w", path, name, err)
		}
		if !ok {
			return fmt.Errorf("%s%s: not an attribute of %s", path, name, sh.name)
		}
		if v == nil {
			continue
		}
		if err := s.value(def, v, path+name); err != nil {
			return err
		}
		if err := s.sibling(def, obj, v, path+name); err != nil {
			return err
		}
	}
	for name, def := range sh.attrs {
		if def.Requirement == "required" && obj[name] == nil {
			return fmt.Errorf("%s%s: required attribute of %s missing", path, name, sh.name)
		}
	}
	present := func(names []string) int {
		n := 0
		for _, k := range names {
			if obj[k] != nil {
				n++
			}
		}
		return n
	}
	if c := sh.constraints.AtLeastOne; len(c) > 0 && present(c) == 0 {
		return fmt.Errorf("%s: %s needs at least one of %v", path, sh.name, c)
	}
	if c := sh.constraints.JustOne; len(c) > 0 && present(c) != 1 {
		return fmt.Errorf("%s: %s needs exactly one of %v", path, sh.name, c)
	}
	return nil
}

func (s *schema) value(def attrDef, v any, path string) error {
	if def.IsArray {
		list, ok := v.([]any)
		if !ok {
			return fmt.Errorf("%s: want an array, got %T", path, v)
		}
		one := def
		one.IsArray = false
		for i, x := range list {
			if err := s.value(one, x, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		return nil
	}
	if sh, ok := s.objects[def.Type]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: want a %s object, got %T", path, def.Type, v)
		}
		return s.object(sh, m, path+".")
	}
	if def.Type == "object" {
		if _, ok := v.(map[string]any); !ok {
			return fmt.Errorf("%s: want an object, got %T", path, v)
		}
		return nil
	}
	if err := s.scalar(def.Type, v, path); err != nil {
		return err
	}
	if def.Enum != nil {
		if _, ok := def.Enum[fmt.Sprint(v)]; !ok {
			return fmt.Errorf("%s: %v is not one of the enum values %v", path, v, slices.Sorted(maps.Keys(def.Enum)))
		}
	}
	return nil
}

// scalar checks a value against a data type of the dictionary's types.
func (s *schema) scalar(typ string, v any, path string) error {
	t, ok := s.types[typ]
	if !ok {
		return fmt.Errorf("%s: type %q is neither an object nor a data type in the testdata", path, typ)
	}
	base := typ
	if t.Type != "" {
		base = t.Type
	}
	switch base {
	case "string_t":
		str, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s: want %s, got %T", path, typ, v)
		}
		if _, err := netip.ParseAddr(str); typ == "ip_t" && err != nil {
			return fmt.Errorf("%s: %q is not an IP address", path, str)
		}
	case "integer_t", "long_t":
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s: want %s, got %T", path, typ, v)
		}
		i, err := n.Int64()
		if err != nil || base == "integer_t" && (i < math.MinInt32 || i > math.MaxInt32) {
			return fmt.Errorf("%s: %s is not a %s", path, n, base)
		}
	case "float_t":
		if _, ok := v.(json.Number); !ok {
			return fmt.Errorf("%s: want %s, got %T", path, typ, v)
		}
	case "boolean_t":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%s: want %s, got %T", path, typ, v)
		}
	case "json_t":
	default:
		return fmt.Errorf("%s: data type %q not handled by the validator", path, base)
	}
	return nil
}

// sibling checks that the caption next to an enum id is the enum's
// caption (except for 99, Other, where the source names it).
func (s *schema) sibling(def attrDef, obj map[string]any, v any, path string) error {
	if def.Sibling == "" || def.Enum == nil || fmt.Sprint(v) == "99" {
		return nil
	}
	got, ok := obj[def.Sibling]
	if !ok {
		return nil
	}
	var want struct {
		Caption string `json:"caption"`
	}
	if err := json.Unmarshal(def.Enum[fmt.Sprint(v)], &want); err != nil {
		return err
	}
	if got != want.Caption {
		return fmt.Errorf("%s = %v: %s is %q, want %q", path, v, def.Sibling, got, want.Caption)
	}
	return nil
}
