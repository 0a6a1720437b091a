package desired

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qsync/qsync/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

var cat = resource.Default()

// load writes src as desired.cue in a temp dir, changes into it so
// positions are relative, and loads it.
func loadSrc(t *testing.T, src string) (*State, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "desired.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return Load(Source{Dir: "."}, cat)
}

const mariadbOK = `auth: mariadb: "db": {
	username: "root"
	password: env: "PW"
	database: "mariadb"
	port:     3306
	ips: ["10.0.0.1"]
	unix_config_file: "/etc/my.cnf"
}
`

func TestAccepted(t *testing.T) {
	for name, src := range acceptedCases() {
		t.Run(name, func(t *testing.T) {
			if _, err := loadSrc(t, src); err != nil {
				t.Fatalf("rejected:\n%v", err)
			}
		})
	}
}

func acceptedCases() map[string]string {
	return map[string]string{
		"design example": "package x\n" + mariadbOK + `
option_profiles: vm: "Standard VM scan": {
	scan_tcp_ports: "full"
	scan_udp_ports: "standard"
	vulnerability_detection: "complete"
	basic_information_gathering: "all"
}
appliances: "scanner-01": {
	vlans: [
		{id: 1234, name: "Name1234", ipv6: {mode: "static", address: "fdd1:0:1:109::500"}},
		{id: 4012, name: "Name9012", ipv4: {address: "244.244.244.244", netmask: "255.255.255.0"}, ipv6: {mode: "auto"}},
	]
	routes: [
		{name: "Name2", ipv4: {network: "192.0.0.0", netmask: "255.255.255.0", gateway: "10.100.11.157"}},
		{name: "Name1", ipv6: {address: "fdd1:0:1:107::500/64", gateway: "2001:470:8418:280d::1"}},
	]
}
policy: {
	unmanaged: "auth/mariadb": "delete"
	protected: ["Break-glass Unix"]
}
`,
		"vault login":    `auth: mysql: "v": {username: "u", login_type: "vault", vault_type: "Thycotic Secret Server", vault_id: 1, secret_name: "s", database: "d", port: 3306, windows_config_file: "c", ips: ["::1"]}`,
		"file secret":    `auth: unix: "u": {username: "u", password: file: "/run/secrets/x", ips: ["10.0.0.0/8", "2001:db8::1-2001:db8::9"]}`,
		"jboss domain":   `auth: jboss: "j": {windows_working_mode: "domain_controller_mode", windows_home_path: "c", windows_base_path: "c", windows_conf_dir_path: "c", windows_conf_file_path: "c", windows_conf_host_file_path: "c", ips: ["10.0.0.1"]}`,
		"pc policies":    `option_profiles: pc: "p": {scan_by_policy: true, policy_ids: ["1", "2"], scan_ports: "standard", scan_overall_performance: "high"}`,
		"empty vlans":    `appliances: "a": {vlans: [], routes: []}`,
		"baseline":       "import \"github.com/qsync/qsync/schema/baselines\"\noption_profiles: vm: \"b\": baselines.initial_options & {scan_tcp_ports: \"full\"}",
		"comprehension":  `auth: unix: {for i in [1, 2] {"u\(i)": {username: "u", ips: ["10.0.0.\(i)"]}}}`,
		"max title":      `auth: unix: "` + strings.Repeat("t", 255) + `": {ips: ["10.0.0.1"]}`,
		"vlan id 0-4096": `appliances: "a": vlans: [{id: 0, ipv4: {address: "1.1.1.1", netmask: "255.0.0.0"}}, {id: 4096, ipv6: {mode: "auto"}}]`,
		"ports":          `option_profiles: vm: "p": {scan_tcp_ports_additional: [1, 65535], authentication: ["Windows", "Unix"]}`,
	}
}

type rejectedCase struct{ name, src, want string }

func TestRejected(t *testing.T) {
	for _, c := range rejectedCases() {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadSrc(t, c.src)
			var errs *Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v (%T), want *Errors", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
			for _, e := range errs.List {
				if !strings.HasPrefix(e.Pos, "desired.cue:") {
					t.Errorf("error without a position in the user's file: %s", e)
				}
				if strings.Contains(e.Msg, "#Auth_") || strings.Contains(e.Msg, "cue.mod") {
					t.Errorf("CUE internals leak: %s", e)
				}
			}
		})
	}
}

func rejectedCases() []rejectedCase {
	return []rejectedCase{
		{"literal secret", `auth: unix: "u": {password: "hunter2", ips: ["10.0.0.1"]}`, `desired.cue:1:29: auth/unix "u": password: a secret must be a reference {env: NAME} or {file: PATH}, never a literal`},
		{"secret with both", `auth: unix: "u": {password: {env: "A", file: "/x"}, ips: ["10.0.0.1"]}`, "a secret must be a reference {env: NAME} or {file: PATH}"},
		{"unknown field", "auth: unix: \"u\": {\n\tusernmae: \"x\"\n}", `desired.cue:2:2: auth/unix "u": usernmae: unknown field "usernmae" (did you mean "username"?)`},
		{"field of another type", "auth: unix: \"u\": {\n\tdatabase: \"x\"\n}", `it is a field of auth/mariadb, auth/mysql, auth/postgresql`},
		{"unknown kind", "auth: mariadbb: \"x\": {}", `unknown kind "mariadbb" (did you mean "mariadb"?)`},
		{"unknown top level", "auths: unix: {}", `unknown top-level field "auths"`},
		{"port range", "auth: mariadb: \"db\": {\n\tport: 70000\n\tdatabase: \"d\"\n\tunix_config_file: \"c\"\n}", `desired.cue:2:8: auth/mariadb "db": port: 70000 is out of range (must be <= 65535)`},
		{"port type", "auth: unix: \"u\": {port: \"22\"}", `want an integer, got string "22"`},
		{"enum", `option_profiles: vm: "p": {scan_tcp_ports: "Full"}`, `"Full" is not one of "none", "full", "standard", "light"`},
		{"mysql needs database", `auth: mysql: "m": {port: 3306, unix_config_file: "c"}`, `database: required field is missing`},
		{"mariadb needs a config file", `auth: mariadb: "m": {port: 3306, database: "d"}`, "needs at least one of windows_config_file and unix_config_file"},
		{"vault needs type and id", `auth: mysql: "v": {login_type: "vault", database: "d", port: 1, unix_config_file: "c"}`, "login_type vault needs vault_type"},
		{"vault forbids password", `auth: mysql: "v": {login_type: "vault", vault_type: "CyberArk AIM", vault_id: 2, password: env: "X", database: "d", port: 1, unix_config_file: "c"}`, "login_type vault forbids password"},
		{"vault parameters", `auth: mysql: "v": {login_type: "vault", vault_type: "CyberArk PIM Suite", vault_id: 2, folder: "f", database: "d", port: 1, unix_config_file: "c"}`, `vault type "CyberArk PIM Suite" needs file`},
		{"jboss paths", `auth: jboss: "j": {unix_working_mode: "domain_controller_mode", unix_home_path: "h"}`, "unix_working_mode domain_controller_mode needs unix_conf_host_file_path"},
		{"pc scan by policy", `option_profiles: pc: "p": {scan_by_policy: true}`, "scan_by_policy needs policy_names or policy_ids"},
		{"pc too many policies", `option_profiles: pc: "p": {scan_by_policy: true, policy_ids: ["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17","18","19","20","21"]}`, "at most 20"},
		{"title too long", `auth: unix: "` + strings.Repeat("t", 256) + `": {}`, "at most 255 allowed"},
		{"title not ascii", `auth: unix: "café": {}`, "title must be ASCII"},
		{"comments too long", `auth: unix: "u": {comments: "` + strings.Repeat("c", 2000) + `"}`, "longer than 1999 characters"},
		{"bad ip", `auth: unix: "u": {ips: ["10.0.0.300"]}`, `invalid IP address "10.0.0.300"`},
		{"bad range", `auth: unix: "u": {ips: ["10.0.0.9-10.0.0.1"]}`, "ends before it starts"},
		{"vlan id", `appliances: "a": vlans: [{id: 70000, ipv6: {mode: "auto"}}]`, "70000 is out of range (must be <= 65535)"},
		{"vlan name chars", `appliances: "a": vlans: [{id: 1, name: "a|b", ipv6: {mode: "auto"}}]`, "forbidden character"},
		{"vlan name length", `appliances: "a": vlans: [{id: 1, name: "` + strings.Repeat("n", 257) + `", ipv6: {mode: "auto"}}]`, "has an invalid format"},
		{"ipv6 static without address", `appliances: "a": vlans: [{id: 1, ipv6: {mode: "static"}}]`, "ipv6 static needs an address"},
		{"ipv6 auto with address", `appliances: "a": vlans: [{id: 1, ipv6: {mode: "auto", address: "fd00::1"}}]`, "ipv6 auto takes no address"},
		{"duplicate vlan", `appliances: "a": vlans: [{id: 1, ipv6: {mode: "auto"}}, {id: 1, ipv6: {mode: "auto"}}]`, "VLAN ID 1 appears twice"},
		{"route without destination", `appliances: "a": routes: [{name: "x"}]`, "has neither ipv4 nor ipv6"},
		{"too many udp ports", `option_profiles: vm: "p": {map_udp_ports_additional: [1,2,3,4,5,6,7,8,9,10,11]}`, "more than 10 items"},
		{"policy kind", `policy: unmanaged: "auth/mariadbb": "delete"`, `unknown kind "auth/mariadbb"`},
		{"policy value", `policy: unmanaged: "auth/unix": "destroy"`, `"destroy" is not one of "report", "keep", "delete"`},
		{"appliances never deleted", `policy: unmanaged: "appliances": "delete"`, "appliances are never deleted"},
		{"syntax error", "auth: unix: \"u\": {\n\tusername: \"x\"\n", "desired.cue:"},
		{"authentication enum", `option_profiles: vm: "p": {authentication: ["Windows", "Linux"]}`, `"Linux" is not one of`},
		{"custom lists need custom", `option_profiles: vm: "p": {custom_search_list_ids: ["1"]}`, `custom search lists need vulnerability_detection: "custom"`},
	}
}

// One bad object does not hide the errors of the others.
func TestErrorsOfEveryObject(t *testing.T) {
	src := "auth: unix: {\n\t\"a\": {port: 0}\n\t\"b\": {usernme: \"x\"}\n}\nauth: windows: \"c\": {ntlm: \"yes\"}\n"
	_, err := loadSrc(t, src)
	if err == nil {
		t.Fatal("accepted")
	}
	got := err.Error()
	for _, want := range []string{"desired.cue:2:14", "desired.cue:3:8", "desired.cue:5:28"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in:\n%s", want, got)
		}
	}
	golden(t, "errors_every_object.txt", got+"\n")
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(testdataDir, name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n%s", name, got)
	}
}

var testdataDir, _ = filepath.Abs("testdata")

func TestSecretWarnings(t *testing.T) {
	st, err := loadSrc(t, mariadbOK)
	if err != nil {
		t.Fatal(err)
	}
	w := st.Warnings(func(string) string { return "" })
	if len(w) != 1 || !strings.Contains(w[0].String(), "desired.cue:3:12") || !strings.Contains(w[0].String(), "PW is not set") {
		t.Errorf("warnings = %v", w)
	}
	if w := st.Warnings(func(string) string { return "x" }); len(w) != 0 {
		t.Errorf("warnings with the variable set: %v", w)
	}
}

func TestDecodedValues(t *testing.T) {
	st, err := loadSrc(t, mariadbOK+`policy: max_deletes: 3`)
	if err != nil {
		t.Fatal(err)
	}
	o := st.Objects[0]
	if o.Values["port"] != int64(3306) || o.Values["password"] != (resource.SecretRef{Env: "PW"}) || o.Values["ips"].(resource.IPSet).String() != "10.0.0.1" {
		t.Errorf("values = %v", o.Values)
	}
	if st.Policy.MaxDeletes != 3 || st.Policy.MaxDeletePercent != 25 || st.Policy.UnmanagedAction("auth/unix") != "report" {
		t.Errorf("policy = %+v", st.Policy)
	}
	if st.Hash == "" {
		t.Error("no hash")
	}
}

func TestOwnCueModule(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "cue.mod"), 0o755)
	os.WriteFile(filepath.Join(dir, "cue.mod", "module.cue"), []byte("module: \"example.com/sub@v0\"\nlanguage: version: \"v0.9.0\"\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "desired"), 0o755)
	os.WriteFile(filepath.Join(dir, "desired", "a.cue"), []byte("package desired\nimport \"github.com/qsync/qsync/schema/baselines\"\noption_profiles: vm: \"b\": baselines.initial_options\n"), 0o644)
	st, err := Load(Source{Dir: filepath.Join(dir, "desired")}, cat)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Objects) != 1 || st.Objects[0].Values["scan_tcp_ports"] != "standard" {
		t.Errorf("objects = %+v", st.Objects)
	}
}

func TestExamplesValidate(t *testing.T) {
	st, err := Load(Source{Dir: "../../examples/desired"}, cat)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, o := range st.Objects {
		kinds[o.Kind] = true
	}
	for _, k := range []string{"auth/unix", "auth/windows", "auth/mariadb", "auth/mysql", "auth/jboss", "auth/tomcat", "option_profiles/vm", "option_profiles/pci", "option_profiles/pc", "appliances"} {
		if !kinds[k] {
			t.Errorf("examples/desired has no %s", k)
		}
	}
}

func TestBaselinesDecode(t *testing.T) {
	bs, err := Baselines(cat)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 5 {
		t.Fatalf("%d baselines", len(bs))
	}
}

// TestEvaluatedPathErrors: through CUE evaluation (a file importing the
// baselines), a disjunction's noise folds to the broken rule at the user's
// line, and an unknown field beside a value error is still reported.
func TestEvaluatedPathErrors(t *testing.T) {
	src := "import \"github.com/qsync/qsync/schema/baselines\"\n\n" +
		"option_profiles: vm: \"B\": baselines.initial_options & {\n" +
		"\tscan_tcp_ports: \"Full\"\n" +
		"\tscan_intensty: \"low\"\n" +
		"\tscan_total_process: 5000\n" +
		"\tglobal: \"yes\"\n" +
		"}\n"
	_, err := loadSrc(t, src)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		`desired.cue:4:18: option_profiles/vm "B": scan_tcp_ports: "Full" is not one of "none", "full", "standard", "light"`,
		`desired.cue:5:2: option_profiles/vm "B": scan_intensty: unknown field "scan_intensty" (did you mean "scan_intensity"?)`,
		`desired.cue:6:22: option_profiles/vm "B": scan_total_process: 5000 is out of range (must be <= 1000)`,
		`desired.cue:7:10: option_profiles/vm "B": global: want true or false, got string "yes"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "disjunction") {
		t.Errorf("disjunction noise:\n%v", err)
	}
}

// TestPolicyDefaults: a desired state without a policy block gets the
// default delete limits; max_deletes: 0 stays 0 (no deletes), on both paths.
func TestPolicyDefaults(t *testing.T) {
	for _, evaluate := range []bool{false, true} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "a.cue"), []byte(`auth: unix: "u": {}`+"\n"), 0o644)
		st, err := Load(Source{Dir: dir, Evaluate: evaluate}, cat)
		if err != nil || st.Policy.MaxDeletes != resource.DefaultMaxDeletes || st.Policy.MaxDeletePercent != resource.DefaultMaxDeletePercent {
			t.Fatalf("evaluate=%v: %+v %v", evaluate, st, err)
		}
		os.WriteFile(filepath.Join(dir, "a.cue"), []byte("policy: max_deletes: 0\n"), 0o644)
		st, err = Load(Source{Dir: dir, Evaluate: evaluate}, cat)
		if err != nil || st.Policy.MaxDeletes != 0 || st.Policy.MaxDeletePercent != resource.DefaultMaxDeletePercent {
			t.Fatalf("evaluate=%v: %+v %v", evaluate, st.Policy, err)
		}
	}
}
