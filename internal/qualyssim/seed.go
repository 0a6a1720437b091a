package qualyssim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/qsync/qsync/internal/resource"
)

// DemoState is the demo subscription, built from the samples of the API
// release notes: MariaDB 284866, JBoss 296004, MySQL 284212 with vault
// login, the Unix and Windows IDs of the auth list sample, the five system
// option profiles 5486-5490 with user VM, PCI and PC profiles, and
// appliance 126209 with its four VLANs and two routes, plus a physical one.
func DemoState(now time.Time) *State {
	st := newState()
	created := time.Date(2018, 7, 17, 21, 56, 47, 0, time.UTC)
	add := func(typ string, id int, title string, ips []string, params map[string]string) {
		st.Auth[typ][id] = &authRecord{ID: id, Title: title, Params: params, IPs: ips, Created: created, Modified: created, By: "seenu_yn"}
	}
	add("mariadb", 284866, "MariaDB_Auth1", []string{"10.10.31.86"}, map[string]string{
		"username": "root", "password": "(set)", "database": "mariadb", "port": "22", "login_type": "basic",
		"ssl_verify": "0", "windows_config_file": "", "unix_config_file": "/etc/my.cnf"})
	add("mysql", 284212, "api-Thycotic Secret Server_tss", []string{"10.10.10.181"}, map[string]string{
		"username": "test_tss", "database": "mysql", "port": "22", "hosts": "www.test.com", "login_type": "vault",
		"vault_type": "Thycotic Secret Server", "vault_id": "166638", "secret_name": "Secret", "ssl_verify": "1",
		"windows_config_file": `C:\mysql\myu.ini`, "unix_config_file": "", "comments": "test comments"})
	add("jboss", 296004, "jbos_rec", []string{"10.10.10.224"}, map[string]string{
		"windows_working_mode": "domain_controller_mode", "windows_home_path": `c:\`, "windows_base_path": `c:\`,
		"windows_conf_dir_path": `c:\`, "windows_conf_file_path": `c:\`, "windows_conf_host_file_path": `c:\`,
		"comment": "record creation"})
	add("unix", 195368, "Linux web servers", []string{"10.10.20.1-10.10.20.50"}, map[string]string{
		"username": "qualys", "password": "(set)", "port": "22", "cleartext_password": "0", "login_type": "basic"})
	add("unix", 195385, "Break-glass Unix", []string{"10.10.21.5"}, map[string]string{
		"username": "root", "password": "(set)", "login_type": "basic", "comments": "emergency access, never delete"})
	for i, id := range []int{243033, 243418, 243419, 243420, 246432} {
		add("windows", id, fmt.Sprintf("Windows domain %d", i+1), []string{fmt.Sprintf("10.20.%d.0-10.20.%d.255", i, i)}, map[string]string{
			"username": "svc_qualys", "password": "(set)", "windows_domain": "CORP", "ntlm": "0", "kerberos": "1", "ntlmv2": "1", "login_type": "basic"})
	}
	add("postgresql", 290001, "Postgres prod", []string{"10.30.0.10", "10.30.0.11"}, map[string]string{
		"username": "qualys", "password": "(set)", "database": "postgres", "port": "5432", "login_type": "basic"})

	sys := []struct {
		id          int
		title, gt   string
		def         bool
		tcp, udp    string
		performance string
	}{
		{5486, "Initial Options", "user", true, "standard", "standard", "normal"},
		{5487, "Qualys Top 20 Options", "rv10", false, "standard", "standard", "normal"},
		{5488, "2008 SANS20 Options", "sans20", false, "standard", "standard", "normal"},
		{5489, "Payment Card Industry (PCI) Options", "pci", false, "full", "standard", "normal"},
		{5490, "Initial PC Options", "compliance", false, "standard", "none", "normal"},
	}
	upd := time.Date(2016, 8, 30, 5, 50, 0, 0, time.UTC)
	for _, s := range sys {
		typ := map[string]string{"user": "vm", "rv10": "vm", "sans20": "vm", "pci": "pci", "compliance": "pc"}[s.gt]
		p := defaultProfileParams("vm")
		p["scan_tcp_ports"], p["scan_udp_ports"], p["scan_overall_performance"], p["global"] = s.tcp, s.udp, s.performance, "1"
		if s.def {
			p["default"] = "1"
		}
		st.Profiles[s.id] = &profile{ID: s.id, Type: typ, GroupType: s.gt, System: true, Title: s.title, Params: p, Updated: upd}
	}
	vm := defaultProfileParams("vm")
	for k, v := range map[string]string{"scan_tcp_ports": "full", "scan_udp_ports": "standard", "global": "1",
		"authentication": "Unix,Windows", "scan_overall_performance": "normal"} {
		vm[k] = v
	}
	st.Profiles[32112] = &profile{ID: 32112, Type: "vm", GroupType: "user", Title: "Standard VM scan", Params: vm, Updated: upd}
	vm2 := defaultProfileParams("vm")
	vm2["scan_tcp_ports"], vm2["scan_overall_performance"] = "light", "low"
	st.Profiles[32120] = &profile{ID: 32120, Type: "vm", GroupType: "user", Title: "Legacy light scan", Params: vm2, Updated: upd}
	pci := defaultProfileParams("pci")
	pci["global"], pci["offline_scanner"], pci["scan_parallel_scaling"], pci["scan_overall_performance"] = "1", "1", "1", "high"
	st.Profiles[32113] = &profile{ID: 32113, Type: "pci", GroupType: "pci", Title: "PCI quarterly", Params: pci, Updated: upd}
	pc := defaultProfileParams("pc")
	pc["global"], pc["scan_parallel_scaling"], pc["scan_overall_performance"], pc["scan_by_policy"], pc["policy_names"], pc["scan_ports"] =
		"1", "1", "high", "1", "jp2", "standard"
	st.Profiles[39044] = &profile{ID: 39044, Type: "pc", GroupType: "compliance", Title: "PC baseline", Params: pc, Updated: upd}

	st.Appliances[126209] = &appliance{ID: 126209, UUID: "bfa1e0c7-2b7b-4e1c-9a3c-5e0c9a1b2c3d", Name: "scanner-01", Model: "vSA",
		VLANs: []simVLAN{
			{ID: 3456, Name: "Name3456", IPv4: "12.12.12.12", Netmask: "255.255.255.0", IPv6: "fdd1:0:1:107::500"},
			{ID: 9012, Name: "Name9012", IPv4: "244.244.244.244", Netmask: "255.255.255.0", SLAAC: true},
			{ID: 5678, Name: "Name5678", IPv4: "123.123.123.123", Netmask: "255.255.255.255"},
			{ID: 1234, Name: "Name1234", IPv6: "fdd1:0:1:108::500"},
		},
		Routes: []simRoute{
			{Name: "Name1", IPv6Address: "fdd1:0:1:107::500", IPv6Prefix: "64", IPv6Gateway: "2001:470:8418:280d::1"},
			{Name: "Name5", IPv6Address: "fdd1:0:1:107::500", IPv6Gateway: "2001:470:8418:280d::1"},
		}}
	st.Appliances[126300] = &appliance{ID: 126300, UUID: "0c1d2e3f-4a5b-6c7d-8e9f-a0b1c2d3e4f5", Name: "scanner-dc2", Physical: true, Model: "QGSA-5120-A1",
		VLANs:  []simVLAN{{ID: 100, Name: "dc2-servers", IPv4: "10.50.0.5", Netmask: "255.255.255.0"}},
		Routes: []simRoute{{Name: "dc2-default", IPv4: "10.60.0.0", Netmask: "255.255.0.0", Gateway: "10.50.0.1"}}}
	st.NextID = 300000
	return st
}

// node is the simulator's own generic XML tree for reading snapshots.
type node struct {
	XMLName xml.Name
	Content string `xml:",chardata"`
	Nodes   []node `xml:",any"`
}

func (n *node) child(name string) *node {
	for i := range n.Nodes {
		if n.Nodes[i].XMLName.Local == name {
			return &n.Nodes[i]
		}
	}
	return nil
}

func (n *node) path(p string) *node {
	for _, part := range strings.Split(p, "/") {
		if n = n.child(part); n == nil {
			return nil
		}
	}
	return n
}

func (n *node) text(p string) string {
	if c := n.path(p); c != nil {
		return strings.TrimSpace(c.Content)
	}
	return ""
}

func parseDoc(b []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var n node
	if err := d.Decode(&n); err != nil {
		return nil, err
	}
	return &n, nil
}

// writeValue turns read-back text into the stored write form.
func writeValue(f *resource.Field, n *node, el *node) string {
	switch {
	case f.Type == resource.Bool:
		switch strings.ToLower(strings.TrimSpace(el.Content)) {
		case "1", "true", "yes":
			return "1"
		}
		return "0"
	case f.FromChild:
		for _, c := range el.Nodes {
			name := strings.ToLower(c.XMLName.Local)
			if a, ok := f.ReadAliases[name]; ok {
				return a
			}
			for _, e := range f.Enum {
				if e == name {
					return e
				}
			}
		}
		return ""
	case f.Item != "":
		head, tail, nested := strings.Cut(f.Item, "/")
		var items []string
		for _, c := range el.Nodes {
			if c.XMLName.Local != head {
				continue
			}
			if nested {
				items = append(items, c.text(tail))
			} else {
				items = append(items, strings.TrimSpace(c.Content))
			}
		}
		return strings.Join(items, ",")
	case f.Type == resource.Enum:
		v := strings.TrimSpace(el.Content)
		if a, ok := f.ReadAliases[strings.ToLower(v)]; ok {
			return a
		}
		for _, e := range f.Enum {
			if strings.EqualFold(e, v) {
				return e
			}
		}
		return v
	}
	return strings.TrimSpace(el.Content)
}

func readParams(k *resource.Kind, rec *node) map[string]string {
	params := map[string]string{}
	for _, f := range k.Fields {
		if f.WriteOnly() || f.Type == resource.IPs || f.Type == resource.VLANs || f.Type == resource.Routes {
			continue
		}
		for _, p := range f.XML {
			if el := rec.path(p); el != nil {
				params[f.Name] = writeValue(f, rec, el)
				break
			}
		}
	}
	return params
}

// LoadSnapshot builds a state from a snapshot directory: auth/<type>.xml,
// option_profiles.xml and appliances.xml, each optional.
func LoadSnapshot(dir string) (*State, error) {
	st := newState()
	cat := resource.Default()
	maxID := 0
	bump := func(id int) {
		if id > maxID {
			maxID = id
		}
	}
	for _, t := range resource.AuthTypes {
		k := cat.AuthKind(t)
		b, err := os.ReadFile(filepath.Join(dir, "auth", t+".xml"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		doc, err := parseDoc(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "auth", t+".xml"), err)
		}
		list := doc.path("RESPONSE/" + k.Record + "_LIST")
		if list == nil {
			continue
		}
		for i := range list.Nodes {
			r := &list.Nodes[i]
			id, err := strconv.Atoi(r.text("ID"))
			if err != nil {
				return nil, fmt.Errorf("%s record without a numeric ID", k.Name)
			}
			bump(id)
			var ips []string
			if set := r.child("IP_SET"); set != nil {
				for _, ip := range set.Nodes {
					ips = append(ips, strings.TrimSpace(ip.Content))
				}
			}
			spans, err := parseIPList(strings.Join(ips, ","))
			if err != nil {
				return nil, fmt.Errorf("%s %d: %w", k.Name, id, err)
			}
			params := readParams(k, r)
			if k.Field("password") != nil && params["login_type"] != "vault" {
				params["password"] = "(set)"
			}
			if v := r.text("COMMENTS"); v != "" || r.child("COMMENTS") != nil {
				name := "comments"
				if k.Field("comment") != nil {
					name = "comment"
				}
				params[name] = v
			}
			if v := r.text("NETWORK_ID"); v != "" {
				params["network_id"] = v
			}
			mod, _ := time.Parse(time.RFC3339, r.text("LAST_MODIFIED/DATETIME"))
			cr, _ := time.Parse(time.RFC3339, r.text("CREATED/DATETIME"))
			st.Auth[t][id] = &authRecord{ID: id, Title: r.text("TITLE"), Params: params, IPs: spanStrings(spans),
				Created: cr, Modified: mod, By: r.text("CREATED/BY")}
		}
	}
	if b, err := os.ReadFile(filepath.Join(dir, "option_profiles.xml")); err == nil {
		doc, err := parseDoc(b)
		if err != nil {
			return nil, fmt.Errorf("option_profiles.xml: %w", err)
		}
		for i := range doc.Nodes {
			op := &doc.Nodes[i]
			id, err := strconv.Atoi(op.text("BASIC_INFO/ID"))
			if err != nil {
				continue
			}
			bump(id)
			gt := op.text("BASIC_INFO/GROUP_TYPE")
			title := strings.Join(strings.Fields(op.text("BASIC_INFO/GROUP_NAME")), " ")
			typ := resource.GroupTypeKind[strings.ToLower(gt)]
			if typ == "" {
				typ = "vm"
			}
			system := gt == "rv10" || gt == "sans20"
			for _, t := range resource.SystemProfileTitles {
				system = system || strings.EqualFold(t, title)
			}
			k := cat.Kind("option_profiles/" + typ)
			if system {
				k = cat.Kind("option_profiles/system")
			}
			params := readParams(k, op)
			upd, _ := time.Parse(time.RFC3339, op.text("BASIC_INFO/UPDATE_DATE"))
			st.Profiles[id] = &profile{ID: id, Type: typ, GroupType: gt, System: system, Title: title, Params: params, Updated: upd}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if b, err := os.ReadFile(filepath.Join(dir, "appliances.xml")); err == nil {
		doc, err := parseDoc(b)
		if err != nil {
			return nil, fmt.Errorf("appliances.xml: %w", err)
		}
		if list := doc.path("RESPONSE/APPLIANCE_LIST"); list != nil {
			for i := range list.Nodes {
				a := &list.Nodes[i]
				id, err := strconv.Atoi(a.text("ID"))
				if err != nil {
					continue
				}
				app := &appliance{ID: id, UUID: a.text("UUID"), Name: a.text("NAME"), Model: a.text("MODEL_NUMBER"),
					Physical: strings.Contains(strings.ToLower(a.text("TYPE")), "physical")}
				if vl := a.child("VLANS"); vl != nil {
					for _, v := range vl.Nodes {
						if v.XMLName.Local != "VLAN" {
							continue
						}
						vid, _ := strconv.Atoi(v.text("ID"))
						app.VLANs = append(app.VLANs, simVLAN{ID: vid, Name: v.text("NAME"), IPv4: v.text("IP_ADDRESS"),
							Netmask: v.text("NETMASK"), IPv6: v.text("IPV6_ADDRESS"), SLAAC: v.child("IPV6_SLAAC") != nil})
					}
				}
				if rt := a.child("STATIC_ROUTES"); rt != nil {
					for _, r := range rt.Nodes {
						x := simRoute{Name: r.text("NAME"), IPv4: r.text("IP_ADDRESS"), Netmask: r.text("NETMASK"), Gateway: r.text("GATEWAY"),
							IPv6Address: r.text("IPV6_ADDRESS"), IPv6Gateway: r.text("IPV6_GATEWAY")}
						if _, bits, ok := strings.Cut(r.text("IPV6_NETWORK"), "/"); ok {
							x.IPv6Prefix = bits
						}
						app.Routes = append(app.Routes, x)
					}
				}
				st.Appliances[id] = app
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if maxID >= st.NextID {
		st.NextID = maxID
	}
	return st, nil
}
