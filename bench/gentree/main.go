// Command gentree writes a desired-state tree of N auth records (and,
// with -profiles and -appliances, option profiles and appliances) for the
// benchmarks, plus a check.cue that lets `cue vet` validate the same tree
// against the same schema.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	n := flag.Int("auth", 1000, "auth records")
	profiles := flag.Int("profiles", 0, "VM option profiles")
	appliances := flag.Int("appliances", 0, "appliances")
	cueVet := flag.Bool("cue-vet", false, "also write cue.mod with the schema and check.cue for cue vet")
	snapshot := flag.String("snapshot", "", "also write a live snapshot directory for the tree, with some records drifted")
	schemaDir := flag.String("schema", "schema", "schema directory to copy for cue vet")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: gentree [-auth N] [-profiles N] [-appliances N] [-cue-vet] DIR")
	}
	dir := flag.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("package qsync\n\n")
	types := []string{"unix", "windows", "mariadb", "mysql", "postgresql", "oracle"}
	for i := 0; i < *n; i++ {
		t := types[i%len(types)]
		fmt.Fprintf(&b, "auth: %s: \"record %05d\": {\n\tusername: \"svc_%d\"\n\tpassword: env: \"PW_%d\"\n", t, i, i, i%10)
		switch t {
		case "mariadb", "mysql":
			fmt.Fprintf(&b, "\tdatabase: \"db%d\"\n\tport: 3306\n\tunix_config_file: \"/etc/my.cnf\"\n\tssl_verify: true\n", i)
		case "postgresql":
			fmt.Fprintf(&b, "\tdatabase: \"db%d\"\n\tport: 5432\n", i)
		case "oracle":
			b.WriteString("\tservicename: \"ORCL\"\n\tport: 1521\n")
		case "unix":
			b.WriteString("\tport: 22\n\tcleartext_password: false\n")
		case "windows":
			b.WriteString("\twindows_domain: \"CORP\"\n\tkerberos: true\n\tntlm: false\n")
		}
		fmt.Fprintf(&b, "\tips: [\"10.%d.%d.0/28\", \"10.%d.%d.100-10.%d.%d.120\", \"2001:db8:%x::1\"]\n\tcomments: \"generated record %d\"\n}\n",
			(i/250)%250, i%250, (i/250)%250, i%250, (i/250)%250, i%250, i, i)
	}
	for i := 0; i < *profiles; i++ {
		fmt.Fprintf(&b, "option_profiles: vm: \"profile %04d\": {scan_tcp_ports: \"full\", scan_udp_ports: \"standard\", basic_information_gathering: \"all\", scan_overall_performance: \"normal\", global: true, authentication: [\"Unix\", \"Windows\"]}\n", i)
	}
	for i := 0; i < *appliances; i++ {
		fmt.Fprintf(&b, "appliances: \"scanner-%03d\": {vlans: [{id: %d, name: \"v%d\", ipv4: {address: \"10.200.%d.5\", netmask: \"255.255.255.0\"}}, {id: %d, ipv6: {mode: \"auto\"}}], routes: [{name: \"r\", ipv6: {address: \"fd00:%x::/64\", gateway: \"fd00::1\"}}]}\n", i, i%4000+1, i, i%250, i%4000+2, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "desired.cue"), []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	if *snapshot != "" {
		writeSnapshot(*snapshot, *n, *profiles, *appliances)
	}
	if !*cueVet {
		return
	}
	pkg := filepath.Join(dir, "cue.mod", "pkg", "github.com", "qsync", "qsync", "schema")
	for _, sub := range []string{"", "baselines"} {
		if err := os.MkdirAll(filepath.Join(pkg, sub), 0o755); err != nil {
			log.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(*schemaDir, sub, "*.cue"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				log.Fatal(err)
			}
			os.WriteFile(filepath.Join(pkg, sub, filepath.Base(f)), data, 0o644)
		}
	}
	os.WriteFile(filepath.Join(dir, "cue.mod", "module.cue"), []byte("module: \"qsync.local/bench@v0\"\nlanguage: version: \"v0.9.0\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "check.cue"), []byte("package qsync\n\nimport \"github.com/qsync/qsync/schema\"\n\nschema.#Config\n"), 0o644)
}

// writeSnapshot writes what the API would list for the tree, with every
// 7th auth record on another port, every 11th with an extra IP, and every
// 13th profile on another performance level.
func writeSnapshot(dir string, n, profiles, appliances int) {
	types := []string{"unix", "windows", "mariadb", "mysql", "postgresql", "oracle"}
	lists := map[string]*strings.Builder{}
	for _, t := range types {
		b := &strings.Builder{}
		U := strings.ToUpper(t)
		fmt.Fprintf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<AUTH_%s_LIST_OUTPUT><RESPONSE><DATETIME>2026-01-01T00:00:00Z</DATETIME><AUTH_%s_LIST>\n", U, U)
		lists[t] = b
	}
	for i := 0; i < n; i++ {
		t := types[i%len(types)]
		b := lists[t]
		U := strings.ToUpper(t)
		a, c := (i/250)%250, i%250
		fmt.Fprintf(b, "<AUTH_%s><ID>%d</ID><TITLE><![CDATA[record %05d]]></TITLE><USERNAME><![CDATA[svc_%d]]></USERNAME>", U, 100000+i, i, i)
		port := map[string]int{"mariadb": 3306, "mysql": 3306, "postgresql": 5432, "oracle": 1521, "unix": 22}[t]
		if i%7 == 0 {
			port++
		}
		switch t {
		case "mariadb", "mysql":
			fmt.Fprintf(b, "<DATABASE><![CDATA[db%d]]></DATABASE><PORT>%d</PORT><SSL_VERIFY>true</SSL_VERIFY><WINDOWS_CONF_FILE><![CDATA[]]></WINDOWS_CONF_FILE><UNIX_CONF_FILE><![CDATA[/etc/my.cnf]]></UNIX_CONF_FILE>", i, port)
		case "postgresql":
			fmt.Fprintf(b, "<DATABASE><![CDATA[db%d]]></DATABASE><PORT>%d</PORT>", i, port)
		case "oracle":
			fmt.Fprintf(b, "<SERVICENAME><![CDATA[ORCL]]></SERVICENAME><PORT>%d</PORT>", port)
		case "unix":
			fmt.Fprintf(b, "<PORT>%d</PORT><CLEARTEXT_PASSWORD>0</CLEARTEXT_PASSWORD>", port)
		case "windows":
			b.WriteString("<WINDOWS_DOMAIN><![CDATA[CORP]]></WINDOWS_DOMAIN><KERBEROS>1</KERBEROS><NTLM>0</NTLM>")
		}
		fmt.Fprintf(b, "<IP_SET><IP_RANGE>10.%d.%d.0-10.%d.%d.15</IP_RANGE><IP_RANGE>10.%d.%d.100-10.%d.%d.120</IP_RANGE><IP>2001:db8:%x::1</IP>", a, c, a, c, a, c, a, c, i)
		if i%11 == 0 {
			fmt.Fprintf(b, "<IP>10.250.%d.%d</IP>", a, c)
		}
		fmt.Fprintf(b, "</IP_SET><LOGIN_TYPE>basic</LOGIN_TYPE><NETWORK_ID>0</NETWORK_ID><CREATED><DATETIME>2026-01-01T00:00:00Z</DATETIME><BY>admin</BY></CREATED><LAST_MODIFIED><DATETIME>2026-01-01T00:00:00Z</DATETIME></LAST_MODIFIED><COMMENTS><![CDATA[generated record %d]]></COMMENTS></AUTH_%s>\n", i, U)
	}
	os.MkdirAll(filepath.Join(dir, "auth"), 0o755)
	for _, t := range types {
		b := lists[t]
		U := strings.ToUpper(t)
		fmt.Fprintf(b, "</AUTH_%s_LIST></RESPONSE></AUTH_%s_LIST_OUTPUT>\n", U, U)
		os.WriteFile(filepath.Join(dir, "auth", t+".xml"), []byte(b.String()), 0o644)
	}
	var op strings.Builder
	op.WriteString("<OPTION_PROFILES>\n")
	for i := 0; i < profiles; i++ {
		perf := "Normal"
		if i%13 == 0 {
			perf = "High"
		}
		fmt.Fprintf(&op, "<OPTION_PROFILE><BASIC_INFO><ID>%d</ID><GROUP_NAME><![CDATA[profile %04d]]></GROUP_NAME><GROUP_TYPE>user</GROUP_TYPE><IS_GLOBAL>1</IS_GLOBAL></BASIC_INFO><SCAN><PORTS><TCP_PORTS><TCP_PORTS_TYPE>Full</TCP_PORTS_TYPE></TCP_PORTS><UDP_PORTS><UDP_PORTS_TYPE>Standard</UDP_PORTS_TYPE></UDP_PORTS></PORTS><PERFORMANCE><OVERALL_PERFORMANCE>%s</OVERALL_PERFORMANCE></PERFORMANCE><AUTHENTICATION>Windows,Unix</AUTHENTICATION></SCAN><MAP><BASIC_INFO_GATHERING_ON>All Hosts</BASIC_INFO_GATHERING_ON></MAP></OPTION_PROFILE>\n", 50000+i, i, perf)
	}
	op.WriteString("</OPTION_PROFILES>\n")
	os.WriteFile(filepath.Join(dir, "option_profiles.xml"), []byte(op.String()), 0o644)
	var ap strings.Builder
	ap.WriteString("<APPLIANCE_LIST_OUTPUT><RESPONSE><APPLIANCE_LIST>\n")
	for i := 0; i < appliances; i++ {
		fmt.Fprintf(&ap, "<APPLIANCE><ID>%d</ID><NAME>scanner-%03d</NAME><TYPE>Virtual</TYPE><VLANS><SETTING>Enabled</SETTING><VLAN><ID>%d</ID><NAME>v%d</NAME><IP_ADDRESS>10.200.%d.5</IP_ADDRESS><NETMASK>255.255.255.0</NETMASK></VLAN><VLAN><ID>%d</ID><NAME></NAME><IPV6_SLAAC/></VLAN></VLANS><STATIC_ROUTES><ROUTE><NAME>r</NAME><IPV6_ADDRESS>fd00:%x::</IPV6_ADDRESS><IPV6_NETWORK>fd00:%x::/64</IPV6_NETWORK><IPV6_GATEWAY>fd00::1</IPV6_GATEWAY></ROUTE></STATIC_ROUTES></APPLIANCE>\n", 200000+i, i, i%4000+1, i, i%250, i%4000+2, i, i)
	}
	ap.WriteString("</APPLIANCE_LIST></RESPONSE></APPLIANCE_LIST_OUTPUT>\n")
	os.WriteFile(filepath.Join(dir, "appliances.xml"), []byte(ap.String()), 0o644)
}
