package qualys

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
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

// newDecoder returns a decoder that tolerates what real responses carry:
// a missing XML declaration, a DOCTYPE naming a remote DTD (never fetched:
// encoding/xml does not resolve external entities), comments around the
// root, Latin-1 declarations and stray control characters.
func newDecoder(r io.Reader) *xml.Decoder {
	d := xml.NewDecoder(&sanitizer{r: bufio.NewReaderSize(r, 64<<10)})
	d.Strict = true
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "us-ascii", "ascii":
			return input, nil
		case "iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
			return &latin1Reader{r: bufio.NewReader(input)}, nil
		}
		return nil, fmt.Errorf("unsupported XML encoding %q", label)
	}
	return d
}

// sanitizer drops control characters that XML 1.0 forbids and replaces
// invalid UTF-8 with U+FFFD, so one bad byte in a comment field does not
// fail a whole list.
type sanitizer struct {
	r   *bufio.Reader
	buf []byte
}

func (s *sanitizer) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.buf) > 0 {
			c := copy(p[n:], s.buf)
			s.buf = s.buf[c:]
			n += c
			continue
		}
		r, size, err := s.r.ReadRune()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		switch {
		case r == utf8.RuneError && size == 1:
			s.buf = append(s.buf[:0], "\uFFFD"...)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
			// dropped
		case size == 1:
			p[n] = byte(r)
			n++
		default:
			s.buf = utf8.AppendRune(s.buf[:0], r)
		}
	}
	return n, nil
}

type latin1Reader struct{ r *bufio.Reader }

func (l *latin1Reader) Read(p []byte) (int, error) {
	n := 0
	for n+utf8.UTFMax <= len(p) {
		b, err := l.r.ReadByte()
		if err != nil {
			if n > 0 {
				return n, nil
			}
			return 0, err
		}
		n += utf8.EncodeRune(p[n:], rune(b))
	}
	if n == 0 {
		return 0, io.ErrShortBuffer
	}
	return n, nil
}

// decodeNode reads the element that start opened, up to its end.
func decodeNode(d *xml.Decoder, start xml.StartElement) (*Node, error) {
	n := &Node{Name: start.Name.Local}
	var text strings.Builder
	sawContent := false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("in <%s>: %w", n.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			sawContent = true
			c, err := decodeNode(d, t)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, c)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 || len(t) > 0 {
				sawContent = sawContent || len(t) > 0
			}
			text.Write(t)
		case xml.EndElement:
			n.Text = strings.TrimSpace(text.String())
			n.Empty = !sawContent
			return n, nil
		}
	}
}

// ParseNode decodes a whole small document (an error envelope, a write
// answer) into a tree rooted at its root element.
func ParseNode(b []byte) (*Node, error) {
	d := newDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("no root element")
			}
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return decodeNode(d, se)
		}
	}
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
	d := newDecoder(bytes.NewReader(b))
	for {
		tok, err := d.Token()
		if err != nil {
			return "", false
		}
		if se, ok := tok.(xml.StartElement); ok {
			if strings.EqualFold(se.Name.Local, "html") {
				return "html", true
			}
			return se.Name.Local, false
		}
	}
}
