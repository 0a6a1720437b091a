package qualys_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/resource"
)

func seedCorpus(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "seed", "*.xml"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(b)
		}
	}
}

// FuzzDecoders feeds arbitrary bytes to every XML decoder: they may refuse
// input, never panic or hang.
func FuzzDecoders(f *testing.F) {
	seedCorpus(f)
	f.Add([]byte("<SIMPLE_RETURN><RESPONSE><CODE>1965</CODE></RESPONSE></SIMPLE_RETURN>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, typ := range []string{"mariadb", "jboss", "mysql", "tomcat"} {
			qualys.DecodeAuthList(bytes.NewReader(b), cat.AuthKind(typ), func(*resource.Object) error { return nil })
		}
		qualys.DecodeAppliances(bytes.NewReader(b), func(*resource.Object) error { return nil })
		qualys.DecodeOptionProfiles(bytes.NewReader(b), cat, func(*resource.Object) error { return nil })
		qualys.DecodeAuthIDs(b)
		qualys.DecodeBatchReturn(b)
		qualys.DecodeSimpleReturn(b)
	})
}

// refTree parses b with encoding/xml, the reference reading.
func refTree(b []byte) (*qualys.Node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var build func(se xml.StartElement) (*qualys.Node, error)
	build = func(se xml.StartElement) (*qualys.Node, error) {
		n := &qualys.Node{Name: se.Name.Local}
		var text []byte
		saw := false
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				saw = true
				c, err := build(t)
				if err != nil {
					return nil, err
				}
				n.Children = append(n.Children, c)
			case xml.CharData:
				saw = saw || len(t) > 0
				text = append(text, t...)
			case xml.Comment, xml.ProcInst:
				saw = true
			case xml.EndElement:
				n.Text = string(bytes.TrimSpace(text))
				n.Empty = !saw
				return n, nil
			}
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			n, err := build(se)
			if err != nil {
				return nil, err
			}
			for {
				tok, err := d.Token()
				if err == io.EOF {
					return n, nil
				}
				if err != nil {
					return nil, err
				}
				if cd, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(cd)) > 0 {
					return nil, errors.New("text after root")
				}
				if _, ok := tok.(xml.StartElement); ok {
					return nil, errors.New("second root")
				}
			}
		}
	}
}

func sameTree(a, b *qualys.Node) bool {
	if a.Name != b.Name || a.Text != b.Text || len(a.Children) != len(b.Children) {
		return false
	}
	for i := range a.Children {
		if !sameTree(a.Children[i], b.Children[i]) {
			return false
		}
	}
	return true
}

// FuzzParserMatchesEncodingXML holds qsync's parser to encoding/xml: on any
// valid UTF-8 document without control characters that encoding/xml
// accepts, both must build the same tree.
func FuzzParserMatchesEncodingXML(f *testing.F) {
	seedCorpus(f)
	f.Add([]byte(`<a x="1"><b>t&amp;u&#65;</b><![CDATA[ c ]]><!-- x --><c/></a>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if !utf8.Valid(b) || bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }) {
			return
		}
		ref, err := refTree(b)
		if err != nil {
			return
		}
		got, err := qualys.ParseNode(b)
		if err != nil {
			t.Fatalf("encoding/xml accepts, qsync refuses: %v\n%q", err, b)
		}
		if !sameTree(ref, got) {
			t.Fatalf("trees differ for %q", b)
		}
	})
}
