package qualys

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a small XML parser for Qualys answers: elements, attributes
// (skipped), character data with the predefined and numeric entities,
// CDATA, comments, processing instructions and a DOCTYPE (never resolved).
// It works on the whole body in memory, which the client holds anyway,
// and is several times faster than encoding/xml's tokenizer; a
// differential fuzz test holds it to encoding/xml's reading of any
// document both accept.

// prepare turns a body into clean UTF-8: Latin-1 declarations are
// converted, forbidden control characters dropped and invalid UTF-8
// replaced with U+FFFD. Clean input is returned as is.
func prepare(b []byte) []byte {
	head := b
	if len(head) > 256 {
		head = head[:256]
	}
	if singleByteDecl.Match(head) {
		out := make([]byte, 0, len(b)+len(b)/8)
		for _, c := range b {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				continue
			}
			out = utf8.AppendRune(out, rune(c))
		}
		return out
	}
	if clean(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, "\uFFFD"...)
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r':
		default:
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

var singleByteDecl = regexp.MustCompile(`(?i)^\s*<\?xml[^>]*encoding=["'](iso-8859-1|latin-?1|windows-1252|cp1252)["']`)

func clean(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return utf8.Valid(b)
}

type parser struct {
	b []byte
	i int
}

func (p *parser) errf(format string, args ...any) error {
	line := 1 + bytes.Count(p.b[:min(p.i, len(p.b))], []byte{'\n'})
	return fmt.Errorf("XML syntax error on line %d: %s", line, fmt.Sprintf(format, args...))
}

func (p *parser) has(prefix string) bool { return bytes.HasPrefix(p.b[p.i:], []byte(prefix)) }

// skipUntil moves past the next occurrence of end.
func (p *parser) skipUntil(end string) error {
	j := bytes.Index(p.b[p.i:], []byte(end))
	if j < 0 {
		return p.errf("unterminated construct, want %q", end)
	}
	p.i += j + len(end)
	return nil
}

func isNameByte(c byte, first bool) bool {
	switch {
	case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '_', c == ':', c >= 0x80:
		return true
	case !first && (c >= '0' && c <= '9' || c == '-' || c == '.'):
		return true
	}
	return false
}

func (p *parser) name() (string, error) {
	start := p.i
	for p.i < len(p.b) && isNameByte(p.b[p.i], p.i == start) {
		p.i++
	}
	if p.i == start {
		return "", p.errf("expected a name")
	}
	n := string(p.b[start:p.i])
	if i := strings.IndexByte(n, ':'); i >= 0 {
		n = n[i+1:] // local name, as encoding/xml reports it
	}
	return n, nil
}

func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// startTag parses after '<': the name, attributes, and '>' or '/>'.
func (p *parser) startTag() (name string, selfClosing bool, err error) {
	if name, err = p.name(); err != nil {
		return
	}
	for {
		p.space()
		if p.i >= len(p.b) {
			return "", false, p.errf("unexpected EOF in <%s>", name)
		}
		switch p.b[p.i] {
		case '>':
			p.i++
			return name, false, nil
		case '/':
			if p.i+1 < len(p.b) && p.b[p.i+1] == '>' {
				p.i += 2
				return name, true, nil
			}
			return "", false, p.errf("unexpected / in <%s>", name)
		}
		if _, err = p.name(); err != nil {
			return
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != '=' {
			return "", false, p.errf("attribute without value in <%s>", name)
		}
		p.i++
		p.space()
		if p.i >= len(p.b) || (p.b[p.i] != '"' && p.b[p.i] != '\'') {
			return "", false, p.errf("unquoted attribute in <%s>", name)
		}
		q := p.b[p.i]
		j := bytes.IndexByte(p.b[p.i+1:], q)
		if j < 0 {
			return "", false, p.errf("unterminated attribute in <%s>", name)
		}
		if bytes.IndexByte(p.b[p.i+1:p.i+1+j], '<') >= 0 {
			return "", false, p.errf("< in attribute value")
		}
		p.i += j + 2
	}
}

var entities = map[string]string{"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'"}

// text appends character data up to the next '<', decoding entities.
func (p *parser) text(out *[]byte) error {
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch c {
		case '<':
			return nil
		case '&':
			j := bytes.IndexByte(p.b[p.i:], ';')
			if j < 0 || j > 12 {
				return p.errf("invalid character entity")
			}
			ent := string(p.b[p.i+1 : p.i+j])
			if v, ok := entities[ent]; ok {
				*out = append(*out, v...)
			} else if strings.HasPrefix(ent, "#") {
				var n uint64
				var err error
				if strings.HasPrefix(ent, "#x") {
					n, err = strconv.ParseUint(ent[2:], 16, 32)
				} else {
					n, err = strconv.ParseUint(ent[1:], 10, 32)
				}
				if err != nil || !isXMLChar(rune(n)) {
					return p.errf("invalid character entity &%s;", ent)
				}
				*out = utf8.AppendRune(*out, rune(n))
			} else {
				return p.errf("invalid character entity &%s;", ent)
			}
			p.i += j + 1
		case '\r':
			// XML normalises CR and CRLF to LF.
			*out = append(*out, '\n')
			p.i++
			if p.i < len(p.b) && p.b[p.i] == '\n' {
				p.i++
			}
		case ']':
			if p.has("]]>") {
				return p.errf("unescaped ]]> not in CDATA section")
			}
			*out = append(*out, c)
			p.i++
		default:
			*out = append(*out, c)
			p.i++
		}
	}
	return nil
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// element parses the content of an element whose start tag was read.
func (p *parser) element(name string, selfClosing bool, depth int) (*Node, error) {
	n := &Node{Name: name}
	if selfClosing {
		n.Empty = true
		return n, nil
	}
	if depth > 256 {
		return nil, p.errf("elements nested too deep")
	}
	var text []byte
	saw := false
	for {
		start := p.i
		if err := p.text(&text); err != nil {
			return nil, err
		}
		saw = saw || p.i > start
		if p.i >= len(p.b) {
			return nil, p.errf("unexpected EOF in <%s>", name)
		}
		if p.has("</") {
			if err := p.endTag(name); err != nil {
				return nil, err
			}
			n.Text = string(bytes.TrimSpace(text))
			n.Empty = !saw
			return n, nil
		}
		if handled, content, err := p.misc(&text); err != nil {
			return nil, err
		} else if handled {
			saw = saw || content
			continue
		}
		{
			p.i++
			cn, sc, err := p.startTag()
			if err != nil {
				return nil, err
			}
			c, err := p.element(cn, sc, depth+1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, c)
			saw = true
		}
	}
}

// prolog skips what may precede the root: declaration, comments,
// processing instructions, whitespace and a DOCTYPE (with an internal
// subset, which is skipped, never resolved).
func (p *parser) prolog() error {
	for {
		p.space()
		switch {
		case p.i >= len(p.b):
			return errors.New("empty document")
		case p.has("<?"):
			if err := p.skipUntil("?>"); err != nil {
				return err
			}
		case p.has("<!--"):
			p.i += 4
			if err := p.skipUntil("-->"); err != nil {
				return err
			}
		case p.has("<!"):
			if err := p.directive(); err != nil {
				return err
			}
		case p.b[p.i] == '<':
			return nil
		default:
			// Stray text before the root (seen after proxies' banners):
			// skipped, as encoding/xml does.
			j := bytes.IndexByte(p.b[p.i:], '<')
			if j < 0 {
				return errors.New("no root element")
			}
			p.i += j
		}
	}
}

// endTag parses "</name>" and checks it closes the element open.
func (p *parser) endTag(open string) error {
	p.i += 2
	end, err := p.name()
	if err != nil {
		return err
	}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '>' {
		return p.errf("invalid end tag </%s", end)
	}
	p.i++
	if end != open {
		return p.errf("element <%s> closed by </%s>", open, end)
	}
	return nil
}

// misc consumes markup other than elements at p.i: CDATA (appended to
// text when text is not nil), comments, processing instructions and
// directives. handled is false at a start tag; content says the markup
// counts as element content.
func (p *parser) misc(text *[]byte) (handled, content bool, err error) {
	switch {
	case p.has("<![CDATA["):
		p.i += len("<![CDATA[")
		j := bytes.Index(p.b[p.i:], []byte("]]>"))
		if j < 0 {
			return true, false, p.errf("unterminated CDATA section")
		}
		if text != nil {
			*text = append(*text, bytes.ReplaceAll(p.b[p.i:p.i+j], []byte("\r\n"), []byte("\n"))...)
		}
		p.i += j + 3
		return true, true, nil
	case p.has("<!--"):
		p.i += 4
		return true, true, p.skipUntil("-->")
	case p.has("<?"):
		return true, true, p.skipUntil("?>")
	case p.has("<!"):
		return true, false, p.directive()
	}
	return false, false, nil
}

// directive skips a <!...> declaration (DOCTYPE and the like), nested
// angle brackets, quotes and comments included; it is never resolved.
func (p *parser) directive() error {
	// The first character after "<!" is the directive's name, never a
	// quote or a bracket (as encoding/xml reads it).
	p.i += 3
	depth := 0
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case p.has("<!--"):
			p.i += 4
			if err := p.skipUntil("-->"); err != nil {
				return err
			}
			continue
		case c == '"' || c == '\'':
			j := bytes.IndexByte(p.b[p.i+1:], c)
			if j < 0 {
				return p.errf("unterminated quote in directive")
			}
			p.i += j + 2
			continue
		case c == '<':
			depth++
		case c == '>':
			if depth == 0 {
				p.i++
				return nil
			}
			depth--
		}
		p.i++
	}
	return p.errf("unterminated directive")
}

// epilog checks that only comments, PIs and whitespace follow the root.
func (p *parser) epilog() error {
	for {
		p.space()
		switch {
		case p.i >= len(p.b):
			return nil
		case p.has("<!--"):
			p.i += 4
			if err := p.skipUntil("-->"); err != nil {
				return err
			}
		case p.has("<?"):
			if err := p.skipUntil("?>"); err != nil {
				return err
			}
		default:
			return p.errf("content after the root element")
		}
	}
}

// walk parses the document, handing every element named in want to fn
// as a tree and descending through all others. It returns the root name.
func walk(b []byte, want func(name string) bool, fn func(*Node) error) (string, error) {
	p := &parser{b: prepare(b)}
	if err := p.prolog(); err != nil {
		return "", err
	}
	p.i++
	root, sc, err := p.startTag()
	if err != nil {
		return "", err
	}
	if want(root) || sc {
		n, err := p.element(root, sc, 0)
		if err != nil {
			return root, err
		}
		if want(root) {
			if err := fn(n); err != nil {
				return root, err
			}
		}
		return root, p.epilog()
	}
	// Descend through wrapper elements with an explicit stack.
	stack := []string{root}
	var discard []byte
	for len(stack) > 0 {
		discard = discard[:0]
		if err := p.text(&discard); err != nil {
			return root, err
		}
		if p.i >= len(p.b) {
			return root, p.errf("unexpected EOF in <%s>", stack[len(stack)-1])
		}
		if p.has("</") {
			if err := p.endTag(stack[len(stack)-1]); err != nil {
				return root, err
			}
			stack = stack[:len(stack)-1]
			continue
		}
		if handled, _, err := p.misc(nil); err != nil {
			return root, err
		} else if handled {
			continue
		}
		{
			p.i++
			name, sc, err := p.startTag()
			if err != nil {
				return root, err
			}
			if want(name) {
				n, err := p.element(name, sc, len(stack))
				if err != nil {
					return root, err
				}
				if err := fn(n); err != nil {
					return root, err
				}
			} else if !sc {
				if len(stack) > 256 {
					return root, p.errf("elements nested too deep")
				}
				stack = append(stack, name)
			}
		}
	}
	return root, p.epilog()
}
