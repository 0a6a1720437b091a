package desired

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qsync/qsync/internal/resource"
)

// bothPaths loads src through the fast path and through CUE evaluation.
func bothPaths(t *testing.T, src string) (fast, eval string) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "desired.cue"), []byte("package x\n"+src), 0o644)
	t.Chdir(dir)
	render := func(st *State, err error) string {
		if err != nil {
			return "error:\n" + err.Error()
		}
		var b strings.Builder
		for _, o := range st.Objects {
			k := cat.Kind(o.Kind)
			vals := map[string]any{}
			for n, v := range o.Values {
				vals[n] = resource.Display(k.Field(n), v)
				if ref, ok := v.(resource.SecretRef); ok {
					vals[n] = ref.String()
				}
			}
			j, _ := json.Marshal(vals)
			fmt.Fprintf(&b, "%s %q id=%s pos=%s %s\n", o.Kind, o.Title, o.ID, o.Pos, j)
		}
		p, _ := json.Marshal(st.Policy)
		b.Write(p)
		return b.String()
	}
	fast = render(Load(Source{Dir: "."}, cat))
	eval = render(Load(Source{Dir: ".", Evaluate: true}, cat))
	return fast, eval
}

// TestFastPathMatchesCUE holds the plain-data fast path to CUE
// evaluation: the same objects, or the same errors at the same positions,
// for every accepted and rejected case of this package's tables and for
// random mutations of valid trees.
func TestFastPathMatchesCUE(t *testing.T) {
	var cases []string
	for _, c := range acceptedCases() {
		cases = append(cases, c)
	}
	for _, c := range rejectedCases() {
		cases = append(cases, c.src)
	}
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 150; i++ {
		cases = append(cases, mutate(r))
	}
	for i, src := range cases {
		if strings.Contains(src, "import ") || strings.Contains(src, "for ") || strings.Contains(src, "\\(") {
			continue // not plain data: both calls evaluate
		}
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			fast, eval := bothPaths(t, src)
			fastErr, evalErr := strings.HasPrefix(fast, "error:"), strings.HasPrefix(eval, "error:")
			switch {
			case fastErr != evalErr:
				t.Errorf("one path accepts, the other refuses:\n%s\nfast:\n%s\ncue:\n%s", src, fast, eval)
			case !fastErr && fast != eval:
				t.Errorf("paths decode differently:\n%s\nfast:\n%s\ncue:\n%s", src, fast, eval)
			case fastErr:
				// Both refuse. CUE stops at some errors per struct and
				// may name another declaration of a field given twice,
				// so the lists may differ; each fast-path error must
				// point into the user's file.
				for _, line := range strings.Split(strings.TrimPrefix(fast, "error:\n"), "\n") {
					if !strings.HasPrefix(line, "desired.cue:") {
						t.Errorf("fast-path error without a position: %q", line)
					}
				}
			}
		})
	}
}

// mutate builds a small random desired state, valid or subtly not.
func mutate(r *rand.Rand) string {
	pick := func(xs ...string) string { return xs[r.IntN(len(xs))] }
	var b strings.Builder
	for i := 0; i < 1+r.IntN(3); i++ {
		kind := pick("unix", "windows", "mariadb", "mysql", "oracle", "tomcat", "jboss", "unixx")
		fmt.Fprintf(&b, "auth: %s: %q: {\n", kind, pick("a", "b", "c"))
		for j := 0; j < 1+r.IntN(4); j++ {
			switch r.IntN(12) {
			case 0:
				fmt.Fprintf(&b, "\tport: %s\n", pick("22", "0", "70000", "\"22\"", "3306"))
			case 1:
				fmt.Fprintf(&b, "\tusername: %s\n", pick("\"u\"", "5", "true"))
			case 2:
				fmt.Fprintf(&b, "\tpassword: %s\n", pick("{env: \"P\"}", "\"lit\"", "{file: \"/x\"}", "{env: \"1bad\"}", "{env: \"A\", file: \"/b\"}", "{envv: \"A\"}"))
			case 3:
				fmt.Fprintf(&b, "\tips: [%s]\n", pick("\"10.0.0.1\"", "\"10.0.0.0/24\", \"::1\"", "\"10.0.0.300\"", "\"x y\"", "5", "\"10.0.0.9-10.0.0.1\""))
			case 4:
				fmt.Fprintf(&b, "\tdatabase: %q\n\tunix_config_file: \"/c\"\n", pick("d", "e"))
			case 5:
				fmt.Fprintf(&b, "\tlogin_type: %s\n", pick("\"vault\"", "\"basic\"", "\"other\""))
			case 6:
				fmt.Fprintf(&b, "\tcomments: %q\n", pick("x", strings.Repeat("y", 2001)))
			case 7:
				fmt.Fprintf(&b, "\t%s: 1\n", pick("bogus", "sid", "hosts"))
			case 8:
				fmt.Fprintf(&b, "\tid: %s\n", pick("5", "-1", "\"x\""))
			case 9:
				fmt.Fprintf(&b, "\tunix_working_mode: %q\n", pick("standalone_mode", "domain_controller_mode", "x"))
			case 10:
				fmt.Fprintf(&b, "\tssl_verify: %s\n", pick("true", "1", "\"yes\""))
			default:
				fmt.Fprintf(&b, "\tnetwork_id: %s\n", pick("0", "-5", "7"))
			}
		}
		b.WriteString("}\n")
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "appliances: \"s\": vlans: [{id: %s, %s}]\n", pick("1", "4097", "\"1\""),
			pick(`ipv6: {mode: "auto"}`, `ipv6: {mode: "static"}`, `ipv4: {address: "1.2.3.4", netmask: "255.0.0.0"}`, `name: "a|b", ipv6: {mode: "auto"}`, `ipv6: {mode: "x"}`, `extra: 1`))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "appliances: \"s\": routes: [{name: \"r\", %s}]\n",
			pick(`ipv4: {network: "10.0.0.0", netmask: "255.0.0.0", gateway: "10.0.0.1"}`, `ipv6: {address: "fd00::/64", gateway: "fd00::1"}`, `ipv6: {address: "fd00::1"}`, `ipv4: {network: "10.0.0"}`))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "option_profiles: %s: \"p\": {%s}\n", pick("vm", "pc", "pci", "system"),
			pick(`scan_tcp_ports: "full"`, `scan_tcp_ports: "Full"`, `authentication: ["Unix", "Linux"]`, `scan_tcp_ports_additional: [1, 70000]`, `scan_by_policy: true`, `global: 1`, `"3_way_handshake": true`))
	}
	if r.IntN(3) == 0 {
		fmt.Fprintf(&b, "policy: %s\n", pick(`unmanaged: "auth/unix": "delete"`, `unmanaged: "auth/x": "delete"`, `unmanaged: "auth/unix": "zap"`, `protected: ["a", 1]`, `max_deletes: -1`, `bogus: 1`))
	}
	if r.IntN(4) == 0 {
		b.WriteString(pick("bogus: 1\n", "auth: unix: \"a\": port: 23\n", "auth: unix: \"a\": {port: 22}\n"))
	}
	return b.String()
}

// TestRejectedEvaluated runs the rejected table through CUE evaluation:
// the messages users see do not depend on which path ran.
func TestRejectedEvaluated(t *testing.T) {
	for _, c := range rejectedCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "desired.cue"), []byte(c.src), 0o644)
			t.Chdir(dir)
			_, err := Load(Source{Dir: ".", Evaluate: true}, cat)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, c.want)
			}
		})
	}
}
