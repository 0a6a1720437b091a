package resource

import (
	"reflect"
	"strings"
	"testing"
)

func TestIPSetNormalisation(t *testing.T) {
	equal := [][2][]string{
		{{"10.0.0.0/30"}, {"10.0.0.0-10.0.0.3"}},
		{{"10.0.0.1", "10.0.0.2", "10.0.0.3"}, {"10.0.0.1-10.0.0.3"}},
		{{"10.0.0.1-10.0.0.5", "10.0.0.3-10.0.0.9"}, {"10.0.0.1-10.0.0.9"}},
		{{"10.0.0.1,10.0.0.2"}, {"10.0.0.2", "10.0.0.1"}},
		{{"2001:db8::/126"}, {"2001:db8::-2001:db8::3"}},
		{{"2001:DB8:0:0::1"}, {"2001:db8::1"}},
		{{"::ffff:10.0.0.1"}, {"10.0.0.1"}},
		{{"10.0.0.255", "10.0.1.0"}, {"10.0.0.255-10.0.1.0"}},
	}
	for _, c := range equal {
		a, b := MustIPSet(c[0]...), MustIPSet(c[1]...)
		if !a.Equal(b) {
			t.Errorf("%v != %v (%s vs %s)", c[0], c[1], a, b)
		}
	}
	differ := [][2][]string{
		{{"10.0.0.0/30"}, {"10.0.0.0-10.0.0.4"}},
		{{"10.0.0.1"}, {"::ffff:10.0.0.2"}},
		{{"10.0.0.1"}, {"2001:db8::1"}},
	}
	for _, c := range differ {
		if MustIPSet(c[0]...).Equal(MustIPSet(c[1]...)) {
			t.Errorf("%v == %v", c[0], c[1])
		}
	}
	// IPv4 and IPv6 never merge, even when adjacent in the address space.
	if s := MustIPSet("255.255.255.255", "::").Strings(); len(s) != 2 {
		t.Errorf("families merged: %v", s)
	}
	for _, bad := range []string{"10.0.0.256", "10.0.0.5-10.0.0.1", "10.0.0.1-2001:db8::1", "10.0.0.0/33", "x"} {
		if _, err := ParseIPSet([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestIPSetAlgebra(t *testing.T) {
	a := MustIPSet("10.0.0.0-10.0.0.100", "2001:db8::/120")
	b := MustIPSet("10.0.0.50-10.0.0.60", "10.0.0.100", "2001:db8::80/121")
	got := a.Minus(b).String()
	want := "10.0.0.0-10.0.0.49,10.0.0.61-10.0.0.99,2001:db8::-2001:db8::7f"
	if got != want {
		t.Errorf("minus = %s, want %s", got, want)
	}
	if !a.Minus(b).Union(b).Equal(a.Union(b)) {
		t.Error("(a-b)+b != a+b")
	}
	if !a.Overlaps(b) || a.Minus(b).Overlaps(b) {
		t.Error("overlap")
	}
	if n := MustIPSet("10.0.0.0/24").Count().String(); n != "256" {
		t.Errorf("count %s", n)
	}
}

// The set_vlans and set_routes samples of the release notes.
func TestSeedWireFormats(t *testing.T) {
	vlans := "1234| | |Name1234|ipv6_static|fdd1:0:1:108::500,3456|12.12.12.12|255.255.255.0|Name3456|ipv6_static|fdd1:0:1:107::500,2078|123.123.123.123|255.255.255.255|Name2078,4012|244.244.244.244|255.255.255.0|Name4012|ipv6_auto"
	vs, err := DecodeVLANs(vlans)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 || vs[0].IPv4 != nil || vs[0].IPv6.Address != "fdd1:0:1:108::500" || vs[3].IPv6.Mode != "auto" || vs[2].IPv6 != nil {
		t.Fatalf("decoded %+v", vs)
	}
	if enc := EncodeVLANs(vs); enc != vlans {
		t.Errorf("round trip:\n%s\n%s", enc, vlans)
	}
	routes := "192.0.0.0|255.255.255.0|10.100.11.157|Name2,192.167.0.0|255.255.0.0|10.100.11.157|Name5|fdd1:0:1:107::500|2001:470:8418:280d::1, | | |Name1|fdd1:0:1:107::500/64|2001:470:8418:280d::1"
	rs, err := DecodeRoutes(routes)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[2].IPv4 != nil || rs[2].IPv6.Address != "fdd1:0:1:107::500/64" || rs[1].IPv4 == nil || rs[1].IPv6 == nil {
		t.Fatalf("decoded %+v", rs)
	}
	if enc := EncodeRoutes(rs); enc != routes {
		t.Errorf("round trip:\n%s\n%s", enc, routes)
	}
}

func TestNetworkRules(t *testing.T) {
	bad := []string{
		"65536|1.1.1.1|255.0.0.0|n",
		"-1|1.1.1.1|255.0.0.0|n",
		"1|1.1.1.1|255.0.0.0|a,b",
		"1| | |n|ipv6_static",
		"1| | |n|ipv6_auto|fd00::1",
		"1|1.1.1|255.0.0.0|n",
		"1| | |n|ipv6_static|10.0.0.1",
		"1| | |bad=name|ipv6_auto",
		"1| | |" + strings.Repeat("x", 257) + "|ipv6_auto",
	}
	for _, b := range bad {
		if _, err := DecodeVLANs(b); err == nil {
			t.Errorf("accepted %q", b)
		}
	}
	if _, err := DecodeVLANs("0| | |n:with:colons|ipv6_auto"); err != nil {
		t.Errorf("colon in name refused: %v", err)
	}
	if err := ValidateNetName("é"); err == nil {
		t.Error("non-ASCII name accepted")
	}
}

func TestIPv6TextFormsCompareCanonically(t *testing.T) {
	f := Default().Kind("appliances").Field("vlans")
	a, err := Canonical(f, []VLAN{{ID: 1, IPv6: &VLANIPv6{Mode: "static", Address: "FDD1:0000:0001:0107:0000:0000:0000:0500"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Canonical(f, []VLAN{{ID: 1, IPv6: &VLANIPv6{Mode: "static", Address: "fdd1:0:1:107::500"}}})
	if !Equal(f, a, b) {
		t.Errorf("%v != %v", a, b)
	}
	r := Default().Kind("appliances").Field("routes")
	x, _ := Canonical(r, []Route{{Name: "a", IPv6: &RouteIPv6{Address: "fdd1:0:1:107:0::500/64", Gateway: "2001:470:8418:280D::1"}}, {Name: "b", IPv4: &RouteIPv4{"10.0.0.0", "255.0.0.0", "10.0.0.1"}}})
	y, _ := Canonical(r, []Route{{Name: "b", IPv4: &RouteIPv4{"10.0.0.0", "255.0.0.0", "10.0.0.1"}}, {Name: "a", IPv6: &RouteIPv6{Address: "fdd1:0:1:107::500/64", Gateway: "2001:470:8418:280d::1"}}})
	if !Equal(r, x, y) {
		t.Errorf("route order or IPv6 text mattered: %v vs %v", x, y)
	}
}

func TestReadNormalisers(t *testing.T) {
	vm := Default().Kind("option_profiles/vm")
	cases := []struct {
		field string
		raw   []string
		want  any
	}{
		{"scan_overall_performance", []string{"High"}, "high"},
		{"scan_packet_delay", []string{" Short "}, "short"},
		{"basic_information_gathering", []string{"Registered Hosts"}, "register"},
		{"global", []string{"Yes"}, true},
		{"global", []string{""}, false},
		{"global", []string{"true"}, true},
		{"authentication", []string{"windows, Unix,MySQL"}, []string{"MySQL", "Unix", "Windows"}},
		{"scan_tcp_ports_additional", []string{"443, 80,8080,80"}, []int{80, 443, 8080}},
		{"map_netblock_size", []string{"16384 ips"}, "16384 IPs"},
	}
	for _, c := range cases {
		v, ok, err := ParseRead(vm.Field(c.field), c.raw, true)
		if err != nil || !ok || !reflect.DeepEqual(v, c.want) {
			t.Errorf("%s %q -> %#v %v %v, want %#v", c.field, c.raw, v, ok, err, c.want)
		}
	}
	jb := Default().Kind("auth/jboss").Field("unix_working_mode")
	if v, _, _ := ParseRead(jb, []string{"false"}, true); v != "standalone_mode" {
		t.Errorf("DOMAIN_MODE false -> %v", v)
	}
	lt := Default().Kind("auth/mysql").Field("login_type")
	if v, ok, _ := ParseRead(lt, nil, false); !ok || v != "basic" {
		t.Errorf("absent LOGIN_TYPE -> %v %v, want the default basic", v, ok)
	}
	port := Default().Kind("auth/mysql").Field("port")
	if _, ok, _ := ParseRead(port, nil, false); ok {
		t.Error("absent PORT read as known")
	}
}

func TestFieldTableInvariants(t *testing.T) {
	for _, k := range Default().Kinds() {
		for _, f := range k.Fields {
			if f.Type == Secret && len(f.XML) > 0 {
				t.Errorf("%s.%s: a secret has a read path", k.Name, f.Name)
			}
			if f.Type == Enum && f.Default != "" {
				if _, err := CanonicalEnum(f, f.Default); err != nil {
					t.Errorf("%s.%s: default %q not in the enumeration", k.Name, f.Name, f.Default)
				}
			}
			for alias, canon := range f.ReadAliases {
				if alias != strings.ToLower(alias) {
					t.Errorf("%s.%s: alias %q is not lowercase", k.Name, f.Name, alias)
				}
				if _, err := CanonicalEnum(&Field{Enum: f.Enum}, canon); err != nil {
					t.Errorf("%s.%s: alias target %q not in the enumeration", k.Name, f.Name, canon)
				}
			}
		}
	}
}

func FuzzVLANCodec(f *testing.F) {
	f.Add("1234| | |Name1234|ipv6_static|fdd1:0:1:108::500,2078|123.123.123.123|255.255.255.255|Name2078")
	f.Add("4012|244.244.244.244|255.255.255.0|Name4012|ipv6_auto")
	f.Fuzz(func(t *testing.T, s string) {
		vs, err := DecodeVLANs(s)
		if err != nil {
			return
		}
		again, err := DecodeVLANs(EncodeVLANs(vs))
		if err != nil || !reflect.DeepEqual(normVLANs(vs), normVLANs(again)) {
			t.Fatalf("round trip of %q: %v %+v %+v", s, err, vs, again)
		}
	})
}

func normVLANs(v []VLAN) []VLAN {
	c, _ := CanonicalVLANs(v)
	return c
}

func FuzzRouteCodec(f *testing.F) {
	f.Add("192.0.0.0|255.255.255.0|10.100.11.157|Name2, | | |Name1|fdd1:0:1:107::500/64|2001:470:8418:280d::1")
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := DecodeRoutes(s)
		if err != nil {
			return
		}
		again, err := DecodeRoutes(EncodeRoutes(rs))
		a, _ := CanonicalRoutes(rs)
		b, _ := CanonicalRoutes(again)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip of %q: %v", s, err)
		}
	})
}

func FuzzIPSet(f *testing.F) {
	f.Add("10.0.0.1-10.0.0.9", "10.0.0.5")
	f.Add("2001:db8::/64", "2001:db8::1-2001:db8::ff")
	f.Fuzz(func(t *testing.T, x, y string) {
		a, err1 := ParseIPSet([]string{x})
		b, err2 := ParseIPSet([]string{y})
		if err1 != nil || err2 != nil {
			return
		}
		if r, err := ParseIPSet(a.Strings()); err != nil || !r.Equal(a) {
			t.Fatalf("%q does not re-parse to itself", a)
		}
		if !a.Minus(b).Union(a.Minus(a.Minus(b))).Equal(a) {
			t.Fatalf("(a-b) + (a∩b) != a for %q %q", x, y)
		}
		if a.Minus(b).Overlaps(b) {
			t.Fatalf("a-b overlaps b for %q %q", x, y)
		}
	})
}
