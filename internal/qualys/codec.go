package qualys

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// Warning is a RESPONSE/WARNING of a list answer. CODE 1980 means the list
// was truncated and URL names the next page.
type Warning struct {
	Code int
	Text string
	URL  string
}

// scanList parses a list document, calling onRecord for every element
// named record and collecting warnings. It fails on an error envelope.
func scanList(r io.Reader, record string, onRecord func(*Node) error) ([]Warning, string, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, "", err
	}
	var warnings []Warning
	var envelope *Node
	root, err := walk(b, func(name string) bool {
		return name == record || name == "WARNING" || name == "SIMPLE_RETURN"
	}, func(n *Node) error {
		switch n.Name {
		case "SIMPLE_RETURN":
			envelope = n
		case "WARNING":
			code, _ := strconv.Atoi(n.TextOf("CODE"))
			warnings = append(warnings, Warning{Code: code, Text: n.TextOf("TEXT"), URL: n.TextOf("URL")})
		default:
			return onRecord(n)
		}
		return nil
	})
	if envelope != nil {
		r := envelope.Child("RESPONSE")
		code, _ := strconv.Atoi(r.TextOf("CODE"))
		return nil, root, &APIError{Code: code, Text: r.TextOf("TEXT"), Class: classifyCode(code, r.TextOf("TEXT")), Items: items(r)}
	}
	if err != nil {
		return nil, root, fmt.Errorf("decode XML: %w", err)
	}
	return warnings, root, nil
}

// nextPage returns the truncation URL of a list answer, if any.
func nextPage(ws []Warning) string {
	for _, w := range ws {
		if w.Code == 1980 && w.URL != "" {
			return w.URL
		}
	}
	return ""
}

// DecodeAuthList decodes an AUTH_<TYPE>_LIST_OUTPUT document, calling fn per
// record. It returns the document's warnings (1980: truncated).
func DecodeAuthList(r io.Reader, k *resource.Kind, fn func(*resource.Object) error) ([]Warning, error) {
	ws, root, err := scanList(r, k.Record, func(n *Node) error {
		o, err := AuthRecord(k, n)
		if err != nil {
			return err
		}
		return fn(o)
	})
	if err != nil {
		return nil, err
	}
	if root != k.ListRoot {
		return nil, fmt.Errorf("%w: root element <%s>, want <%s>", ErrUnparseable, root, k.ListRoot)
	}
	return ws, nil
}

// AuthRecord converts one AUTH_<TYPE> element into an object.
func AuthRecord(k *resource.Kind, n *Node) (*resource.Object, error) {
	o := &resource.Object{Kind: k.Name, ID: n.TextOf("ID"), Title: n.TextOf("TITLE")}
	if o.ID == "" {
		return nil, fmt.Errorf("%s record without ID", k.Name)
	}
	if err := readFields(k, n, o); err != nil {
		return nil, fmt.Errorf("%s %q (ID %s): %w", k.Name, o.Title, o.ID, err)
	}
	return o, nil
}

// readFields fills o from n through the kind's field table.
func readFields(k *resource.Kind, n *Node, o *resource.Object) error {
	o.Values = make(map[string]any, len(k.Fields))
	o.Raw = make(map[string]string, len(k.Fields))
	for _, f := range k.Fields {
		if f.WriteOnly() || f.Type == resource.VLANs || f.Type == resource.Routes {
			continue
		}
		var el *Node
		for _, p := range f.XML {
			if el = n.Path(p); el != nil {
				break
			}
		}
		var raw []string
		switch {
		case el == nil:
		case f.Type == resource.IPs:
			for _, c := range el.Children {
				if c.Name == "IP" || c.Name == "IP_RANGE" {
					raw = append(raw, c.Text)
				}
			}
		case f.Item != "":
			for _, c := range el.All(f.Item) {
				raw = append(raw, c.Text)
			}
		case f.FromChild:
			for _, c := range el.Children {
				if _, err := resource.CanonicalEnum(f, strings.ToLower(c.Name)); err == nil {
					raw = []string{strings.ToLower(c.Name)}
					break
				}
			}
		default:
			raw = []string{el.Text}
		}
		v, ok, err := resource.ParseRead(f, raw, el != nil)
		if err != nil {
			return fmt.Errorf("field %s: %w", f.Name, err)
		}
		if ok {
			o.Values[f.Name] = v
			if el != nil {
				// Raw holds only elements the answer carried: import
				// writes those, and leaves what the API left out
				// unmanaged.
				o.Raw[f.Name] = strings.Join(raw, ",")
			}
		}
	}
	return nil
}

// DecodeAuthIDs decodes AUTH_RECORDS_OUTPUT: the ID set of each type,
// ranges expanded, keyed by endpoint name ("ms_sql").
func DecodeAuthIDs(b []byte) (map[string][]string, error) {
	n, err := ParseNode(b)
	if err != nil {
		return nil, fmt.Errorf("decode auth record list: %w", err)
	}
	if n.Name != "AUTH_RECORDS_OUTPUT" {
		return nil, fmt.Errorf("%w: root element <%s>, want <AUTH_RECORDS_OUTPUT>", ErrUnparseable, n.Name)
	}
	out := map[string][]string{}
	recs := n.Path("RESPONSE/AUTH_RECORDS")
	if recs == nil {
		return out, nil
	}
	for _, c := range recs.Children {
		typ, ok := strings.CutPrefix(c.Name, "AUTH_")
		if !ok {
			continue
		}
		typ, ok = strings.CutSuffix(typ, "_IDS")
		if !ok {
			continue
		}
		ids, err := ExpandIDSet(c.Child("ID_SET"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		out[strings.ToLower(typ)] = ids
	}
	return out, nil
}

// ExpandIDSet expands an ID_SET of ID and ID_RANGE elements.
func ExpandIDSet(set *Node) ([]string, error) {
	var out []string
	if set == nil {
		return out, nil
	}
	for _, c := range set.Children {
		switch c.Name {
		case "ID":
			out = append(out, c.Text)
		case "ID_RANGE":
			lo, hi, ok := strings.Cut(c.Text, "-")
			a, err1 := strconv.Atoi(strings.TrimSpace(lo))
			b, err2 := strconv.Atoi(strings.TrimSpace(hi))
			if !ok || err1 != nil || err2 != nil || b < a || b-a > 1_000_000 {
				return nil, fmt.Errorf("invalid ID_RANGE %q", c.Text)
			}
			for i := a; i <= b; i++ {
				out = append(out, strconv.Itoa(i))
			}
		}
	}
	return out, nil
}

// DecodeOptionProfiles decodes an OPTION_PROFILES export. A profile's kind
// comes from GROUP_TYPE; the five system profiles become
// option_profiles/system.
func DecodeOptionProfiles(r io.Reader, cat *resource.Catalog, fn func(*resource.Object) error) error {
	_, root, err := scanList(r, "OPTION_PROFILE", func(n *Node) error {
		o, err := OptionProfileRecord(cat, n)
		if err != nil {
			return err
		}
		return fn(o)
	})
	if err != nil {
		return err
	}
	if root != "OPTION_PROFILES" {
		return fmt.Errorf("%w: root element <%s>, want <OPTION_PROFILES>", ErrUnparseable, root)
	}
	return nil
}

// IsSystemProfile reports whether an exported profile is one of the
// read-only system profiles.
func IsSystemProfile(title, groupType string) bool {
	switch strings.ToLower(groupType) {
	case "rv10", "sans20":
		return true
	}
	for _, t := range resource.SystemProfileTitles {
		if strings.EqualFold(strings.Join(strings.Fields(title), " "), t) {
			return true
		}
	}
	return false
}

// OptionProfileRecord converts one exported OPTION_PROFILE.
func OptionProfileRecord(cat *resource.Catalog, n *Node) (*resource.Object, error) {
	bi := n.Child("BASIC_INFO")
	id, title, gt := bi.TextOf("ID"), strings.Join(strings.Fields(bi.TextOf("GROUP_NAME")), " "), bi.TextOf("GROUP_TYPE")
	if id == "" {
		return nil, errors.New("option profile without BASIC_INFO/ID")
	}
	typ, ok := resource.GroupTypeKind[strings.ToLower(gt)]
	if !ok {
		typ = "vm"
	}
	kindName := "option_profiles/" + typ
	system := IsSystemProfile(title, gt)
	if system {
		kindName = "option_profiles/system"
	}
	k := cat.Kind(kindName)
	o := &resource.Object{Kind: kindName, ID: id, Title: title, System: system}
	if err := readFields(k, n, o); err != nil {
		return nil, fmt.Errorf("option profile %q (ID %s): %w", title, id, err)
	}
	return o, nil
}

// DecodeAppliances decodes an APPLIANCE_LIST_OUTPUT (output_mode=full).
func DecodeAppliances(r io.Reader, fn func(*resource.Object) error) error {
	_, root, err := scanList(r, "APPLIANCE", func(n *Node) error {
		o, err := ApplianceRecord(n)
		if err != nil {
			return err
		}
		return fn(o)
	})
	if err != nil {
		return err
	}
	if root != "APPLIANCE_LIST_OUTPUT" {
		return fmt.Errorf("%w: root element <%s>, want <APPLIANCE_LIST_OUTPUT>", ErrUnparseable, root)
	}
	return nil
}

// ApplianceRecord converts one APPLIANCE element. An appliance is physical
// when its TYPE says so.
func ApplianceRecord(n *Node) (*resource.Object, error) {
	o := &resource.Object{Kind: "appliances", ID: n.TextOf("ID"), Title: n.TextOf("NAME"),
		Values: map[string]any{}, Raw: map[string]string{}}
	if o.ID == "" {
		return nil, errors.New("appliance without ID")
	}
	o.Physical = strings.Contains(strings.ToLower(n.TextOf("TYPE")), "physical")
	var vlans []resource.VLAN
	for _, v := range n.All("VLANS/VLAN") {
		id, err := strconv.Atoi(v.TextOf("ID"))
		if err != nil {
			return nil, fmt.Errorf("appliance %q: VLAN ID %q", o.Title, v.TextOf("ID"))
		}
		vl := resource.VLAN{ID: id, Name: v.TextOf("NAME")}
		if a, m := v.TextOf("IP_ADDRESS"), v.TextOf("NETMASK"); a != "" || m != "" {
			vl.IPv4 = &resource.VLANIPv4{Address: a, Netmask: m}
		}
		if a := v.TextOf("IPV6_ADDRESS"); a != "" {
			vl.IPv6 = &resource.VLANIPv6{Mode: "static", Address: a}
		} else if v.Child("IPV6_SLAAC") != nil {
			vl.IPv6 = &resource.VLANIPv6{Mode: "auto"}
		}
		vlans = append(vlans, vl)
	}
	var routes []resource.Route
	for _, r := range n.All("STATIC_ROUTES/ROUTE") {
		rt := resource.Route{Name: r.TextOf("NAME")}
		if a := r.TextOf("IP_ADDRESS"); a != "" || r.TextOf("GATEWAY") != "" {
			rt.IPv4 = &resource.RouteIPv4{Network: a, Netmask: r.TextOf("NETMASK"), Gateway: r.TextOf("GATEWAY")}
		}
		if a := r.TextOf("IPV6_ADDRESS"); a != "" {
			if _, bits, ok := strings.Cut(r.TextOf("IPV6_NETWORK"), "/"); ok && !strings.Contains(a, "/") {
				a += "/" + bits
			}
			rt.IPv6 = &resource.RouteIPv6{Address: a, Gateway: r.TextOf("IPV6_GATEWAY")}
		}
		routes = append(routes, rt)
	}
	cv, err := resource.CanonicalVLANs(vlans)
	if err != nil {
		return nil, fmt.Errorf("appliance %q: %w", o.Title, err)
	}
	cr, err := resource.CanonicalRoutes(routes)
	if err != nil {
		return nil, fmt.Errorf("appliance %q: %w", o.Title, err)
	}
	o.Values["vlans"], o.Values["routes"] = cv, cr
	o.Raw["vlans"], o.Raw["routes"] = resource.EncodeVLANs(vlans), resource.EncodeRoutes(routes)
	return o, nil
}

// Batch is one BATCH of a BATCH_RETURN: an outcome for a set of IDs.
type Batch struct {
	Code int
	Text string
	IDs  []string
}

// DecodeBatchReturn decodes a BATCH_RETURN answer.
func DecodeBatchReturn(b []byte) ([]Batch, error) {
	n, err := ParseNode(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnparseable, err)
	}
	if n.Name != "BATCH_RETURN" {
		return nil, fmt.Errorf("%w: root element <%s>, want <BATCH_RETURN>", ErrUnparseable, n.Name)
	}
	var out []Batch
	for _, bn := range n.All("RESPONSE/BATCH_LIST/BATCH") {
		code, _ := strconv.Atoi(bn.TextOf("CODE"))
		ids, err := ExpandIDSet(bn.Child("ID_SET"))
		if err != nil {
			return nil, err
		}
		out = append(out, Batch{Code: code, Text: bn.TextOf("TEXT"), IDs: ids})
	}
	return out, nil
}

// SimpleReturn is a successful SIMPLE_RETURN answer.
type SimpleReturn struct {
	Text  string
	Items map[string]string
}

// DecodeSimpleReturn decodes a SIMPLE_RETURN success answer.
func DecodeSimpleReturn(b []byte) (*SimpleReturn, error) {
	n, err := ParseNode(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnparseable, err)
	}
	if n.Name != "SIMPLE_RETURN" {
		return nil, fmt.Errorf("%w: root element <%s>, want <SIMPLE_RETURN>", ErrUnparseable, n.Name)
	}
	r := n.Child("RESPONSE")
	return &SimpleReturn{Text: r.TextOf("TEXT"), Items: items(r)}, nil
}

// spliceRecords merges truncated pages of one list into one document: the
// first page with the records of the later pages appended to its list
// element and the truncation warnings removed.
func spliceRecords(pages [][]byte, listElem string) ([]byte, error) {
	if len(pages) == 1 {
		return pages[0], nil
	}
	closeTag := []byte("</" + listElem + ">")
	first := pages[0]
	end := bytes.LastIndex(first, closeTag)
	if end < 0 {
		return nil, fmt.Errorf("page 1 has no </%s>", listElem)
	}
	var out bytes.Buffer
	out.Write(first[:end])
	openTag := []byte("<" + listElem + ">")
	for i, p := range pages[1:] {
		s := bytes.Index(p, openTag)
		e := bytes.LastIndex(p, closeTag)
		if s < 0 || e < s {
			return nil, fmt.Errorf("page %d has no <%s> element", i+2, listElem)
		}
		out.Write(p[s+len(openTag) : e])
	}
	rest := first[end:]
	if ws := bytes.Index(rest, []byte("<WARNING")); ws >= 0 {
		endTag := []byte("</WARNING_LIST>")
		we := bytes.Index(rest, endTag)
		if we < 0 {
			endTag = []byte("</WARNING>")
			we = bytes.Index(rest, endTag)
		}
		if we > ws {
			rest = append(append([]byte{}, rest[:ws]...), rest[we+len(endTag):]...)
		}
	}
	out.Write(rest)
	return out.Bytes(), nil
}
