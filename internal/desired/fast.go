package desired

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/qsync/qsync/internal/resource"
)

// The literal fast path. Most desired states are plain data: structs,
// lists and literals, with no references, comprehensions or imports. Such
// files are decoded straight from their syntax tree and validated through
// the same field table the CUE schema is generated from, which is several
// times faster and leaner than evaluating them (see BENCHMARKS.md). Any
// file that is not plain data sends the whole package through CUE. A
// differential test holds both paths to the same objects and errors.

// lnode is a value of a plain-data file.
type lnode struct {
	pos    token.Pos // of the value
	keyPos token.Pos // of the label that introduced it
	fields map[string]*lnode
	order  []string
	list   []*lnode
	isList bool
	lit    any // string, int64, bool, nil (null)
	isLit  bool
}

func (n *lnode) isStruct() bool { return n.fields != nil }

func (n *lnode) kindName() string {
	switch {
	case n.isStruct():
		return "struct"
	case n.isList:
		return "list"
	}
	switch n.lit.(type) {
	case string:
		return "string"
	case int64:
		return "int"
	case bool:
		return "bool"
	}
	return "null"
}

func (n *lnode) show() string {
	switch x := n.lit.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		if !n.isLit {
			return n.kindName()
		}
		return "null"
	}
	return fmt.Sprint(n.lit)
}

// plainData parses files and returns their merged tree, or ok=false when
// some file is not plain data (or does not parse: CUE then reports it).
func plainData(files []file) (root *lnode, conflicts []conflict, ok bool) {
	root = &lnode{fields: map[string]*lnode{}}
	for _, f := range files {
		af, err := parser.ParseFile(f.path, f.data)
		if err != nil {
			return nil, nil, false
		}
		for i, d := range af.Decls {
			switch x := d.(type) {
			case *ast.Package, *ast.CommentGroup:
			case *ast.Field:
				if !addField(root, x, &conflicts) {
					return nil, nil, false
				}
			default:
				return nil, nil, false
			}
			// The converted declaration's syntax is garbage from here on:
			// big generated files then never hold their whole tree twice.
			af.Decls[i] = nil
		}
	}
	return root, conflicts, true
}

// conflict is two declarations of one field that disagree.
type conflict struct {
	pos  token.Pos
	path []string
	msg  string
}

func fieldLabel(l ast.Label) (string, bool) {
	switch x := l.(type) {
	case *ast.Ident:
		if strings.HasPrefix(x.Name, "#") || strings.HasPrefix(x.Name, "_") {
			return "", false
		}
		return x.Name, true
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := literal.Unquote(x.Value)
		return s, err == nil
	}
	return "", false
}

func addField(parent *lnode, f *ast.Field, conflicts *[]conflict) bool {
	if f.Constraint != token.ILLEGAL || len(f.Attrs) > 0 {
		return false
	}
	name, ok := fieldLabel(f.Label)
	if !ok {
		return false
	}
	v, ok := toNode(f.Value)
	if !ok {
		return false
	}
	v.keyPos = f.Label.Pos()
	merge(parent, name, v, nil, conflicts)
	return true
}

func toNode(e ast.Expr) (*lnode, bool) {
	switch x := e.(type) {
	case *ast.StructLit:
		n := &lnode{pos: x.Pos(), fields: map[string]*lnode{}}
		if !x.Lbrace.IsValid() {
			n.pos = e.Pos()
		}
		for _, el := range x.Elts {
			switch y := el.(type) {
			case *ast.Field:
				var cs []conflict
				if !addField(n, y, &cs) {
					return nil, false
				}
				if len(cs) > 0 {
					return nil, false // let CUE explain conflicts inside one literal
				}
			case *ast.CommentGroup:
			default:
				return nil, false
			}
		}
		return n, true
	case *ast.ListLit:
		n := &lnode{pos: x.Pos(), isList: true, list: []*lnode{}}
		for _, el := range x.Elts {
			if _, isEllipsis := el.(*ast.Ellipsis); isEllipsis {
				return nil, false
			}
			c, ok := toNode(el)
			if !ok {
				return nil, false
			}
			n.list = append(n.list, c)
		}
		return n, true
	case *ast.BasicLit:
		n := &lnode{pos: x.Pos(), isLit: true}
		switch x.Kind {
		case token.STRING:
			s, err := literal.Unquote(x.Value)
			if err != nil || strings.HasPrefix(x.Value, "'") {
				return nil, false // bytes literals are not strings
			}
			n.lit = s
		case token.INT:
			i, err := strconv.ParseInt(strings.ReplaceAll(x.Value, "_", ""), 0, 64)
			if err != nil {
				return nil, false
			}
			n.lit = i
		case token.TRUE:
			n.lit = true
		case token.FALSE:
			n.lit = false
		case token.NULL:
			n.lit = nil
		default:
			return nil, false
		}
		return n, true
	case *ast.UnaryExpr:
		if x.Op != token.SUB {
			return nil, false
		}
		n, ok := toNode(x.X)
		if !ok {
			return nil, false
		}
		i, isInt := n.lit.(int64)
		if !isInt {
			return nil, false
		}
		n.lit, n.pos = -i, x.Pos()
		return n, true
	}
	return nil, false
}

// merge unifies v into parent.name as CUE would for plain data: structs
// merge field by field, lists element by element, literals must be equal.
func merge(parent *lnode, name string, v *lnode, path []string, conflicts *[]conflict) {
	old, ok := parent.fields[name]
	if !ok {
		parent.fields[name] = v
		parent.order = append(parent.order, name)
		return
	}
	unify(old, v, append(append([]string{}, path...), name), conflicts)
}

func unify(a, b *lnode, path []string, conflicts *[]conflict) {
	switch {
	case a.isStruct() && b.isStruct():
		for _, n := range b.order {
			merge(a, n, b.fields[n], path, conflicts)
		}
	case a.isList && b.isList:
		if len(a.list) != len(b.list) {
			*conflicts = append(*conflicts, conflict{b.pos, path, fmt.Sprintf("conflicting lists of %d and %d elements", len(a.list), len(b.list))})
			return
		}
		for i := range a.list {
			unify(a.list[i], b.list[i], append(append([]string{}, path...), strconv.Itoa(i)), conflicts)
		}
	case a.isLit && b.isLit && a.lit == b.lit:
	default:
		*conflicts = append(*conflicts, conflict{b.pos, path, fmt.Sprintf("conflicting values %s and %s", a.show(), b.show())})
	}
}

var (
	envRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	ipEntryRE = regexp.MustCompile(`^[0-9A-Fa-f:.]+(-[0-9A-Fa-f:.]+|/[0-9]{1,3})?$`)
	ipv4RE    = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,3}){3}$`)
	ipv6RE    = regexp.MustCompile(`^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$`)
	ipv6PfxRE = regexp.MustCompile(`^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(/[0-9]{1,3})?$`)
	netNameRE = regexp.MustCompile(`^[\x20-\x7E]{0,256}$`)
	kindRE    = regexp.MustCompile(`^(auth/[a-z_]+|option_profiles/(vm|pci|pc)|appliances)$`)
)

// fastDecoder validates a plain-data tree with the messages the CUE path
// gives, and decodes it.
type fastDecoder struct {
	errs *Errors
	cat  *resource.Catalog
}

func (d *fastDecoder) fail(p token.Pos, where string, format string, args ...any) {
	d.errs.add(d.errs.pos(p), where, format, args...)
}

func decodeFast(root *lnode, conflicts []conflict, cat *resource.Catalog, wd string) (*State, error) {
	d := &fastDecoder{errs: &Errors{wd: wd}, cat: cat}
	for _, c := range conflicts {
		d.fail(c.pos, conflictWhere(c.path), "%s", c.msg)
	}
	st := &State{Policy: resource.DefaultPolicy()}
	for _, name := range root.order {
		v := root.fields[name]
		switch name {
		case "auth":
			d.family(v, resource.FamilyAuth, st)
		case "option_profiles":
			d.family(v, resource.FamilyOptionProfile, st)
		case "appliances":
			d.kind(v, cat.Kind("appliances"), st)
		case "policy":
			d.policy(v, st)
		default:
			d.fail(v.keyPos, "", "unknown top-level field %q (want one of %s)", name, strings.Join(topLevel, ", "))
		}
	}
	if len(d.errs.List) > 0 {
		return nil, d.errs.sorted()
	}
	sort.SliceStable(st.Objects, func(i, j int) bool {
		a, b := st.Objects[i], st.Objects[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Title < b.Title
	})
	return st, nil
}

// conflictWhere names a conflicting field the way other errors do:
// kind "title": field.
func conflictWhere(path []string) string {
	if len(path) >= 3 && (path[0] == "auth" || path[0] == "option_profiles") {
		w := fmt.Sprintf("%s/%s %q", path[0], path[1], path[2])
		if len(path) > 3 {
			w += ": " + strings.Join(path[3:], ".")
		}
		return w
	}
	if len(path) >= 2 && path[0] == "appliances" {
		w := fmt.Sprintf("appliances %q", path[1])
		if len(path) > 2 {
			w += ": " + strings.Join(path[2:], ".")
		}
		return w
	}
	return strings.Join(path, ".")
}

func (d *fastDecoder) family(v *lnode, fam resource.Family, st *State) {
	if !v.isStruct() {
		d.fail(v.pos, fam.String(), "want a struct of kinds")
		return
	}
	var known []string
	for _, k := range d.cat.Family(fam) {
		if !k.ReadOnly {
			known = append(known, k.Type)
		}
	}
	for _, typ := range v.order {
		kv := v.fields[typ]
		k := d.cat.Kind(fam.String() + "/" + typ)
		if k == nil || k.ReadOnly {
			hint := ""
			if s := closest(typ, known); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(kv.keyPos, fam.String(), "unknown kind %q%s; known: %s", typ, hint, strings.Join(known, ", "))
			continue
		}
		d.kind(kv, k, st)
	}
}

func (d *fastDecoder) kind(v *lnode, k *resource.Kind, st *State) {
	if !v.isStruct() {
		d.fail(v.pos, k.Name, "want a struct keyed by title")
		return
	}
	for _, title := range v.order {
		ov := v.fields[title]
		where := fmt.Sprintf("%s %q", k.Name, title)
		if msg := checkTitle(k, title); msg != "" {
			d.fail(ov.keyPos, where, "%s", msg)
		}
		if !ov.isStruct() {
			d.fail(ov.pos, where, "want a struct, got %s %s", ov.kindName(), ov.show())
			continue
		}
		if o, ok := d.object(ov, k, title, where); ok {
			st.Objects = append(st.Objects, o)
		}
	}
}

func (d *fastDecoder) object(v *lnode, k *resource.Kind, title, where string) (*resource.Object, bool) {
	before := len(d.errs.List)
	o := &resource.Object{Kind: k.Name, Title: title, Values: map[string]any{}, FieldPos: map[string]string{}, Pos: d.errs.pos(v.keyPos)}
	for _, name := range v.order {
		fv := v.fields[name]
		fw := where + ": " + name
		if name == "id" && k.Family != resource.FamilyAppliance {
			n, ok := fv.lit.(int64)
			switch {
			case !ok:
				d.fail(fv.pos, fw, "want an integer, got %s %s", fv.kindName(), fv.show())
			case n <= 0:
				d.fail(fv.pos, fw, "%d is out of range (must be > 0)", n)
			default:
				o.ID = strconv.FormatInt(n, 10)
			}
			continue
		}
		f := k.Field(name)
		if f == nil {
			d.fail(fv.keyPos, fw, "unknown field %q%s", name, fieldHint(name, k))
			continue
		}
		raw, ok := d.value(fv, f, fw)
		if !ok {
			continue
		}
		c, err := resource.Canonical(f, raw)
		if err != nil {
			d.fail(fv.pos, fw, "%v", err)
			continue
		}
		o.Values[name] = c
		o.FieldPos[name] = d.errs.pos(fv.pos)
	}
	for _, f := range k.Fields {
		if _, has := v.fields[f.Name]; !has && f.Required && isSchemaRequiredField(k, f) {
			d.fail(v.keyPos, where+": "+f.Name, "required field is missing")
		}
	}
	if len(d.errs.List) > before {
		return nil, false
	}
	for _, msg := range checkRules(k, o) {
		d.errs.add(msg.pos(o), where+msg.field(), "%s", msg.text)
	}
	return o, len(d.errs.List) == before
}

// isSchemaRequiredField mirrors the schema's required (!) fields.
func isSchemaRequiredField(k *resource.Kind, f *resource.Field) bool {
	return (k.Type == "mariadb" || k.Type == "mysql") && (f.Name == "database" || f.Name == "port")
}

func (d *fastDecoder) wrong(n *lnode, where, want string) {
	if n.isStruct() || n.isList || (n.isLit && n.lit == nil) {
		d.fail(n.pos, where, "want %s, got %s", article(want), n.kindName())
		return
	}
	d.fail(n.pos, where, "want %s, got %s %s", article(want), n.kindName(), n.show())
}

func (d *fastDecoder) str(n *lnode, where string) (string, bool) {
	s, ok := n.lit.(string)
	if !ok {
		d.wrong(n, where, "string")
	}
	return s, ok
}

func (d *fastDecoder) integer(n *lnode, where string, lo, hi int64) (int64, bool) {
	i, ok := n.lit.(int64)
	if !ok {
		d.wrong(n, where, "int")
		return 0, false
	}
	if lo != 0 || hi != 0 {
		if i < lo {
			d.fail(n.pos, where, "%d is out of range (must be >= %d)", i, lo)
			return 0, false
		}
		if i > hi {
			d.fail(n.pos, where, "%d is out of range (must be <= %d)", i, hi)
			return 0, false
		}
	}
	return i, true
}

func (d *fastDecoder) enum(n *lnode, where string, values []string) (string, bool) {
	s, ok := d.str(n, where)
	if !ok {
		return "", false
	}
	for _, e := range values {
		if e == s {
			return s, true
		}
	}
	d.fail(n.pos, where, "%q is not one of %s", s, strings.Join(quoteAll(values), ", "))
	return "", false
}

func (d *fastDecoder) items(n *lnode, where string, max int64) ([]*lnode, bool) {
	if !n.isList {
		d.wrong(n, where, "list")
		return nil, false
	}
	if max > 0 && int64(len(n.list)) > max {
		d.fail(n.pos, where, "more than %d items", max)
		return nil, false
	}
	return n.list, true
}

// value checks n against the field's CUE type and returns the Go form
// resource.Canonical takes.
func (d *fastDecoder) value(n *lnode, f *resource.Field, where string) (any, bool) {
	switch f.Type {
	case resource.String, resource.Text:
		s, ok := d.str(n, where)
		if ok && f.MaxLen > 0 && len([]rune(s)) > f.MaxLen {
			d.fail(n.pos, where, "longer than %d characters", f.MaxLen)
			return nil, false
		}
		return s, ok
	case resource.Int:
		return d.integer(n, where, f.Min, f.Max)
	case resource.Bool:
		b, ok := n.lit.(bool)
		if !ok {
			d.wrong(n, where, "bool")
		}
		return b, ok
	case resource.Enum:
		return d.enum(n, where, f.Enum)
	case resource.Set:
		list, ok := d.items(n, where, f.Max)
		if !ok {
			return nil, false
		}
		out := []string{}
		for i, it := range list {
			w := fmt.Sprintf("%s.%d", where, i)
			var s string
			if len(f.Enum) > 0 {
				s, ok = d.enum(it, w, f.Enum)
			} else {
				s, ok = d.str(it, w)
			}
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case resource.Ports:
		list, ok := d.items(n, where, f.Max)
		if !ok {
			return nil, false
		}
		out := []int{}
		for i, it := range list {
			p, ok := d.integer(it, fmt.Sprintf("%s.%d", where, i), 1, 65535)
			if !ok {
				return nil, false
			}
			out = append(out, int(p))
		}
		return out, true
	case resource.IPs:
		list, ok := d.items(n, where, 0)
		if !ok {
			return nil, false
		}
		out := []string{}
		for i, it := range list {
			s, ok := d.str(it, fmt.Sprintf("%s.%d", where, i))
			if !ok {
				return nil, false
			}
			if !ipEntryRE.MatchString(s) {
				d.fail(it.pos, fmt.Sprintf("%s.%d", where, i), "%q has an invalid format", s)
				return nil, false
			}
			if err := resource.ValidIPEntry(s); err != nil {
				d.fail(n.pos, where, "entry %d: %v", i, err)
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	case resource.Secret:
		if !n.isStruct() {
			d.fail(n.pos, where, "a secret must be a reference {env: NAME} or {file: PATH}, never a literal")
			return nil, false
		}
		var ref resource.SecretRef
		for _, k := range n.order {
			c := n.fields[k]
			switch k {
			case "env":
				s, ok := d.str(c, where+".env")
				if !ok {
					return nil, false
				}
				if !envRE.MatchString(s) {
					d.fail(c.pos, where+".env", "%q has an invalid format", s)
					return nil, false
				}
				ref.Env = s
			case "file":
				s, ok := d.str(c, where+".file")
				if !ok {
					return nil, false
				}
				if s == "" {
					d.fail(c.pos, where+".file", `"" is out of range (must be != "")`)
					return nil, false
				}
				ref.File = s
			default:
				d.fail(c.keyPos, where+"."+k, "unknown field %q", k)
				return nil, false
			}
		}
		return ref, true
	case resource.VLANs:
		list, ok := d.items(n, where, 0)
		if !ok {
			return nil, false
		}
		out := []resource.VLAN{}
		for i, it := range list {
			v, ok := d.vlan(it, fmt.Sprintf("%s.%d", where, i))
			if !ok {
				return nil, false
			}
			out = append(out, v)
		}
		return out, true
	case resource.Routes:
		list, ok := d.items(n, where, 0)
		if !ok {
			return nil, false
		}
		out := []resource.Route{}
		for i, it := range list {
			r, ok := d.route(it, fmt.Sprintf("%s.%d", where, i))
			if !ok {
				return nil, false
			}
			out = append(out, r)
		}
		return out, true
	}
	return nil, false
}

// sub checks a struct's fields against allowed names, in source order.
func (d *fastDecoder) sub(n *lnode, where string, allowed ...string) bool {
	if !n.isStruct() {
		d.wrong(n, where, "struct")
		return false
	}
	for _, k := range n.order {
		found := false
		for _, a := range allowed {
			found = found || a == k
		}
		if !found {
			d.fail(n.fields[k].keyPos, where+"."+k, "unknown field %q", k)
			return false
		}
	}
	return true
}

func (d *fastDecoder) pattern(n *lnode, where string, re *regexp.Regexp) (string, bool) {
	s, ok := d.str(n, where)
	if ok && !re.MatchString(s) {
		d.fail(n.pos, where, "%q has an invalid format", s)
		return "", false
	}
	return s, ok
}

func (d *fastDecoder) required(n *lnode, where string, names ...string) bool {
	for _, k := range names {
		if _, ok := n.fields[k]; !ok {
			d.fail(n.pos, where+"."+k, "required field is missing")
			return false
		}
	}
	return true
}

func (d *fastDecoder) netName(n *lnode, where string) (string, bool) {
	s, ok := d.pattern(n, where, netNameRE)
	if ok && strings.ContainsAny(s, `,<>"&|=`) {
		d.fail(n.pos, where, "%q contains a forbidden character (none of , < > \" & | =)", s)
		return "", false
	}
	return s, ok
}

func (d *fastDecoder) vlan(n *lnode, where string) (resource.VLAN, bool) {
	var v resource.VLAN
	if !d.sub(n, where, "id", "name", "ipv4", "ipv6") || !d.required(n, where, "id") {
		return v, false
	}
	id, ok := d.integer(n.fields["id"], where+".id", 0, resource.MaxVLANID)
	if !ok {
		return v, false
	}
	v.ID = int(id)
	if c, has := n.fields["name"]; has {
		if v.Name, ok = d.netName(c, where+".name"); !ok {
			return v, false
		}
	}
	if c, has := n.fields["ipv4"]; has {
		w := where + ".ipv4"
		if !d.sub(c, w, "address", "netmask") || !d.required(c, w, "address", "netmask") {
			return v, false
		}
		a, ok1 := d.pattern(c.fields["address"], w+".address", ipv4RE)
		m, ok2 := d.pattern(c.fields["netmask"], w+".netmask", ipv4RE)
		if !ok1 || !ok2 {
			return v, false
		}
		v.IPv4 = &resource.VLANIPv4{Address: a, Netmask: m}
	}
	if c, has := n.fields["ipv6"]; has {
		w := where + ".ipv6"
		if !d.sub(c, w, "mode", "address") || !d.required(c, w, "mode") {
			return v, false
		}
		mode, ok := d.enum(c.fields["mode"], w+".mode", []string{"static", "auto"})
		if !ok {
			return v, false
		}
		v.IPv6 = &resource.VLANIPv6{Mode: mode}
		if a, has := c.fields["address"]; has {
			if v.IPv6.Address, ok = d.pattern(a, w+".address", ipv6RE); !ok {
				return v, false
			}
		}
	}
	if err := v.Validate(); err != nil {
		d.fail(n.pos, where, "%v", err)
		return v, false
	}
	return v, true
}

func (d *fastDecoder) route(n *lnode, where string) (resource.Route, bool) {
	var r resource.Route
	if !d.sub(n, where, "name", "ipv4", "ipv6") {
		return r, false
	}
	var ok bool
	if c, has := n.fields["name"]; has {
		if r.Name, ok = d.netName(c, where+".name"); !ok {
			return r, false
		}
	}
	if c, has := n.fields["ipv4"]; has {
		w := where + ".ipv4"
		if !d.sub(c, w, "network", "netmask", "gateway") || !d.required(c, w, "network", "netmask", "gateway") {
			return r, false
		}
		a, ok1 := d.pattern(c.fields["network"], w+".network", ipv4RE)
		m, ok2 := d.pattern(c.fields["netmask"], w+".netmask", ipv4RE)
		g, ok3 := d.pattern(c.fields["gateway"], w+".gateway", ipv4RE)
		if !ok1 || !ok2 || !ok3 {
			return r, false
		}
		r.IPv4 = &resource.RouteIPv4{Network: a, Netmask: m, Gateway: g}
	}
	if c, has := n.fields["ipv6"]; has {
		w := where + ".ipv6"
		if !d.sub(c, w, "address", "gateway") || !d.required(c, w, "address", "gateway") {
			return r, false
		}
		a, ok1 := d.pattern(c.fields["address"], w+".address", ipv6PfxRE)
		g, ok2 := d.pattern(c.fields["gateway"], w+".gateway", ipv6RE)
		if !ok1 || !ok2 {
			return r, false
		}
		r.IPv6 = &resource.RouteIPv6{Address: a, Gateway: g}
	}
	return r, true
}

func (d *fastDecoder) policy(v *lnode, st *State) {
	p := resource.DefaultPolicy()
	if !d.sub(v, "policy", "unmanaged", "protected", "max_deletes", "max_delete_percent") {
		return
	}
	if u, has := v.fields["unmanaged"]; has {
		if !u.isStruct() {
			d.wrong(u, "policy: unmanaged", "struct")
			return
		}
		p.Unmanaged = map[string]string{}
		for _, kind := range u.order {
			c := u.fields[kind]
			w := "policy: unmanaged." + kind
			if k := d.cat.Kind(kind); k == nil || k.ReadOnly || !kindRE.MatchString(kind) {
				d.fail(c.keyPos, w, "unknown kind %q (kinds are written auth/<type>, option_profiles/<vm|pci|pc> or appliances)", kind)
				continue
			}
			a, ok := d.enum(c, w, []string{"report", "keep", "delete"})
			if !ok {
				continue
			}
			if kind == "appliances" && a == "delete" {
				d.fail(c.pos, "policy: unmanaged.appliances", "appliances are never deleted: qsync manages the networking of appliances that exist")
				continue
			}
			p.Unmanaged[kind] = a
		}
	}
	if c, has := v.fields["protected"]; has {
		list, ok := d.items(c, "policy: protected", 0)
		if ok {
			for i, it := range list {
				if s, ok := d.str(it, fmt.Sprintf("policy: protected.%d", i)); ok {
					p.Protected = append(p.Protected, s)
				}
			}
		}
	}
	if c, has := v.fields["max_deletes"]; has {
		if n, ok := d.integer(c, "policy: max_deletes", 0, 1<<62); ok {
			p.MaxDeletes = int(n)
		}
	}
	if c, has := v.fields["max_delete_percent"]; has {
		if n, ok := d.integer(c, "policy: max_delete_percent", 0, 100); ok {
			p.MaxDeletePercent = int(n)
		}
	}
	st.Policy = p
}
