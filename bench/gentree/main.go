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
