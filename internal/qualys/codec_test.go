package qualys_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

// render turns decoded objects into stable JSON for golden comparison.
func render(t *testing.T, objs []*resource.Object) []byte {
	t.Helper()
	type obj struct {
		Kind, Title, ID  string
		Physical, System bool `json:",omitempty"`
		Values           map[string]any
	}
	var out []obj
	for _, o := range objs {
		k := cat.Kind(o.Kind)
		vals := map[string]any{}
		for n, v := range o.Values {
			vals[n] = resource.Display(k.Field(n), v)
		}
		out = append(out, obj{o.Kind, o.Title, o.ID, o.Physical, o.System, vals})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (run with -update after review):\n%s", name, got)
	}
}

func seed(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "seed", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenAuthLists(t *testing.T) {
	for _, typ := range []string{"mariadb", "jboss", "mysql", "tomcat"} {
		t.Run(typ, func(t *testing.T) {
			var objs []*resource.Object
			ws, err := qualys.DecodeAuthList(bytes.NewReader(seed(t, "auth_"+typ+"_list.xml")), cat.AuthKind(typ), func(o *resource.Object) error {
				objs = append(objs, o)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) != 0 {
				t.Errorf("warnings: %v", ws)
			}
			golden(t, "auth_"+typ+".json", render(t, objs))
		})
	}
}

func TestMissingListElementMeansZeroRecords(t *testing.T) {
	n := 0
	_, err := qualys.DecodeAuthList(bytes.NewReader(seed(t, "auth_unix_empty.xml")), cat.AuthKind("unix"), func(*resource.Object) error { n++; return nil })
	if err != nil || n != 0 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	// The wrong document for the kind is an error, not zero records.
	if _, err := qualys.DecodeAuthList(bytes.NewReader(seed(t, "auth_unix_empty.xml")), cat.AuthKind("windows"), func(*resource.Object) error { return nil }); err == nil {
		t.Error("unix list accepted as windows")
	}
}

func TestGoldenAuthIDs(t *testing.T) {
	ids, err := qualys.DecodeAuthIDs(seed(t, "auth_records.xml"))
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(ids))
	for k := range ids {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(ids[k], ","))
	}
	golden(t, "auth_records.txt", []byte(b.String()))
}

func TestGoldenAppliances(t *testing.T) {
	var objs []*resource.Object
	if err := qualys.DecodeAppliances(bytes.NewReader(seed(t, "appliance_list.xml")), func(o *resource.Object) error {
		objs = append(objs, o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// IPV6_NETWORK gives back the prefix the route was set with.
	var addrs []string
	for _, r := range objs[0].Values["routes"].([]resource.Route) {
		addrs = append(addrs, r.Name+"="+r.IPv6.Address)
	}
	if got := strings.Join(addrs, " "); got != "Name5=fdd1:0:1:107::500 Name1=fdd1:0:1:107::500/64" {
		t.Errorf("route addresses %s", got)
	}
	golden(t, "appliances.json", render(t, objs))
}

func TestGoldenOptionProfiles(t *testing.T) {
	var objs []*resource.Object
	if err := qualys.DecodeOptionProfiles(bytes.NewReader(seed(t, "option_profiles.xml")), cat, func(o *resource.Object) error {
		objs = append(objs, o)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	system := 0
	for _, o := range objs {
		if o.System {
			system++
		}
	}
	if system != 5 {
		t.Errorf("%d system profiles, want 5 (Initial Options has GROUP_TYPE user)", system)
	}
	golden(t, "option_profiles.json", render(t, objs))
}

func TestWriteAnswers(t *testing.T) {
	bs, err := qualys.DecodeBatchReturn(seed(t, "batch_return_create.xml"))
	if err != nil || len(bs) != 1 || bs[0].Text != "Successfully Created" || bs[0].IDs[0] != "284866" {
		t.Fatalf("batch: %+v %v", bs, err)
	}
	sr, err := qualys.DecodeSimpleReturn(seed(t, "simple_return_appliance.xml"))
	if err != nil || sr.Items["ID"] != "126209" {
		t.Fatalf("simple: %+v %v", sr, err)
	}
}

func TestTolerantDecoding(t *testing.T) {
	k := cat.AuthKind("unix")
	cases := map[string]string{
		"latin1":        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><AUTH_UNIX_LIST_OUTPUT><RESPONSE><AUTH_UNIX_LIST><AUTH_UNIX><ID>1</ID><TITLE>caf\xe9</TITLE><IP_SET><IP>10.0.0.1</IP></IP_SET></AUTH_UNIX></AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>",
		"control chars": "<AUTH_UNIX_LIST_OUTPUT><RESPONSE><AUTH_UNIX_LIST><AUTH_UNIX><ID>1</ID><TITLE>a\x01b</TITLE><COMMENTS><![CDATA[x\x0by]]></COMMENTS><IP_SET><IP>10.0.0.1</IP></IP_SET></AUTH_UNIX></AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>",
		"bad utf8":      "<AUTH_UNIX_LIST_OUTPUT><RESPONSE><AUTH_UNIX_LIST><AUTH_UNIX><ID>1</ID><TITLE>a\xffb</TITLE><IP_SET><IP>10.0.0.1</IP></IP_SET></AUTH_UNIX></AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>",
		"bom":           "\xEF\xBB\xBF<?xml version=\"1.0\"?><AUTH_UNIX_LIST_OUTPUT><RESPONSE><AUTH_UNIX_LIST><AUTH_UNIX><ID>1</ID><TITLE>bom</TITLE><IP_SET><IP>10.0.0.1</IP></IP_SET></AUTH_UNIX></AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>",
		"crlf entities": "<AUTH_UNIX_LIST_OUTPUT>\r\n<RESPONSE><AUTH_UNIX_LIST><AUTH_UNIX><ID>1</ID><TITLE>a &amp; b &#38; c</TITLE><IP_SET><IP>10.0.0.1</IP></IP_SET></AUTH_UNIX></AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>",
		"flags":         "<AUTH_UNIX_LIST_OUTPUT><RESPONSE><AUTH_UNIX_LIST><AUTH_UNIX><ID>1</ID><TITLE>t</TITLE><CLEARTEXT_PASSWORD>Yes</CLEARTEXT_PASSWORD><IP_SET><IP>10.0.0.1</IP></IP_SET></AUTH_UNIX></AUTH_UNIX_LIST></RESPONSE></AUTH_UNIX_LIST_OUTPUT>",
	}
	want := map[string]string{"latin1": "café", "control chars": "ab", "bad utf8": "a\uFFFDb", "flags": "t", "bom": "bom", "crlf entities": "a & b & c"}
	for name, doc := range cases {
		var got *resource.Object
		if _, err := qualys.DecodeAuthList(strings.NewReader(doc), k, func(o *resource.Object) error { got = o; return nil }); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got.Title != want[name] {
			t.Errorf("%s: title %q, want %q", name, got.Title, want[name])
		}
		if name == "flags" && got.Values["cleartext_password"] != true {
			t.Errorf("Yes read as %v", got.Values["cleartext_password"])
		}
	}
}

func TestErrorEnvelopeInsteadOfList(t *testing.T) {
	doc := `<SIMPLE_RETURN><RESPONSE><DATETIME>x</DATETIME><CODE>1965</CODE><TEXT>wait</TEXT><ITEM_LIST><ITEM><KEY>SECONDS_TO_WAIT</KEY><VALUE>30</VALUE></ITEM></ITEM_LIST></RESPONSE></SIMPLE_RETURN>`
	_, err := qualys.DecodeAuthList(strings.NewReader(doc), cat.AuthKind("unix"), func(*resource.Object) error { return nil })
	var ae *qualys.APIError
	if !errorsAs(err, &ae) || ae.Code != 1965 {
		t.Fatalf("err = %v", err)
	}
}
