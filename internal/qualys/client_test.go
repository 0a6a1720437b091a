package qualys_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
	"github.com/qsync/qsync/internal/resource"
)

var cat = resource.Default()

// fixture is a simulator on loopback and a client whose clock records
// waits instead of sleeping.
type fixture struct {
	sim    *qualyssim.Server
	srv    *httptest.Server
	c      *qualys.Client
	mu     sync.Mutex
	waits  []time.Duration
	traces []string
}

// fakeClock is shared by the client and the simulator: a client's sleep
// advances the simulator's rate window too.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newFixture(t *testing.T, sim *qualyssim.Server, mod ...func(*qualys.Config)) *fixture {
	t.Helper()
	return newFixtureClock(t, sim, nil, mod...)
}

func newFixtureClock(t *testing.T, sim *qualyssim.Server, clock *fakeClock, mod ...func(*qualys.Config)) *fixture {
	t.Helper()
	if clock == nil {
		clock = &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	}
	f := &fixture{sim: sim, srv: httptest.NewServer(sim)}
	t.Cleanup(f.srv.Close)
	cfg := qualys.Config{BaseURL: f.srv.URL, Username: "demo", Password: "demo", Now: clock.Now,
		Sleep: func(_ context.Context, d time.Duration) error {
			f.mu.Lock()
			f.waits = append(f.waits, d)
			f.mu.Unlock()
			clock.advance(d)
			return nil
		},
		Trace: func(format string, args ...any) {
			f.mu.Lock()
			f.traces = append(f.traces, fmt.Sprintf(format, args...))
			f.mu.Unlock()
		},
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := qualys.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.c = c
	return f
}

func demo(t *testing.T) *fixture { return newFixture(t, qualyssim.New(qualyssim.Options{})) }

var ctx = context.Background()

func TestReadsEveryAuthType(t *testing.T) {
	f := demo(t)
	want := map[string][]string{
		"mariadb": {"284866"}, "mysql": {"284212"}, "jboss": {"296004"},
		"unix": {"195368", "195385"}, "windows": {"243033", "243418", "243419", "243420", "246432"},
		"postgresql": {"290001"}, "oracle": nil, "ms_sql": nil, "tomcat": nil,
	}
	for _, typ := range resource.AuthTypes {
		objs, err := f.c.ListAuth(ctx, cat.AuthKind(typ))
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		var ids []string
		for _, o := range objs {
			ids = append(ids, o.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(want[typ]) {
			t.Errorf("%s ids = %v, want %v", typ, ids, want[typ])
		}
	}
	ids, err := f.c.ListAuthIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids["windows"], ","); got != "243033,243418,243419,243420,246432" {
		t.Errorf("windows ID set (with ID_RANGE) = %s", got)
	}
	if got := strings.Join(ids["mariadb"], ","); got != "284866" {
		t.Errorf("mariadb ID set = %s", got)
	}
}

func TestReadDecodesFields(t *testing.T) {
	f := demo(t)
	objs, err := f.c.ListAuth(ctx, cat.AuthKind("mysql"))
	if err != nil {
		t.Fatal(err)
	}
	o := objs[0]
	checks := map[string]string{
		"title": o.Title, "login_type": fmt.Sprint(o.Values["login_type"]), "vault_type": fmt.Sprint(o.Values["vault_type"]),
		"vault_id": fmt.Sprint(o.Values["vault_id"]), "secret_name": fmt.Sprint(o.Values["secret_name"]),
		"ssl_verify": fmt.Sprint(o.Values["ssl_verify"]), "hosts": fmt.Sprint(o.Values["hosts"]),
		"ips": fmt.Sprint(o.Values["ips"]), "windows_config_file": fmt.Sprint(o.Values["windows_config_file"]),
	}
	want := map[string]string{
		"title": "api-Thycotic Secret Server_tss", "login_type": "vault", "vault_type": "Thycotic Secret Server",
		"vault_id": "166638", "secret_name": "Secret", "ssl_verify": "true", "hosts": "[www.test.com]",
		"ips": "10.10.10.181", "windows_config_file": `C:\mysql\myu.ini`,
	}
	for k, v := range want {
		if checks[k] != v {
			t.Errorf("%s = %q, want %q", k, checks[k], v)
		}
	}
	if _, ok := o.Values["password"]; ok {
		t.Error("a password was read back")
	}
	jb, err := f.c.ListAuth(ctx, cat.AuthKind("jboss"))
	if err != nil {
		t.Fatal(err)
	}
	if m := jb[0].Values["windows_working_mode"]; m != "domain_controller_mode" {
		t.Errorf("DOMAIN_MODE true read as %v", m)
	}
}

func TestOptionProfilesAndAppliances(t *testing.T) {
	f := demo(t)
	ops, err := f.c.ExportOptionProfiles(ctx, cat)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, o := range ops {
		kinds[o.Kind]++
	}
	if kinds["option_profiles/system"] != 5 || kinds["option_profiles/vm"] != 2 || kinds["option_profiles/pci"] != 1 || kinds["option_profiles/pc"] != 1 {
		t.Errorf("profile kinds = %v", kinds)
	}
	refs, err := f.c.ListOptionProfiles(ctx, cat.Kind("option_profiles/pc"))
	if err != nil || len(refs) != 1 || refs[0].ID != "39044" {
		t.Errorf("pc list = %v, %v", refs, err)
	}
	apps, err := f.c.ListAppliances(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || apps[0].Title != "scanner-01" || apps[0].Physical || !apps[1].Physical {
		t.Fatalf("appliances = %+v", apps)
	}
	vlans := apps[0].Values["vlans"].([]resource.VLAN)
	if len(vlans) != 4 || vlans[3].ID != 9012 || vlans[3].IPv6 == nil || vlans[3].IPv6.Mode != "auto" {
		t.Errorf("vlans = %+v", vlans)
	}
	routes := apps[0].Values["routes"].([]resource.Route)
	var addrs []string
	for _, r := range routes {
		addrs = append(addrs, r.IPv6.Address)
	}
	// Name1 was set with /64: IPV6_NETWORK shows it; Name5 had no prefix.
	if strings.Join(addrs, " ") != "fdd1:0:1:107::500 fdd1:0:1:107::500/64" {
		t.Errorf("route addresses = %v", addrs)
	}
}

func TestWritesEveryKind(t *testing.T) {
	f := demo(t)
	for _, typ := range resource.AuthTypes {
		k := cat.AuthKind(typ)
		p := url.Values{"title": {"qsync test " + typ}, "ips": {"192.0.2.1-192.0.2.9"}}
		switch typ {
		case "mariadb", "mysql":
			p.Set("username", "u")
			p.Set("password", "p&ss|w#rd+1,2")
			p.Set("database", "db")
			p.Set("port", "3306")
			p.Set("unix_config_file", "/etc/my.cnf")
		case "jboss":
			p.Set("unix_working_mode", "standalone_mode")
			for _, s := range []string{"home", "base", "conf_dir", "conf_file"} {
				p.Set("unix_"+s+"_path", "/opt")
			}
		case "tomcat":
			p.Set("installation_path", "/opt/tomcat")
		case "postgresql":
			p.Set("username", "u")
			p.Set("password", "p")
			p.Set("database", "db")
			p.Set("port", "5432")
		default:
			p.Set("username", "u")
			p.Set("password", "p")
		}
		id, err := f.c.CreateAuth(ctx, k, p)
		if err != nil {
			t.Fatalf("create %s: %v", typ, err)
		}
		if err := f.c.UpdateAuth(ctx, k, id, url.Values{"add_ips": {"192.0.2.20"}, "remove_ips": {"192.0.2.5"}}); err != nil {
			t.Fatalf("update %s: %v", typ, err)
		}
		objs, _ := f.c.ListAuth(ctx, k)
		var got *resource.Object
		for _, o := range objs {
			if o.ID == id {
				got = o
			}
		}
		if got == nil || got.Values["ips"].(resource.IPSet).String() != "192.0.2.1-192.0.2.4,192.0.2.6-192.0.2.9,192.0.2.20" {
			t.Fatalf("%s after add/remove: %+v", typ, got)
		}
		if err := f.c.UpdateAuth(ctx, k, id, url.Values{"ips": {"198.51.100.7"}}); err != nil {
			t.Fatalf("replace ips %s: %v", typ, err)
		}
		if _, err := f.c.DeleteAuth(ctx, k, id); err != nil {
			t.Fatalf("delete %s: %v", typ, err)
		}
	}
	for _, typ := range []string{"vm", "pci", "pc"} {
		k := cat.Kind("option_profiles/" + typ)
		p := url.Values{"title": {"qsync " + typ}}
		switch typ {
		case "vm":
			p.Set("scan_tcp_ports", "full")
			p.Set("scan_udp_ports", "standard")
			p.Set("basic_information_gathering", "all")
		case "pc":
			p.Set("scan_overall_performance", "high")
			p.Set("scan_ports", "standard")
		}
		id, err := f.c.CreateOptionProfile(ctx, k, p)
		if err != nil {
			t.Fatalf("create %s: %v", typ, err)
		}
		if err := f.c.UpdateOptionProfile(ctx, k, id, url.Values{"scan_overall_performance": {"low"}}); err != nil {
			t.Fatalf("update %s: %v", typ, err)
		}
		if err := f.c.DeleteOptionProfile(ctx, k, id); err != nil {
			t.Fatalf("delete %s: %v", typ, err)
		}
	}
	vl := resource.EncodeVLANs([]resource.VLAN{{ID: 7, Name: "a:b", IPv6: &resource.VLANIPv6{Mode: "auto"}}})
	rt := resource.EncodeRoutes([]resource.Route{{Name: "r", IPv6: &resource.RouteIPv6{Address: "2001:db8::1/64", Gateway: "2001:db8::fffe"}}})
	if err := f.c.UpdateAppliance(ctx, "126209", false, url.Values{"set_vlans": {vl}, "set_routes": {rt}}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.UpdateAppliance(ctx, "126300", true, url.Values{"set_vlans": {""}, "set_routes": {""}}); err != nil {
		t.Fatal(err)
	}
	if err := f.c.UpdateAppliance(ctx, "126300", false, url.Values{"set_vlans": {""}}); !errors.Is(err, qualys.ErrBadParam) {
		t.Errorf("physical appliance through the virtual endpoint: %v", err)
	}
	apps, _ := f.c.ListAppliances(ctx)
	r := apps[0].Values["routes"].([]resource.Route)
	if len(r) != 1 || r[0].IPv6.Address != "2001:db8::1/64" || len(apps[1].Values["vlans"].([]resource.VLAN)) != 0 {
		t.Errorf("appliances after update: %+v %+v", apps[0].Values, apps[1].Values)
	}
}

func TestPagingAcross2500Records(t *testing.T) {
	sim := qualyssim.NewEmpty(qualyssim.Options{RateLimit: 100000})
	f := newFixture(t, sim)
	k := cat.AuthKind("unix")
	for i := 0; i < 2500; i++ {
		if _, err := f.c.CreateAuth(ctx, k, url.Values{"title": {fmt.Sprintf("rec-%04d", i)}, "username": {"u"}, "password": {"p"},
			"ips": {fmt.Sprintf("10.%d.%d.1", i/250, i%250)}}); err != nil {
			t.Fatal(err)
		}
	}
	before := len(sim.Calls())
	objs, err := f.c.ListAuth(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2500 {
		t.Fatalf("read %d records, want 2500", len(objs))
	}
	seen := map[string]bool{}
	for _, o := range objs {
		if seen[o.ID] {
			t.Fatalf("record %s read twice", o.ID)
		}
		seen[o.ID] = true
	}
	if pages := len(sim.Calls()) - before; pages != 3 {
		t.Errorf("%d list calls, want 3 pages of at most 1000", pages)
	}
	raw, err := f.c.AuthListRaw(ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), "<AUTH_UNIX>"); n != 2500 || strings.Contains(string(raw), "<WARNING") {
		t.Errorf("spliced document has %d records (warning left: %v)", n, strings.Contains(string(raw), "<WARNING"))
	}
}

func TestPartialReadIsAnError(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{PageSize: 2})
	f := newFixture(t, sim, func(c *qualys.Config) { c.MaxAttempts = 2 })
	// The second page fails every time: the read must fail, not return
	// the first page.
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultServer, Path: "/api/2.0/fo/auth/windows/", Skip: 1})
	objs, err := f.c.ListAuth(ctx, cat.AuthKind("windows"))
	if err == nil || !errors.Is(err, qualys.ErrIncompleteRead) {
		t.Fatalf("got %d objects, err %v; want an incomplete-read error", len(objs), err)
	}
}

func TestErrorClasses(t *testing.T) {
	cases := []struct {
		name  string
		setup func(*qualyssim.Server)
		cfg   func(*qualys.Config)
		req   *qualys.Request
		want  error
		code  int
	}{
		{"bad login", nil, func(c *qualys.Config) { c.Password = "wrong" }, listReq("unix"), qualys.ErrBadLogin, 2000},
		{"unknown parameter", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/unix/", Params: url.Values{"action": {"list"}, "bogus": {"1"}}}, qualys.ErrBadParam, 1901},
		{"missing parameter", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/unix/", Params: url.Values{"action": {"create"}}}, qualys.ErrBadParam, 1903},
		{"bad value", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/unix/", Params: url.Values{"action": {"list"}, "details": {"Everything"}}}, qualys.ErrBadParam, 1905},
		{"exclusive parameters", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/unix/", Params: url.Values{"action": {"update"}, "ids": {"195368"}, "ips": {"10.0.0.1"}, "remove_ips": {"10.0.0.2"}}}, qualys.ErrBadParam, 1904},
		{"POST required", nil, nil, &qualys.Request{Method: "GET", Path: "/api/2.0/fo/auth/unix/", Params: url.Values{"action": {"delete"}, "ids": {"1"}}}, qualys.ErrBadParam, 1908},
		{"expired account", func(s *qualyssim.Server) { s.Inject(qualyssim.Fault{Kind: qualyssim.FaultError200, Code: 2001}) }, nil, listReq("unix"), qualys.ErrExpired, 2001},
		{"application error with 200", func(s *qualyssim.Server) { s.Inject(qualyssim.Fault{Kind: qualyssim.FaultError200, Code: 7001}) }, nil, listReq("unix"), qualys.ErrServer, 7001},
		{"HTML body", func(s *qualyssim.Server) { s.Inject(qualyssim.Fault{Kind: qualyssim.FaultHTML}) }, nil, listReq("unix"), qualys.ErrHTML, 0},
		{"server error", func(s *qualyssim.Server) { s.Inject(qualyssim.Fault{Kind: qualyssim.FaultServer}) }, nil, listReq("unix"), qualys.ErrServer, 0},
		{"missing slash", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/unix", Params: url.Values{"action": {"list"}}}, nil, 0},
		{"redirect", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/unix/../unix/", Params: url.Values{"action": {"list"}}}, nil, 0},
		{"not found path", nil, nil, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/nothing/", Params: url.Values{"action": {"list"}}}, qualys.ErrNotFound, 0},
		{"unparseable", func(s *qualyssim.Server) { s.Inject(qualyssim.Fault{Kind: qualyssim.FaultTruncated}) }, nil, listReq("unix"), nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim := qualyssim.New(qualyssim.Options{})
			if tc.setup != nil {
				tc.setup(sim)
			}
			mods := []func(*qualys.Config){func(c *qualys.Config) { c.MaxAttempts = 2 }}
			if tc.cfg != nil {
				mods = append(mods, tc.cfg)
			}
			f := newFixture(t, sim, mods...)
			var err error
			if tc.name == "unparseable" {
				_, err = f.c.ListAuth(ctx, cat.AuthKind("unix"))
			} else {
				_, err = f.c.Do(ctx, tc.req)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var ae *qualys.APIError
			if tc.code != 0 && (!errors.As(err, &ae) || ae.Code != tc.code) {
				t.Fatalf("err = %v, want CODE %d", err, tc.code)
			}
		})
	}
}

func listReq(typ string) *qualys.Request {
	return &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/" + typ + "/", Params: url.Values{"action": {"list"}}, Idempotent: true}
}

func TestRedirectIsNeverFollowedForPOST(t *testing.T) {
	f := demo(t)
	before := len(f.sim.Calls())
	_, err := f.c.Do(ctx, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/mariadb/../mariadb/", Params: url.Values{"action": {"list"}}})
	if err == nil {
		t.Fatal("no error for a redirect")
	}
	// A raw request without the trailing slash gets a 301 and nothing else.
	req, _ := http.NewRequest("POST", f.srv.URL+"/api/2.0/fo/auth/mariadb", strings.NewReader("action=list"))
	req.SetBasicAuth("demo", "demo")
	req.Header.Set("X-Requested-With", "test")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "/api/2.0/fo/auth/mariadb/" {
		t.Errorf("missing slash: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if n := len(f.sim.Calls()) - before; n > 2 {
		t.Errorf("%d calls: a redirect was followed", n)
	}
	if _, err := f.c.Do(ctx, &qualys.Request{Method: "POST", Path: "/api/2.0/fo/auth/mariadb", Params: url.Values{"action": {"list"}}}); err == nil {
		t.Error("client accepted a path without trailing slash")
	}
}

func TestHeadersAndEncoding(t *testing.T) {
	var got *http.Request
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		r.ParseForm()
		body = r.PostForm.Get("password")
		w.Header().Set("X-RATELIMIT-REMAINING", "299")
		w.Header().Set("x-concurrency-limit-limit", "5")
		fmt.Fprint(w, `<BATCH_RETURN><RESPONSE><BATCH_LIST><BATCH><TEXT>ok</TEXT><ID_SET><ID>1</ID></ID_SET></BATCH></BATCH_LIST></RESPONSE></BATCH_RETURN>`)
	}))
	defer srv.Close()
	c, err := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	secret := "a|b,c+d&e#f=g h%"
	if _, err := c.Write(ctx, "/api/2.0/fo/auth/unix/", url.Values{"action": {"update"}, "password": {secret}}); err != nil {
		t.Fatal(err)
	}
	if got.Header.Get("X-Requested-With") == "" || got.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		t.Errorf("headers: %v", got.Header)
	}
	if u, p, ok := got.BasicAuth(); !ok || u != "u" || p != "p" {
		t.Error("no basic auth")
	}
	if body != secret {
		t.Errorf("value round trip: %q", body)
	}
	if n := c.ConcurrencyLimit("/api/2.0/fo/auth/unix/"); n != 5 {
		t.Errorf("concurrency limit from lowercase header = %d, want 5", n)
	}
}

func TestBaseURLRules(t *testing.T) {
	for _, u := range []string{"http://qualysapi.qualys.com", "ftp://x", "https://", "http://10.0.0.1:80"} {
		if _, err := qualys.CheckBaseURL(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"https://qualysapi.qualys.eu", "http://127.0.0.1:9", "http://[::1]:8443", "http://localhost:1"} {
		if _, err := qualys.CheckBaseURL(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	for name, want := range map[string]string{"US1": "https://qualysapi.qualys.com", "in1": "https://qualysapi.qg1.apps.qualys.in", "qualysapi.acme.example": "https://qualysapi.acme.example"} {
		if got, err := qualys.PlatformURL(name); err != nil || got != want {
			t.Errorf("%s -> %s %v", name, got, err)
		}
	}
	if _, err := qualys.PlatformURL("MARS1"); err == nil {
		t.Error("unknown platform accepted")
	}
}

func TestRateLimitPacing(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{})
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultRate, Path: "/api/2.0/fo/auth/unix/", Count: 2, WaitSec: 7})
	f := newFixture(t, sim)
	if _, err := f.c.ListAuth(ctx, cat.AuthKind("unix")); err != nil {
		t.Fatal(err)
	}
	var sevens int
	for _, w := range f.waits {
		if w == 7*time.Second {
			sevens++
		}
	}
	if sevens != 2 {
		t.Errorf("waits = %v, want two of 7s (ToWait-Sec)", f.waits)
	}
}

func TestRateWindowExhaustion(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	sim := qualyssim.New(qualyssim.Options{RateLimit: 3, RateWindow: time.Minute, Now: clock.Now})
	f := newFixtureClock(t, sim, clock)
	for i := 0; i < 3; i++ {
		if _, err := f.c.ListAuth(ctx, cat.AuthKind("oracle")); err != nil {
			t.Fatal(err)
		}
	}
	if len(f.waits) != 0 {
		t.Fatalf("paused with calls left: %v", f.waits)
	}
	// Remaining reached 0: the client pauses before the next call, then
	// honours the 409's wait until the window resets.
	if _, err := f.c.ListAuth(ctx, cat.AuthKind("oracle")); err != nil {
		t.Fatalf("call after the window: %v", err)
	}
	if len(f.waits) == 0 || f.waits[0] != 20*time.Second {
		t.Fatalf("waits = %v, want a first pause of window/limit = 20s", f.waits)
	}
	var total time.Duration
	for _, w := range f.waits {
		total += w
	}
	if total < time.Minute {
		t.Errorf("waited %v in all, less than the 60s window", total)
	}
}

func TestConcurrencyLimit409(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{})
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultConcurrency, Count: 3})
	f := newFixture(t, sim)
	if _, err := f.c.ListAuth(ctx, cat.AuthKind("unix")); err != nil {
		t.Fatalf("409 1960 not retried: %v", err)
	}
	if len(f.waits) < 3 {
		t.Errorf("waits = %v, want a back-off per 409", f.waits)
	}
}

func TestCreateIsNeverRetriedBlindly(t *testing.T) {
	for _, kind := range []qualyssim.FaultKind{qualyssim.FaultDropAfter, qualyssim.FaultServerAfter, qualyssim.FaultServer, qualyssim.FaultDropBefore} {
		t.Run(string(kind), func(t *testing.T) {
			sim := qualyssim.New(qualyssim.Options{})
			sim.Inject(qualyssim.Fault{Kind: kind, Action: "create", Count: 1})
			f := newFixture(t, sim)
			k := cat.AuthKind("unix")
			_, err := f.c.CreateAuth(ctx, k, url.Values{"title": {"once"}, "username": {"u"}, "password": {"p"}, "ips": {"10.9.9.9"}})
			var amb *qualys.AmbiguousError
			if !errors.As(err, &amb) {
				t.Fatalf("err = %v, want AmbiguousError", err)
			}
			creates := 0
			for _, c := range sim.Calls() {
				if c.Action == "create" {
					creates++
				}
			}
			if creates != 1 {
				t.Errorf("create sent %d times", creates)
			}
		})
	}
}

func TestDeleteIsNeverRetriedBlindly(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{})
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultDropAfter, Action: "delete", Count: 1})
	f := newFixture(t, sim)
	_, err := f.c.DeleteAuth(ctx, cat.AuthKind("windows"), "243418-243420")
	var amb *qualys.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("err = %v, want AmbiguousError", err)
	}
	objs, _ := f.c.ListAuth(ctx, cat.AuthKind("windows"))
	if len(objs) != 2 {
		t.Errorf("the dropped delete was applied once: %d windows left, want 2", len(objs))
	}
}

func TestUpdateIsRetried(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{})
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultDropAfter, Action: "update", Count: 1})
	f := newFixture(t, sim)
	if err := f.c.UpdateAuth(ctx, cat.AuthKind("unix"), "195368", url.Values{"add_ips": {"10.10.20.60"}}); err != nil {
		t.Fatalf("idempotent update not retried: %v", err)
	}
}

func TestContextCancel(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{})
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultDelay, Delay: 5 * time.Second})
	f := newFixture(t, sim)
	c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := f.c.ListAuth(c, cat.AuthKind("unix")); err == nil {
		t.Fatal("no error after cancel")
	}
	if time.Since(start) > 3*time.Second {
		t.Error("cancel was not honoured promptly")
	}
}

func TestResponseSizeCap(t *testing.T) {
	f := newFixture(t, qualyssim.New(qualyssim.Options{}), func(c *qualys.Config) { c.MaxResponseBytes = 512; c.MaxAttempts = 1 })
	if _, err := f.c.ListAuth(ctx, cat.AuthKind("windows")); !errors.Is(err, qualys.ErrTooLarge) {
		t.Fatalf("err = %v, want too large", err)
	}
}

func TestTraceHoldsNoSecrets(t *testing.T) {
	f := demo(t)
	f.c.CreateAuth(ctx, cat.AuthKind("unix"), url.Values{"title": {"t"}, "username": {"u"}, "password": {"hunter2-SECRET"}, "ips": {"10.1.1.1"}})
	for _, l := range f.traces {
		if strings.Contains(l, "hunter2") || strings.Contains(l, "demo") {
			t.Errorf("trace leaks: %s", l)
		}
	}
}

// TestWaitFromBodyWithoutHeader: a 1965 without X-RateLimit-ToWait-Sec is
// paced by its SECONDS_TO_WAIT item.
func TestWaitFromBodyWithoutHeader(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.WriteHeader(409)
			fmt.Fprint(w, `<SIMPLE_RETURN><RESPONSE><CODE>1965</CODE><TEXT>wait</TEXT><ITEM_LIST><ITEM><KEY>SECONDS_TO_WAIT</KEY><VALUE>42</VALUE></ITEM></ITEM_LIST></RESPONSE></SIMPLE_RETURN>`)
			return
		}
		fmt.Fprint(w, `<AUTH_RECORDS_OUTPUT><RESPONSE><DATETIME>x</DATETIME></RESPONSE></AUTH_RECORDS_OUTPUT>`)
	}))
	defer srv.Close()
	var waits []time.Duration
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c, _ := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "u", Password: "p", Now: clock.Now,
		Sleep: func(_ context.Context, d time.Duration) error { waits = append(waits, d); clock.advance(d); return nil }})
	if _, err := c.ListAuthIDs(ctx); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 || waits[0] != 42*time.Second {
		t.Fatalf("waits = %v, want [42s]", waits)
	}
}
