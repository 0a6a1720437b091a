package resource

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ParseBool accepts every spelling of a flag the API uses: 0/1, true/false,
// yes/no, on/off, enabled/disabled (any case), and empty as false.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "on", "enabled", "":
		return strings.TrimSpace(s) != "", nil
	case "0", "false", "no", "n", "off", "disabled":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a flag (0/1, true/false, yes/no)", s)
}

// CanonicalEnum maps v to the field's spelling of the enumeration value,
// through the read aliases, case-insensitively.
func CanonicalEnum(f *Field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if a, ok := f.ReadAliases[strings.ToLower(v)]; ok {
		v = a
	}
	for _, e := range f.Enum {
		if strings.EqualFold(e, v) {
			return e, nil
		}
	}
	return "", fmt.Errorf("%q is not one of %s", v, strings.Join(f.Enum, ", "))
}

// CanonicalSet trims, de-duplicates and sorts a set of strings; with an
// enumeration, items take the enumeration's spelling.
func CanonicalSet(f *Field, items []string) ([]string, error) {
	out := make([]string, 0, len(items))
	for _, it := range items {
		for _, s := range strings.Split(it, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if len(f.Enum) > 0 {
				c, err := CanonicalEnum(f, s)
				if err != nil {
					return nil, err
				}
				s = c
			}
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	return slices.CompactFunc(out, strings.EqualFold), nil
}

// CanonicalPorts parses, de-duplicates and sorts port numbers.
func CanonicalPorts(items []string) ([]int, error) {
	var out []int
	for _, it := range items {
		for _, s := range strings.Split(it, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 65535 {
				return nil, fmt.Errorf("%q is not a port number (1-65535)", s)
			}
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ParseRead turns read-back text into the canonical value of field f. raw
// holds one string for scalar fields and one per item for repeated
// elements. ok is false when the value is unknown (an absent Int or Enum
// without a default).
func ParseRead(f *Field, raw []string, present bool) (v any, ok bool, err error) {
	text := ""
	if len(raw) > 0 {
		text = strings.TrimSpace(raw[0])
	}
	if !present && f.Default != "" {
		text, present = f.Default, true
	}
	switch f.Type {
	case String, Text:
		return text, true, nil
	case Bool:
		b, err := ParseBool(text)
		return b, err == nil, err
	case Int:
		if !present || text == "" {
			return nil, false, nil
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, false, fmt.Errorf("%q is not a number", text)
		}
		return n, true, nil
	case Enum:
		if !present || text == "" {
			return nil, false, nil
		}
		c, err := CanonicalEnum(f, text)
		if err != nil {
			// An export value the table does not know is kept verbatim:
			// it compares unequal to every desired value, which is true.
			return text, true, nil
		}
		return c, true, nil
	case Set:
		s, err := CanonicalSet(&Field{Name: f.Name}, raw)
		if err != nil {
			return nil, false, err
		}
		if len(f.Enum) > 0 {
			for i, it := range s {
				if c, err := CanonicalEnum(f, it); err == nil {
					s[i] = c
				}
			}
		}
		return s, true, nil
	case Ports:
		p, err := CanonicalPorts(raw)
		return p, err == nil, err
	case IPs:
		s, err := ParseIPSet(raw)
		return s, err == nil, err
	}
	return nil, false, fmt.Errorf("field %s of type %s is not read from text", f.Name, f.Type)
}

// Canonical validates a desired value decoded from CUE (string, int64,
// bool, []string, []int, SecretRef, []VLAN, []Route) and returns its
// canonical form.
func Canonical(f *Field, v any) (any, error) {
	switch f.Type {
	case String, Text:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want a string, got %T", v)
		}
		if f.MaxLen > 0 && len([]rune(s)) > f.MaxLen {
			return nil, fmt.Errorf("%d characters, at most %d allowed", len([]rune(s)), f.MaxLen)
		}
		return strings.TrimSpace(s), nil
	case Int:
		n, ok := v.(int64)
		if !ok {
			return nil, fmt.Errorf("want an integer, got %T", v)
		}
		if (f.Min != 0 || f.Max != 0) && (n < f.Min || n > f.Max) {
			return nil, fmt.Errorf("%d is outside %d-%d", n, f.Min, f.Max)
		}
		return n, nil
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("want true or false, got %T", v)
		}
		return b, nil
	case Enum:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want one of %s, got %T", strings.Join(f.Enum, ", "), v)
		}
		return CanonicalEnum(f, s)
	case Set:
		items, ok := v.([]string)
		if !ok {
			return nil, fmt.Errorf("want a list of strings, got %T", v)
		}
		s, err := CanonicalSet(f, items)
		if err == nil && f.Max > 0 && int64(len(s)) > f.Max {
			err = fmt.Errorf("%d items, at most %d allowed", len(s), f.Max)
		}
		return s, err
	case Ports:
		items, ok := v.([]int)
		if !ok {
			return nil, fmt.Errorf("want a list of port numbers, got %T", v)
		}
		ss := make([]string, len(items))
		for i, n := range items {
			ss[i] = strconv.Itoa(n)
		}
		p, err := CanonicalPorts(ss)
		if err == nil && f.Max > 0 && int64(len(p)) > f.Max {
			err = fmt.Errorf("%d ports, at most %d allowed", len(p), f.Max)
		}
		return p, err
	case IPs:
		items, ok := v.([]string)
		if !ok {
			return nil, fmt.Errorf("want a list of IPs, ranges or CIDRs, got %T", v)
		}
		return ParseIPSet(items)
	case Secret:
		s, ok := v.(SecretRef)
		if !ok || (s.Env == "") == (s.File == "") {
			return nil, fmt.Errorf("a secret must be a reference {env: NAME} or {file: PATH}")
		}
		return s, nil
	case VLANs:
		vs, ok := v.([]VLAN)
		if !ok {
			return nil, fmt.Errorf("want a list of VLANs, got %T", v)
		}
		return CanonicalVLANs(vs)
	case Routes:
		rs, ok := v.([]Route)
		if !ok {
			return nil, fmt.Errorf("want a list of routes, got %T", v)
		}
		return CanonicalRoutes(rs)
	}
	return nil, fmt.Errorf("unknown field type %s", f.Type)
}

// Rule names the normaliser that makes two spellings of field f equal; the
// planner counts differences suppressed per rule.
func Rule(f *Field) string {
	switch f.Type {
	case IPs:
		return "ip_set"
	case Enum:
		return "enum_case"
	case Bool:
		return "flag_spelling"
	case String, Text:
		return "whitespace"
	case Set, Ports:
		return "list_as_set"
	case VLANs:
		return "vlans_by_id"
	case Routes:
		return "routes_by_destination"
	}
	return "other"
}
