package qualys

import (
	"bytes"
	"strings"
)

// Node is a small element tree: one record of a list, decoded on its own so
// a big list streams with memory bounded by its largest record.
type Node struct {
	Name     string
	Text     string // character data and CDATA, trimmed
	Children []*Node
	Empty    bool // the element had no content at all (<IPV6_SLAAC />)
}

// Child returns the first child element with that name, or nil.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Path follows a slash-separated path of child names.
func (n *Node) Path(p string) *Node {
	for _, part := range strings.Split(p, "/") {
		n = n.Child(part)
		if n == nil {
			return nil
		}
	}
	return n
}

// All returns every element matching a slash-separated path below n, where
// each step may match several children.
func (n *Node) All(p string) []*Node {
	cur := []*Node{n}
	for _, part := range strings.Split(p, "/") {
		var next []*Node
		for _, c := range cur {
			for _, cc := range c.Children {
				if cc.Name == part {
					next = append(next, cc)
				}
			}
		}
		cur = next
	}
	return cur
}

// TextOf returns the trimmed text at path, or "".
func (n *Node) TextOf(p string) string {
	if c := n.Path(p); c != nil {
		return c.Text
	}
	return ""
}

// ParseNode decodes a whole small document (an error envelope, a write
// answer) into a tree rooted at its root element.
func ParseNode(b []byte) (*Node, error) {
	var root *Node
	_, err := walk(b, func(string) bool { return true }, func(n *Node) error { root = n; return nil })
	if err != nil {
		return nil, err
	}
	return root, nil
}

// sniffRoot returns the name of the first element of b, "" if there is
// none, and whether the body looks like HTML.
func sniffRoot(b []byte) (root string, html bool) {
	head := b
	if len(head) > 4096 {
		head = head[:4096]
	}
	lower := bytes.ToLower(bytes.TrimSpace(head))
	if bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) {
		return "html", true
	}
	p := &parser{b: prepare(head)}
	if p.prolog() != nil || p.i >= len(p.b) {
		return "", false
	}
	p.i++
	name, err := p.name()
	if err != nil {
		return "", false
	}
	if strings.EqualFold(name, "html") {
		return "html", true
	}
	return name, false
}
