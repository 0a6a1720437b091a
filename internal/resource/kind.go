// Package resource is qsync's canonical object model: the kinds it manages,
// the one table that describes every field of every kind, canonical values
// and the normalisers that make two notations of the same setting compare
// equal. The CUE schema, the XML codecs, the planner and the simulator all
// read their field knowledge from here; adding a field or an auth type is a
// change to the tables in catalog_*.go and nothing else.
package resource

import (
	"fmt"
	"slices"
	"strings"
)

// Family groups kinds that share endpoints and ordering.
type Family int

// The families, in the order the applier creates them.
const (
	FamilyAuth Family = iota
	FamilyOptionProfile
	FamilyAppliance
)

func (f Family) String() string {
	switch f {
	case FamilyAuth:
		return "auth"
	case FamilyOptionProfile:
		return "option_profiles"
	default:
		return "appliances"
	}
}

// Type is the value type of a field.
type Type int

// Field value types.
const (
	String Type = iota // short text; CDATA whitespace trimmed
	Text               // long text, diffed line by line
	Int
	Bool
	Enum   // one of Field.Enum, compared case-insensitively
	Set    // set of strings, comma joined on the wire
	Ports  // set of port numbers, comma joined on the wire
	IPs    // IP set, compared as merged intervals
	Secret // write-only reference {env|file}
	VLANs
	Routes
)

var typeNames = [...]string{"string", "text", "int", "bool", "enum", "set", "ports", "ips", "secret", "vlans", "routes"}

func (t Type) String() string { return typeNames[t] }

// BoolForm is how the read side spells a flag; the decoder accepts all
// forms, the simulator renders the one the real API uses.
type BoolForm int

// Bool spellings.
const (
	Bool01 BoolForm = iota
	BoolTrueFalse
)

// Field describes one field of one kind, once, for every consumer.
type Field struct {
	// Name is the CUE field name: the API's write parameter name.
	Name string
	// Param is the write parameter when it differs from Name (appliance
	// vlans are sent as set_vlans).
	Param string
	// XML lists the read-back paths relative to the record element, the
	// canonical one first, then aliases seen in older responses. A field
	// with no path is write-only: it is sent but can never be compared.
	XML []string
	// Item is the repeated child element of a Set read back as a list
	// (HOSTS/HOST); empty means the set is one comma-joined text.
	Item string
	Type Type
	// Enum holds the write API's lowercase words.
	Enum []string
	// ReadAliases maps a lowercased read-back value to the canonical
	// write value ("true" -> "domain_controller_mode").
	ReadAliases map[string]string
	// FromChild says the value is the name of the element's first child
	// (VULNERABILITY_DETECTION/COMPLETE reads as "complete").
	FromChild bool
	// Default is the value the API assumes when a record read back lacks
	// the element ("basic" for login_type). Empty: absence is unknown for
	// Int and Enum fields and the zero value for String, Text, Bool, Set,
	// Ports and IPs.
	Default string
	// BoolForm is how the API spells this flag on read.
	BoolForm BoolForm
	// Title says the export capitalises this enumeration ("High").
	TitleCase bool
	// CreateOnly fields cannot be changed by update: a change is a replace.
	CreateOnly bool
	// Required on create by the API.
	Required bool
	// Min and Max bound an Int; Max bounds the item count of Set and Ports.
	Min, Max int64
	// MaxLen bounds String and Text length in characters.
	MaxLen int
	// Performance marks a scan or map performance setting; the plan's
	// security summary names profiles whose performance changes.
	Performance bool
	// Doc is one line for humans and the generated schema.
	Doc string
}

// WriteParam is the parameter that carries the field on create and update.
func (f *Field) WriteParam() string {
	if f.Param != "" {
		return f.Param
	}
	return f.Name
}

// WriteOnly reports whether the API never returns the field.
func (f *Field) WriteOnly() bool { return len(f.XML) == 0 || f.Type == Secret }

// Kind is one managed object type: an auth record technology, an option
// profile type, or appliances.
type Kind struct {
	// Name is the kind as plans and reports write it: "auth/mariadb".
	Name   string
	Family Family
	// Type is the last segment: the auth endpoint name or vm|pci|pc.
	Type string
	// Path is the write endpoint.
	Path string
	// ListRoot and Record are the list output's root and record elements.
	ListRoot, Record string
	// IDsElem is the element of /auth/?action=list holding this type's IDs.
	IDsElem string
	// TitleParam is the parameter carrying the title on create and update.
	TitleParam string
	// ReadOnly kinds are reported, never written (system option profiles).
	ReadOnly bool
	Fields   []*Field

	byName map[string]*Field
}

// Field returns the named field, or nil.
func (k *Kind) Field(name string) *Field { return k.byName[name] }

// Catalog is the immutable set of kinds qsync knows.
type Catalog struct {
	kinds  []*Kind
	byName map[string]*Kind
}

// NewCatalog indexes kinds; it fails on a duplicate kind or field.
func NewCatalog(kinds []*Kind) (*Catalog, error) {
	c := &Catalog{byName: map[string]*Kind{}}
	for _, k := range kinds {
		if _, dup := c.byName[k.Name]; dup {
			return nil, fmt.Errorf("kind %s defined twice", k.Name)
		}
		k.byName = map[string]*Field{}
		for _, f := range k.Fields {
			if _, dup := k.byName[f.Name]; dup {
				return nil, fmt.Errorf("kind %s: field %s defined twice", k.Name, f.Name)
			}
			if f.Type == Enum && len(f.Enum) == 0 {
				return nil, fmt.Errorf("kind %s: enum field %s has no values", k.Name, f.Name)
			}
			k.byName[f.Name] = f
		}
		c.byName[k.Name] = k
		c.kinds = append(c.kinds, k)
	}
	return c, nil
}

// Kinds returns the kinds in family, then table order.
func (c *Catalog) Kinds() []*Kind { return slices.Clone(c.kinds) }

// Kind returns the named kind ("auth/mariadb"), or nil.
func (c *Catalog) Kind(name string) *Kind { return c.byName[name] }

// Family returns the kinds of one family.
func (c *Catalog) Family(f Family) []*Kind {
	var out []*Kind
	for _, k := range c.kinds {
		if k.Family == f {
			out = append(out, k)
		}
	}
	return out
}

// AuthKind returns the auth kind for an endpoint name ("mariadb").
func (c *Catalog) AuthKind(typ string) *Kind { return c.byName["auth/"+typ] }

// defaultCatalog is built once from the static tables and never changed.
var defaultCatalog = mustCatalog()

func mustCatalog() *Catalog {
	kinds := append(authKinds(), optionProfileKinds()...)
	kinds = append(kinds, applianceKind())
	c, err := NewCatalog(kinds)
	if err != nil {
		panic(err)
	}
	return c
}

// Default returns the catalog of every kind qsync manages.
func Default() *Catalog { return defaultCatalog }

// upperType turns an endpoint name into its element stem: ms_sql -> MS_SQL.
func upperType(t string) string { return strings.ToUpper(t) }
