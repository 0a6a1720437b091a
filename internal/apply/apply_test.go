package apply_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qsync/qsync/internal/apply"
	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
	"github.com/qsync/qsync/internal/report"
	"github.com/qsync/qsync/internal/resource"
)

var (
	cat = resource.Default()
	ctx = context.Background()
)

// secrets are the values the tests resolve references to; no artefact may
// ever contain one.
var secrets = map[string]string{}

func resolve(r resource.SecretRef) (string, error) {
	if v, ok := secrets[r.String()]; ok {
		return v, nil
	}
	v := fmt.Sprintf("S3cret|%s&#+,", strings.ReplaceAll(r.String(), ":", "_"))
	secrets[r.String()] = v
	return v, nil
}

type env struct {
	sim    *qualyssim.Server
	client *qualys.Client
	api    apply.ClientAPI
}

func newEnv(t testing.TB, sim *qualyssim.Server) *env {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "demo", Password: "demo",
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return &env{sim: sim, client: c, api: apply.ClientAPI{Client: c, Catalog: cat}}
}

func (e *env) plan(t testing.TB, st *desired.State) *plan.Plan {
	t.Helper()
	lv, err := live.FromAPI(ctx, e.client, cat)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Make(plan.Input{Catalog: cat, Desired: st.Objects, Live: lv.Objects, Policy: st.Policy, Read: lv.Read, ReadNote: lv.Notes})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (e *env) apply(t testing.TB, p *plan.Plan, journal string) *apply.Result {
	t.Helper()
	opts := apply.Options{Resolve: resolve, AllowMassDelete: true}
	if journal != "" {
		j, err := apply.OpenJournal(journal, "test", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		opts.Journal = j
	}
	if _, err := apply.Check(ctx, e.api, p, opts); err != nil {
		t.Fatal(err)
	}
	return apply.Run(ctx, e.api, p, opts)
}

func loadDir(t testing.TB, dir string) *desired.State {
	t.Helper()
	st, err := desired.Load(desired.Source{Dir: dir}, cat)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func loadSrc(t testing.TB, src string) *desired.State {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.cue"), []byte(src), 0o644)
	return loadDir(t, dir)
}

// TestConvergeExamples applies examples/desired to the demo subscription
// and requires a second plan to be empty.
func TestConvergeExamples(t *testing.T) {
	e := newEnv(t, qualyssim.New(qualyssim.Options{}))
	st := loadDir(t, "../../examples/desired")
	p := e.plan(t, st)
	if !p.HasChanges || p.Summary.Create == 0 || p.Summary.Update == 0 || p.Summary.Delete == 0 {
		t.Fatalf("examples should create, update and delete: %+v", p.Summary)
	}
	res := e.apply(t, p, "")
	if res.Failed > 0 {
		t.Fatalf("apply failed: %+v", res.Calls)
	}
	if again := e.plan(t, st); again.HasChanges {
		var b bytes.Buffer
		report.Text(&b, mustNormalize(t, again), report.Options{})
		t.Fatalf("not converged:\n%s", b.String())
	}
}

// TestConvergePlanGoldens applies every planner golden's desired state to
// a simulator seeded from the golden's live snapshot.
func TestConvergePlanGoldens(t *testing.T) {
	cases, _ := filepath.Glob("../plan/testdata/*/desired")
	for _, d := range cases {
		name := filepath.Base(filepath.Dir(d))
		t.Run(name, func(t *testing.T) {
			st, err := qualyssim.LoadSnapshot(filepath.Join(filepath.Dir(d), "live"))
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, qualyssim.NewWithState(qualyssim.Options{}, st))
			ds := loadDir(t, d)
			p := e.plan(t, ds)
			if res := e.apply(t, p, ""); res.Failed > 0 {
				t.Fatalf("apply failed: %+v", res.Calls)
			}
			if again := e.plan(t, ds); again.HasChanges {
				var b bytes.Buffer
				report.Text(&b, mustNormalize(t, again), report.Options{})
				t.Fatalf("not converged:\n%s", b.String())
			}
		})
	}
}

func mustNormalize(t testing.TB, p *plan.Plan) *plan.Plan {
	np, err := report.Normalize(p)
	if err != nil {
		t.Fatal(err)
	}
	return np
}

// randomDesired builds a random desired state over the demo subscription:
// some live records kept and changed, some new, random IP notations.
func randomDesired(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("package x\n")
	ip := func() string {
		switch r.IntN(5) {
		case 0:
			return fmt.Sprintf("10.%d.%d.%d", r.IntN(4), r.IntN(8), r.IntN(250)+1)
		case 1:
			lo := r.IntN(200) + 1
			return fmt.Sprintf("10.%d.%d.%d-10.%d.%d.%d", r.IntN(4), r.IntN(8), lo, 0, 0, 0)
		case 2:
			return fmt.Sprintf("10.%d.%d.0/%d", r.IntN(4), r.IntN(8), 24+r.IntN(8))
		case 3:
			return fmt.Sprintf("2001:db8:%x::%x", r.IntN(16), r.IntN(4000)+1)
		default:
			return fmt.Sprintf("2001:db8:%x::/%d", r.IntN(16), 120+r.IntN(8))
		}
	}
	ips := func() string {
		n := r.IntN(4) + 1
		var out []string
		for i := 0; i < n; i++ {
			s := strings.TrimSuffix(ip(), "-10.0.0.0") // keep ranges well-formed
			out = append(out, fmt.Sprintf("%q", s))
		}
		return "[" + strings.Join(out, ", ") + "]"
	}
	titles := []string{"Linux web servers", "Break-glass Unix", "new unix a", "new unix b"}
	for _, t := range titles {
		if r.IntN(3) == 0 {
			continue
		}
		fmt.Fprintf(&b, "auth: unix: %q: {username: %q, password: env: \"PW_%d\", ips: %s, cleartext_password: %v}\n", t, []string{"qualys", "root", "svc"}[r.IntN(3)], r.IntN(3), ips(), r.IntN(2) == 0)
	}
	for i := 1; i <= 6; i++ {
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "auth: windows: \"Windows domain %d\": {username: \"svc\", password: env: \"WPW\", windows_domain: %q, kerberos: %v, ips: %s}\n", i, []string{"CORP", "LAB"}[r.IntN(2)], r.IntN(2) == 0, ips())
		}
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "auth: mariadb: \"MariaDB_Auth1\": {database: \"mariadb\", port: %d, unix_config_file: \"/etc/my.cnf\", ssl_verify: %v, hosts: [\"a.example\", \"b.example\"], ips: %s}\n", 3306+r.IntN(3), r.IntN(2) == 0, ips())
	}
	perf := []string{"high", "normal", "low"}
	fmt.Fprintf(&b, "option_profiles: vm: \"Standard VM scan\": {scan_overall_performance: %q, scan_tcp_ports: %q, authentication: [\"Unix\"%s], map_netblock_size: %q}\n",
		perf[r.IntN(3)], []string{"full", "standard", "light"}[r.IntN(3)], []string{"", ", \"Windows\""}[r.IntN(2)], []string{"1024 IPs", "16384 IPs"}[r.IntN(2)])
	if r.IntN(2) == 0 {
		fmt.Fprintf(&b, "option_profiles: vm: \"random %d\": {scan_tcp_ports: \"full\", scan_udp_ports: \"standard\", basic_information_gathering: \"all\", scan_packet_delay: %q}\n", r.IntN(100), []string{"short", "long"}[r.IntN(2)])
	}
	fmt.Fprintf(&b, "option_profiles: pci: \"PCI quarterly\": {scan_overall_performance: %q}\n", perf[r.IntN(3)])
	vlan := func(id int) string {
		switch r.IntN(3) {
		case 0:
			return fmt.Sprintf("{id: %d, name: \"v%d\", ipv4: {address: \"10.70.%d.5\", netmask: \"255.255.255.0\"}}", id, id, id%250)
		case 1:
			return fmt.Sprintf("{id: %d, ipv6: {mode: \"static\", address: \"FD00:%X::5\"}}", id, id)
		}
		return fmt.Sprintf("{id: %d, name: \"v%d\", ipv4: {address: \"10.71.%d.5\", netmask: \"255.255.0.0\"}, ipv6: {mode: \"auto\"}}", id, id, id%250)
	}
	var vl []string
	for i := 0; i < r.IntN(4); i++ {
		vl = append(vl, vlan(100+i*7+r.IntN(5)))
	}
	fmt.Fprintf(&b, "appliances: \"scanner-01\": {vlans: [%s], routes: [{name: \"r\", ipv6: {address: \"2001:DB8:%x::/%d\", gateway: \"2001:db8::1\"}}]}\n", strings.Join(vl, ", "), r.IntN(100), 48+r.IntN(17))
	fmt.Fprintf(&b, "policy: unmanaged: {\"auth/unix\": %q, \"auth/windows\": %q, \"option_profiles/vm\": \"delete\"}\n", []string{"delete", "keep", "report"}[r.IntN(3)], []string{"delete", "report"}[r.IntN(2)])
	fmt.Fprintf(&b, "policy: protected: [\"Break-glass Unix\"]\n")
	return b.String()
}

// TestPropertyApplyConverges: for random desired states, applying the
// plan's calls to the simulator and planning again yields zero changes.
func TestPropertyApplyConverges(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			src := randomDesired(r)
			e := newEnv(t, qualyssim.New(qualyssim.Options{}))
			st := loadSrc(t, src)
			p := e.plan(t, st)
			if res := e.apply(t, p, ""); res.Failed > 0 {
				t.Fatalf("apply failed for\n%s\n%+v", src, res.Calls)
			}
			if again := e.plan(t, st); again.HasChanges {
				var b bytes.Buffer
				report.Text(&b, mustNormalize(t, again), report.Options{})
				t.Fatalf("not converged for\n%s\n%s", src, b.String())
			}
		})
	}
}

// state summarises the simulator's subscription by kind and title.
func state(t testing.TB, e *env) map[string][]string {
	lv, err := live.FromAPI(ctx, e.client, cat)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, o := range lv.Objects {
		out[o.Kind] = append(out[o.Kind], o.Title+"#"+o.ID)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// TestFaultMatrix injects every fault the simulator offers at every call
// position of a realistic plan (examples/desired over the demo), then
// reruns once. It counts duplicates created, unplanned deletes and runs
// that did not converge after one rerun, and searches every artefact for
// the secret values.
func TestFaultMatrix(t *testing.T) {
	base := newEnv(t, qualyssim.New(qualyssim.Options{}))
	st := loadDir(t, "../../examples/desired")
	p := base.plan(t, st)
	planned := map[string]bool{}
	for _, c := range p.Changes {
		if c.Action == plan.Delete {
			planned[c.Kind+"/"+c.Title] = true
		}
	}
	var duplicates, unplannedDeletes, notConverged, runs, leaks, resolved, firstFailed int
	dir := t.TempDir()
	for _, kind := range qualyssim.AllFaultKinds {
		for pos := range p.Calls {
			runs++
			var logMu sync.Mutex
			var simLog strings.Builder
			sim := qualyssim.New(qualyssim.Options{Log: func(l string) { logMu.Lock(); simLog.WriteString(l + "\n"); logMu.Unlock() }})
			e := newEnv(t, sim)
			before := state(t, e)
			c := p.Calls[pos]
			skip := 0
			for _, prev := range p.Calls[:pos] {
				if prev.Path == c.Path && prev.Params["action"] == c.Params["action"] {
					skip++
				}
			}
			sim.Inject(qualyssim.Fault{Kind: kind, Path: c.Path, Action: c.Params["action"], Skip: skip, Count: 1, Delay: 1, WaitSec: 1})
			journal := filepath.Join(dir, fmt.Sprintf("%s-%d.jsonl", kind, pos))
			fresh := e.plan(t, st)
			first := e.apply(t, fresh, journal)
			for _, r := range first.Calls {
				switch r.Outcome {
				case apply.OutcomeResolved:
					resolved++
				case apply.OutcomeFailed, apply.OutcomeSkipped:
					firstFailed++
				}
			}
			// One rerun: plan again from scratch and apply.
			sim.ClearFaults()
			rerun := e.plan(t, st)
			res := e.apply(t, rerun, journal)
			after := e.plan(t, st)
			if res.Failed > 0 || after.HasChanges {
				notConverged++
				t.Errorf("%s at call %d (%s %s): not converged after one rerun", kind, pos+1, c.Action, c.Kind)
			}
			final := state(t, e)
			for k, titles := range final {
				seen := map[string]bool{}
				for _, tid := range titles {
					title := strings.SplitN(tid, "#", 2)[0]
					if seen[title] {
						duplicates++
						t.Errorf("%s at call %d: duplicate %s %q", kind, pos+1, k, title)
					}
					seen[title] = true
				}
			}
			for k, titles := range before {
				have := map[string]bool{}
				for _, tid := range final[k] {
					have[strings.SplitN(tid, "#", 2)[0]] = true
				}
				for _, tid := range titles {
					title := strings.SplitN(tid, "#", 2)[0]
					if !have[title] && !planned[k+"/"+title] && k != "option_profiles/system" {
						unplannedDeletes++
						t.Errorf("%s at call %d: %s %q deleted without a plan", kind, pos+1, k, title)
					}
				}
			}
			var artefacts bytes.Buffer
			jb, _ := os.ReadFile(journal)
			artefacts.Write(jb)
			report.JSON(&artefacts, mustNormalize(t, fresh))
			report.Text(&artefacts, mustNormalize(t, fresh), report.Options{})
			fmt.Fprintf(&artefacts, "%+v", res.Calls)
			logMu.Lock()
			artefacts.WriteString(simLog.String())
			logMu.Unlock()
			for _, v := range secrets {
				if bytes.Contains(artefacts.Bytes(), []byte(v)) {
					leaks++
					t.Errorf("secret value leaked in an artefact (%s at call %d)", kind, pos+1)
				}
			}
		}
	}
	t.Logf("fault matrix: %d runs (%d faults x %d call positions): duplicates=%d unplanned_deletes=%d not_converged_after_one_rerun=%d secret_hits=%d; first runs: %d calls failed, %d ambiguous writes resolved by re-read",
		runs, len(qualyssim.AllFaultKinds), len(p.Calls), duplicates, unplannedDeletes, notConverged, leaks, firstFailed, resolved)
	// The matrix must have bitten: faults made calls fail and ambiguous
	// creates and deletes were settled by re-reading.
	if resolved == 0 || firstFailed == 0 {
		t.Errorf("the faults had no effect: resolved=%d failed=%d", resolved, firstFailed)
	}
}

// TestResumeDoesNotRepeatACreate: a journal holding the intent of a create
// whose outcome was never written (the process died after sending it) makes
// the resumed apply re-read, find the record and not create it again.
func TestResumeDoesNotRepeatACreate(t *testing.T) {
	e := newEnv(t, qualyssim.New(qualyssim.Options{}))
	st := loadSrc(t, `auth: tomcat: "t1": {installation_path: "/opt/a", ips: ["10.0.0.1"]}
auth: tomcat: "t2": {installation_path: "/opt/b", ips: ["10.0.0.2"]}`)
	p := e.plan(t, st)
	if len(p.Calls) != 2 {
		t.Fatalf("calls = %d", len(p.Calls))
	}
	journal := filepath.Join(t.TempDir(), "j.jsonl")
	j, _ := apply.OpenJournal(journal, "plan-1", nil)
	// Call 0 was sent and succeeded but the crash came before its outcome.
	j.Write(apply.Entry{Call: 0, Event: "intent", Kind: "auth/tomcat", Action: "create", Titles: []string{"t1"}})
	j.Close()
	if _, err := e.client.CreateAuth(ctx, cat.AuthKind("tomcat"), mapToValues(p.Calls[0].Params)); err != nil {
		t.Fatal(err)
	}
	done, err := apply.ReadJournal(journal, "plan-1")
	if err != nil {
		t.Fatal(err)
	}
	opts := apply.Options{Resolve: resolve, Done: done}
	if _, err := apply.Check(ctx, e.api, p, opts); err != nil {
		t.Fatalf("check refused a resumed create: %v", err)
	}
	res := apply.Run(ctx, e.api, p, opts)
	if res.Calls[0].Outcome != apply.OutcomeResumed || res.Calls[1].Outcome != apply.OutcomeOK {
		t.Fatalf("outcomes = %+v", res.Calls)
	}
	objs, _ := e.client.ListAuth(ctx, cat.AuthKind("tomcat"))
	if len(objs) != 2 {
		t.Fatalf("%d tomcat records, want 2 (no duplicate)", len(objs))
	}
	creates := 0
	for _, c := range e.sim.Calls() {
		if c.Action == "create" {
			creates++
		}
	}
	if creates != 2 {
		t.Errorf("%d creates sent, want 2", creates)
	}
}

func mapToValues(m map[string]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range m {
		if k != "action" {
			out[k] = []string{v}
		}
	}
	return out
}

func TestStalePlanIsRefused(t *testing.T) {
	e := newEnv(t, qualyssim.New(qualyssim.Options{}))
	st := loadSrc(t, `auth: unix: "Linux web servers": {ips: ["10.10.20.0/24"]}
auth: oracle: "o": {username: "u", password: env: "P", ips: ["10.0.0.1"]}`)
	p := e.plan(t, st)
	// Someone edits the record in the UI after the plan was made.
	if err := e.client.UpdateAuth(ctx, cat.AuthKind("unix"), "195368", mapToValues(map[string]string{"username": "changed"})); err != nil {
		t.Fatal(err)
	}
	_, err := apply.Check(ctx, e.api, p, apply.Options{Resolve: resolve})
	if err == nil || !strings.Contains(err.Error(), `auth/unix "Linux web servers" (id 195368) changed`) {
		t.Fatalf("err = %v", err)
	}
	// An unrelated change does not void the plan.
	e2 := newEnv(t, qualyssim.New(qualyssim.Options{}))
	p2 := e2.plan(t, st)
	e2.client.UpdateAuth(ctx, cat.AuthKind("windows"), "243033", mapToValues(map[string]string{"username": "other"}))
	if _, err := apply.Check(ctx, e2.api, p2, apply.Options{Resolve: resolve}); err != nil {
		t.Fatalf("unrelated change voided the plan: %v", err)
	}
	// A create whose title appeared meanwhile would be a duplicate.
	e2.client.CreateAuth(ctx, cat.AuthKind("oracle"), mapToValues(map[string]string{"title": "o", "username": "u", "password": "p", "ips": "10.0.0.1"}))
	if _, err := apply.Check(ctx, e2.api, p2, apply.Options{Resolve: resolve}); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Fatalf("err = %v", err)
	}
}

func TestDeleteRails(t *testing.T) {
	sim := qualyssim.NewEmpty(qualyssim.Options{})
	e := newEnv(t, sim)
	for i := 0; i < 20; i++ {
		e.client.CreateAuth(ctx, cat.AuthKind("unix"), mapToValues(map[string]string{"title": fmt.Sprintf("r%02d", i), "username": "u", "password": "p", "ips": fmt.Sprintf("10.0.0.%d", i+1)}))
	}
	keep := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "auth: unix: \"r%02d\": {}\n", i)
		}
		return b.String() + `policy: unmanaged: "auth/unix": "delete"` + "\n"
	}
	cases := []struct {
		keep int
		opts apply.Options
		want string
	}{
		{18, apply.Options{}, ""},
		{14, apply.Options{}, "more than 25%"},
		{14, apply.Options{AllowMassDelete: true}, ""},
		{8, apply.Options{MaxDeletePercent: 100}, "more than the limit of 10"},
		{19, apply.Options{Protected: []string{"r19"}}, "r19\" is protected"},
		// max_deletes: 0 in the policy means no deletes at all.
		{19, apply.Options{MaxDeletes: -1}, "more than the limit of 0"},
	}
	for _, c := range cases {
		p := e.plan(t, loadSrc(t, keep(c.keep)))
		// The limits the CLI passes: the policy's, here the defaults.
		def := resource.DefaultPolicy()
		switch {
		case c.opts.MaxDeletes < 0:
			c.opts.MaxDeletes = 0
		case c.opts.MaxDeletes == 0:
			c.opts.MaxDeletes = def.MaxDeletes
		}
		if c.opts.MaxDeletePercent == 0 {
			c.opts.MaxDeletePercent = def.MaxDeletePercent
		}
		c.opts.Resolve = resolve
		_, err := apply.Check(ctx, e.api, p, c.opts)
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("keep %d: err = %v, want %q", c.keep, err, c.want)
		}
	}
}

// TestDependentCallsStop: when the removal of IPs fails, the create that
// would take them over is skipped; an independent call still runs.
func TestDependentCallsStop(t *testing.T) {
	sim := qualyssim.NewEmpty(qualyssim.Options{})
	e := newEnv(t, sim)
	e.client.CreateAuth(ctx, cat.AuthKind("windows"), mapToValues(map[string]string{"title": "old", "username": "u", "password": "p", "ips": "10.5.0.0-10.5.0.19"}))
	st := loadSrc(t, `auth: windows: "old": {ips: ["10.5.0.0-10.5.0.9"]}
auth: windows: "new": {username: "u", password: env: "P", ips: ["10.5.0.10-10.5.0.29"]}
auth: tomcat: "independent": {installation_path: "/x", ips: ["10.9.9.9"]}`)
	p := e.plan(t, st)
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultError200, Path: "/api/2.0/fo/auth/windows/", Action: "update", Code: 1905})
	res := apply.Run(ctx, e.api, p, apply.Options{Resolve: resolve})
	outcomes := map[string]string{}
	for _, r := range res.Calls {
		outcomes[r.Action+" "+r.Titles[0]] = r.Outcome
	}
	if outcomes["update old"] != apply.OutcomeFailed || outcomes["create new"] != apply.OutcomeSkipped || outcomes["create independent"] != apply.OutcomeOK {
		t.Fatalf("outcomes = %v", outcomes)
	}
	if res.Failed != 2 {
		t.Errorf("failed = %d", res.Failed)
	}
}

// TestCheckReadsOnlyTouchedObjects: a plan that only updates records of a
// kind re-reads those records by ID, not the whole kind.
func TestCheckReadsOnlyTouchedObjects(t *testing.T) {
	e := newEnv(t, qualyssim.New(qualyssim.Options{}))
	p := e.plan(t, loadSrc(t, `auth: unix: "Linux web servers": {port: 2222}`))
	before := len(e.sim.Calls())
	if _, err := apply.Check(ctx, e.api, p, apply.Options{Resolve: resolve}); err != nil {
		t.Fatal(err)
	}
	for _, c := range e.sim.Calls()[before:] {
		if c.Path == "/api/2.0/fo/auth/unix/" && c.Action == "list" {
			has := false
			for _, n := range c.Params {
				has = has || n == "ids"
			}
			if !has {
				t.Errorf("the whole auth/unix kind was re-read: %+v", c)
			}
		}
	}
}
