package qualyssim

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/qsync/qsync/internal/resource"
)

// el is the simulator's own element tree for rendering answers.
type el struct {
	name  string
	text  string
	cdata bool
	attrs [][2]string
	kids  []*el
}

func elem(name string, kids ...*el) *el { return &el{name: name, kids: kids} }
func leaf(name, text string) *el        { return &el{name: name, text: text} }
func cdata(name, text string) *el       { return &el{name: name, text: text, cdata: true} }

func (e *el) add(kids ...*el) *el { e.kids = append(e.kids, kids...); return e }

// child returns the named child, creating it.
func (e *el) child(name string) *el {
	for _, k := range e.kids {
		if k.name == name {
			return k
		}
	}
	k := elem(name)
	e.kids = append(e.kids, k)
	return k
}

// nth returns the i-th child of that name, creating those missing.
func (e *el) nth(name string, i int) *el {
	n := 0
	for _, k := range e.kids {
		if k.name == name {
			if n == i {
				return k
			}
			n++
		}
	}
	var k *el
	for ; n <= i; n++ {
		k = elem(name)
		e.kids = append(e.kids, k)
	}
	return k
}

// at walks a slash path from e, creating elements.
func (e *el) at(path string) *el {
	for _, p := range strings.Split(path, "/") {
		e = e.child(p)
	}
	return e
}

func (e *el) write(b *bytes.Buffer, indent string) {
	b.WriteString(indent + "<" + e.name)
	for _, a := range e.attrs {
		fmt.Fprintf(b, " %s=%q", a[0], a[1])
	}
	switch {
	case len(e.kids) > 0:
		b.WriteString(">\n")
		for _, k := range e.kids {
			k.write(b, indent+"  ")
		}
		b.WriteString(indent + "</" + e.name + ">\n")
	case e.cdata:
		b.WriteString("><![CDATA[" + strings.ReplaceAll(e.text, "]]>", "]]]]><![CDATA[>") + "]]></" + e.name + ">\n")
	case e.text == "":
		b.WriteString(" />\n")
	default:
		b.WriteString(">")
		xml.EscapeText(b, []byte(e.text))
		b.WriteString("</" + e.name + ">\n")
	}
}

// document renders a root element the way Qualys does: XML declaration,
// DOCTYPE naming the remote DTD, the tree, and a trailing comment.
func document(root *el, dtd string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" ?>` + "\n")
	fmt.Fprintf(&b, "<!DOCTYPE %s SYSTEM \"https://qualysapi.qualys.com%s\">\n", root.name, dtd)
	root.write(&b, "")
	b.WriteString("<!-- CONFIDENTIAL AND PROPRIETARY INFORMATION. Qualys provides the QualysGuard Service \"As Is,\" without any warranty of any kind. -->\n")
	return b.Bytes()
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func simpleReturn(code int, text string, items map[string]string) []byte {
	resp := elem("RESPONSE", leaf("DATETIME", stamp(time.Now())))
	if code != 0 {
		resp.add(leaf("CODE", fmt.Sprint(code)))
	}
	resp.add(leaf("TEXT", text))
	if len(items) > 0 {
		il := elem("ITEM_LIST")
		keys := make([]string, 0, len(items))
		for k := range items {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			il.add(elem("ITEM", leaf("KEY", k), leaf("VALUE", items[k])))
		}
		resp.add(il)
	}
	return document(elem("SIMPLE_RETURN", resp), "/api/2.0/simple_return.dtd")
}

// batch is one BATCH of a BATCH_RETURN.
type batch struct {
	code int
	text string
	ids  []int
}

func batchReturn(now time.Time, bs []batch) []byte {
	list := elem("BATCH_LIST")
	for _, b := range bs {
		e := elem("BATCH")
		if b.code != 0 {
			e.add(leaf("CODE", fmt.Sprint(b.code)))
		}
		e.add(leaf("TEXT", b.text))
		if len(b.ids) > 0 {
			e.add(idSet(b.ids))
		}
		list.add(e)
	}
	return document(elem("BATCH_RETURN", elem("RESPONSE", leaf("DATETIME", stamp(now)), list)), "/api/2.0/batch_return.dtd")
}

// idSet renders IDs, folding consecutive runs into ID_RANGE.
func idSet(ids []int) *el {
	sort.Ints(ids)
	set := elem("ID_SET")
	for i := 0; i < len(ids); {
		j := i
		for j+1 < len(ids) && ids[j+1] == ids[j]+1 {
			j++
		}
		if j-i >= 2 {
			set.add(leaf("ID_RANGE", fmt.Sprintf("%d-%d", ids[i], ids[j])))
		} else {
			for k := i; k <= j; k++ {
				set.add(leaf("ID", fmt.Sprint(ids[k])))
			}
		}
		i = j + 1
	}
	return set
}

// readForm renders a stored write value the way the read side spells it.
func readForm(f *resource.Field, v string) string {
	switch f.Type {
	case resource.Bool:
		on := v == "1"
		if f.BoolForm == resource.BoolTrueFalse {
			if on {
				return "true"
			}
			return "false"
		}
		if on {
			return "1"
		}
		return "0"
	case resource.Enum:
		best := ""
		for alias, canon := range f.ReadAliases {
			if strings.EqualFold(canon, v) && (len(alias) > len(best) || (len(alias) == len(best) && alias < best)) {
				best = alias
			}
		}
		if best != "" {
			v = best
			if strings.Contains(best, " ") {
				return titleWords(best)
			}
			return v
		}
		if f.TitleCase {
			return titleWords(v)
		}
		return v
	}
	return v
}

func titleWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// renderFields places the stored params of a record on its element tree
// through the field table's read paths.
func renderFields(rec *el, k *resource.Kind, params map[string]string, enumCDATA bool, skip func(*resource.Field) bool) {
	for _, f := range k.Fields {
		if f.WriteOnly() || f.Type == resource.IPs || f.Type == resource.VLANs || f.Type == resource.Routes {
			continue
		}
		if skip != nil && skip(f) {
			continue
		}
		v, set := params[f.Name]
		if !set {
			if f.Type == resource.Bool {
				v = "0"
			} else if f.Default != "" {
				v = f.Default
			} else if f.Type == resource.String {
				v = ""
			} else {
				continue
			}
		}
		path := f.XML[0]
		switch {
		case f.FromChild:
			node := rec.at(path)
			name := strings.ToUpper(v)
			for alias, canon := range f.ReadAliases {
				if canon == v {
					name = strings.ToUpper(alias)
				}
			}
			node.kids = append([]*el{elem(name)}, node.kids...)
		case f.Item != "":
			parent := rec.at(path)
			head, tail, nested := strings.Cut(f.Item, "/")
			for i, it := range splitList(v) {
				if nested {
					parent.nth(head, i).child(tail).text = it
				} else {
					parent.add(cdata(head, it))
				}
			}
		default:
			node := rec.at(path)
			node.text = readForm(f, v)
			node.cdata = f.Type == resource.String || f.Type == resource.Text || (f.Type == resource.Enum && enumCDATA) ||
				strings.HasPrefix(path, "DIGITAL_VAULT/")
		}
	}
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
