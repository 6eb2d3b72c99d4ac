package ocsf

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// The published OCSF definition files in testdata (see its README), read
// the way the OCSF schema compiler reads them: a class or object extends
// its parent and $includes profiles; an attribute's definition is the
// dictionary entry, overridden key by key by the class or object (enums
// are merged).

const schemaDir = "testdata/ocsf-schema"

type attrDef struct {
	Requirement string                     `json:"requirement"`
	Type        string                     `json:"type"`
	IsArray     bool                       `json:"is_array"`
	Sibling     string                     `json:"sibling"`
	Enum        map[string]json.RawMessage `json:"enum"`
}

type constraints struct {
	AtLeastOne []string `json:"at_least_one"`
	JustOne    []string `json:"just_one"`
}

type defFile struct {
	Name        string                     `json:"name"`
	Caption     string                     `json:"caption"`
	UID         int                        `json:"uid"`
	Category    string                     `json:"category"`
	Extends     string                     `json:"extends"`
	Attributes  map[string]json.RawMessage `json:"attributes"`
	Constraints constraints                `json:"constraints"`
}

// shape is a resolved class or object.
type shape struct {
	name        string
	attrs       map[string]attrDef
	constraints constraints
}

type schema struct {
	t       testing.TB
	dict    map[string]attrDef
	types   map[string]attrDef
	objects map[string]*shape
	class   *shape
	classID int
	catID   int
}

func loadSchema(t testing.TB) *schema {
	t.Helper()
	s := &schema{t: t, objects: map[string]*shape{}}
	var dict struct {
		Attributes map[string]attrDef `json:"attributes"`
		Types      struct {
			Attributes map[string]attrDef `json:"attributes"`
		} `json:"types"`
	}
	s.read("dictionary.json", &dict)
	s.dict, s.types = dict.Attributes, dict.Types.Attributes
	objs, err := filepath.Glob(filepath.Join(schemaDir, "objects", "*.json"))
	if err != nil || len(objs) == 0 {
		t.Fatalf("no object definitions: %v", err)
	}
	for _, f := range objs {
		rel, _ := filepath.Rel(schemaDir, f)
		sh := s.resolve(rel, "objects")
		s.objects[sh.name] = sh
	}
	var cats struct {
		Attributes map[string]struct {
			UID     int    `json:"uid"`
			Caption string `json:"caption"`
		} `json:"attributes"`
	}
	s.read("categories.json", &cats)
	var class defFile
	s.read("events/application/api_activity.json", &class)
	var category defFile
	s.read("events/application/application.json", &category)
	s.catID = cats.Attributes[category.Category].UID
	s.classID = s.catID*1000 + class.UID
	s.class = s.resolve("events/application/api_activity.json", "events/application")
	// As the schema compiler does: a class's class_uid and category_uid
	// enums are its own ids (base_event's are the base event's, 0).
	for name, e := range map[string]struct {
		id      int
		caption string
	}{"class_uid": {s.classID, class.Caption}, "category_uid": {s.catID, cats.Attributes[category.Category].Caption}} {
		caption, _ := json.Marshal(map[string]string{"caption": e.caption})
		def := s.class.attrs[name]
		def.Enum = map[string]json.RawMessage{strconv.Itoa(e.id): caption}
		s.class.attrs[name] = def
	}
	return s
}

func (s *schema) read(rel string, v any) {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(schemaDir, rel))
	if err != nil {
		s.t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		s.t.Fatalf("%s: %v", rel, err)
	}
}

// resolve reads a definition file with its parents and included profiles.
func (s *schema) resolve(rel, dir string) *shape {
	var d defFile
	s.read(rel, &d)
	sh := &shape{name: d.Name, attrs: map[string]attrDef{}}
	switch d.Extends {
	case "", "object":
	case "base_event":
		sh = s.resolve("events/base_event.json", "events")
	case "application":
		sh = s.resolve("events/application/application.json", "events/application")
	default:
		sh = s.resolve(filepath.Join(dir, d.Extends+".json"), dir)
	}
	sh.name = d.Name
	if len(d.Constraints.AtLeastOne)+len(d.Constraints.JustOne) > 0 {
		sh.constraints = d.Constraints
	}
	var includes []string
	if raw, ok := d.Attributes["$include"]; ok {
		if err := json.Unmarshal(raw, &includes); err != nil {
			s.t.Fatalf("%s: $include: %v", rel, err)
		}
	}
	for _, inc := range includes {
		if _, err := os.Stat(filepath.Join(schemaDir, inc)); err != nil {
			continue // not vendored: its attributes stay unknown (README)
		}
		var p defFile
		s.read(inc, &p)
		s.merge(sh, inc, p.Attributes)
	}
	s.merge(sh, rel, d.Attributes)
	return sh
}

// merge overrides sh's attributes key by key with those in attrs.
func (s *schema) merge(sh *shape, rel string, attrs map[string]json.RawMessage) {
	for name, raw := range attrs {
		if name == "$include" {
			continue
		}
		var over map[string]json.RawMessage
		if err := json.Unmarshal(raw, &over); err != nil {
			s.t.Fatalf("%s: %s: %v", rel, name, err)
		}
		def := sh.attrs[name]
		var next attrDef
		if err := json.Unmarshal(raw, &next); err != nil {
			s.t.Fatalf("%s: %s: %v", rel, name, err)
		}
		if _, ok := over["requirement"]; ok {
			def.Requirement = next.Requirement
		}
		if next.Type != "" {
			def.Type = next.Type
		}
		if next.Enum != nil {
			def.Enum = maps.Clone(def.Enum)
			if def.Enum == nil {
				def.Enum = map[string]json.RawMessage{}
			}
			maps.Copy(def.Enum, next.Enum)
		}
		sh.attrs[name] = def
	}
}

// attr is the full definition of an attribute of sh: dictionary entry,
// then sh's overrides. known is false for an attribute sh does not have.
func (s *schema) attr(sh *shape, name string) (def attrDef, known bool, err error) {
	own, ok := sh.attrs[name]
	if !ok {
		return attrDef{}, false, nil
	}
	d, ok := s.dict[name]
	if !ok {
		return attrDef{}, true, fmt.Errorf("attribute %q of %s has no dictionary entry in the testdata excerpt", name, sh.name)
	}
	if own.Type != "" {
		d.Type = own.Type
	}
	d.Requirement = own.Requirement
	if own.Enum != nil {
		d.Enum = maps.Clone(d.Enum)
		if d.Enum == nil {
			d.Enum = map[string]json.RawMessage{}
		}
		maps.Copy(d.Enum, own.Enum)
	}
	return d, true, nil
}
