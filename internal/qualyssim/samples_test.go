package qualyssim_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qsync/qsync/internal/qualyssim"
)

// post sends a raw form request the way the release notes' curl samples
// do, without qsync's client.
func post(t *testing.T, url, path, body string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+path, strings.NewReader(body))
	req.SetBasicAuth("demo", "demo")
	req.Header.Set("X-Requested-With", "curl sample")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func must(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("answer lacks %q:\n%s", p, body)
		}
	}
}

// TestReleaseNotesSamples replays the sample requests of the release notes
// against the demo subscription and checks the answers' shapes.
func TestReleaseNotesSamples(t *testing.T) {
	srv := httptest.NewServer(qualyssim.New(qualyssim.Options{}))
	defer srv.Close()
	u := srv.URL

	_, h, b := post(t, u, "/api/2.0/fo/auth/", "action=list")
	must(t, b, "<AUTH_RECORDS_OUTPUT>", "<AUTH_UNIX_IDS>", "<ID>195368</ID>", "<ID_RANGE>243418-243420</ID_RANGE>", "<AUTH_MARIADB_IDS>", "<ID>284866</ID>")
	for _, hdr := range []string{"X-Ratelimit-Limit", "X-Ratelimit-Window-Sec", "X-Ratelimit-Remaining", "X-Ratelimit-Towait-Sec", "X-Concurrency-Limit-Limit", "X-Concurrency-Limit-Running"} {
		if h.Get(hdr) == "" {
			t.Errorf("no %s header", hdr)
		}
	}

	_, _, b = post(t, u, "/api/2.0/fo/auth/mariadb/", "action=list")
	must(t, b, "<AUTH_MARIADB_LIST_OUTPUT>", "<TITLE><![CDATA[MariaDB_Auth1]]></TITLE>", "<UNIX_CONF_FILE><![CDATA[/etc/my.cnf]]></UNIX_CONF_FILE>", "<SSL_VERIFY>false</SSL_VERIFY>", "<LOGIN_TYPE><![CDATA[basic]]></LOGIN_TYPE>")

	_, _, b = post(t, u, "/api/2.0/fo/auth/mariadb/", "action=create&title=MariaDB_Auth2&username=root&password=abc123&ips=10.10.31.86&echo_request=0&unix_config_file=/etc/my.cnf&port=22&database=mariadb")
	must(t, b, "<BATCH_RETURN>", "<TEXT>Successfully Created</TEXT>", "<ID_SET>")
	_, _, b = post(t, u, "/api/2.0/fo/auth/mariadb/", "action=update&ids=284866&add_ips=10.0.0.2-10.0.0.5")
	must(t, b, "<TEXT>Successfully Updated</TEXT>", "<ID>284866</ID>")
	_, _, b = post(t, u, "/api/2.0/fo/auth/mariadb/", "action=delete&ids=125708,125709")
	must(t, b, "<BATCH_RETURN>", "<CODE>1905</CODE>")

	_, _, b = post(t, u, "/api/2.0/fo/auth/jboss/", `action=create&title=jbos rec2&windows_working_mode=standalone_mode&windows_base_path=c:\&windows_home_path=c:\&windows_conf_file_path=c:\&windows_conf_dir_path=c:\&comment=record creation&ips=10.10.10.224`)
	must(t, b, "Successfully Created")
	_, _, b = post(t, u, "/api/2.0/fo/auth/jboss/", `action=update&ids=296004&windows_working_mode=domain_controller_mode&windows_base_path=c:\&windows_home_path=c:\&windows_conf_file_path=c:\&windows_conf_dir_path=c:\&comment=record creation&windows_conf_host_file_path=c:\&ips=10.10.10.224`)
	must(t, b, "Successfully Updated")
	_, _, b = post(t, u, "/api/2.0/fo/auth/jboss/", "action=list&ids=296004")
	must(t, b, "<AUTH_JBOSS>", "<WINDOWS>", "<DOMAIN_MODE><![CDATA[true]]></DOMAIN_MODE>", "<COMMENTS><![CDATA[record creation]]></COMMENTS>")

	_, _, b = post(t, u, "/api/2.0/fo/auth/mysql/", "action=list&ids=284212")
	must(t, b, "<LOGIN_TYPE><![CDATA[vault]]></LOGIN_TYPE>", "<DIGITAL_VAULT>", "<DIGITAL_VAULT_ID><![CDATA[166638]]></DIGITAL_VAULT_ID>", "<VAULT_SECRET_NAME><![CDATA[Secret]]></VAULT_SECRET_NAME>", "<HOST><![CDATA[www.test.com]]></HOST>")
	_, _, b = post(t, u, "/api/2.0/fo/auth/mysql/", `action=create&ips=10.10.10.181&username=USERNAME&title=NewMySQLRecord&ssl_verify=1&hosts=www.test.com&login_type=vault&vault_type=Thycotic Secret Server&vault_id=166638&secret_name=secret&comments=test comments&port=22&database=mysql&windows_config_file=c:\mysql\myu.ini`)
	must(t, b, "Successfully Created")

	for _, sample := range []string{
		"action=update&id=126209&set_vlans=1234| | |Name1234|ipv6_static|fdd1:0:1:109::500",
		"action=update&id=126209&set_vlans=5678|123.123.123.123|255.255.255.255|Name5678",
		"action=update&id=126209&set_vlans=1234| | |Name1234|ipv6_static|fdd1:0:1:108::500,5678|123.123.123.123|255.255.255.255|Name5678,9012|244.244.244.244|255.255.255.0|Name9012|ipv6_auto,3456|12.12.12.12|255.255.255.0|Name3456|ipv6_static|fdd1:0:1:107::500",
		"action=update&id=126209&set_routes=| | |Name1|fdd1:0:1:107::500|2001:470:8418:280d::1",
		"action=update&id=126209&set_routes=192.0.0.0|255.255.255.0|10.100.11.157|Name2",
		"action=update&id=126209&set_routes=192.0.0.0|255.255.255.0|10.100.11.157|Name2,192.168.0.0|255.255.0.0|10.100.11.157|Name3,192.167.0.0|255.255.0.0|10.100.11.157|Name5|fdd1:0:1:107::500|2001:470:8418:280d::1, | | |Name1|fdd1:0:1:107::500/64|2001:470:8418:280d::1",
	} {
		_, _, b = post(t, u, "/api/2.0/fo/appliance/", strings.ReplaceAll(sample, "|", "%7C"))
		must(t, b, "<SIMPLE_RETURN>", "<TEXT>Virtual scanner updated successfully</TEXT>", "<KEY>ID</KEY>", "<VALUE>126209</VALUE>")
	}
	_, _, b = post(t, u, "/api/2.0/fo/appliance/", "action=list&echo_request=1&output_mode=full&ids=126209")
	must(t, b, "<APPLIANCE_LIST_OUTPUT>", "<VLANS>", "<IPV6_SLAAC />", "<STATIC_ROUTES>", "<IPV6_NETWORK>fdd1:0:1:107::/64</IPV6_NETWORK>", `<ML_VERSION updated="yes">`)
	_, _, b = post(t, u, "/api/2.0/fo/appliance/physical/", "action=update&id=126300&set_vlans=1234| | |Name1234|ipv6_static|fdd1:0:1:109::500")
	must(t, b, "<TEXT>Physical scanner updated successfully</TEXT>")

	_, _, b = post(t, u, "/api/2.0/fo/subscription/option_profile/", "action=export&include_system_option_profiles=1")
	must(t, b, "<OPTION_PROFILES>", "<ID>5486</ID>", "<GROUP_NAME><![CDATA[Initial Options]]></GROUP_NAME>", "<GROUP_TYPE>rv10</GROUP_TYPE>", "<GROUP_TYPE>sans20</GROUP_TYPE>", "<GROUP_TYPE>compliance</GROUP_TYPE>")
	_, _, b = post(t, u, "/api/2.0/fo/subscription/option_profile/", "action=export")
	if strings.Contains(b, "<ID>5487</ID>") {
		t.Error("system profiles exported without include_system_option_profiles=1")
	}
	_, _, b = post(t, u, "/api/2.0/fo/subscription/option_profile/vm/", "action=create&title=99&global=1&scan_tcp_ports=full&scan_udp_ports=standard&scan_overall_performance=normal&vulnerability_detection=complete&basic_information_gathering=all")
	must(t, b, "<TEXT>Option profile successfully added.</TEXT>", "<KEY>ID</KEY>")
	_, _, b = post(t, u, "/api/2.0/fo/subscription/option_profile/pci/", "action=create&title=jp pci 333&global=1&offline_scanner=1&external_scanners_use=3&scan_parallel_scaling=1&scan_overall_performance=high&additional_tcp_ports_additional=80,35")
	must(t, b, "Option profile successfully added.")
	_, _, b = post(t, u, "/api/2.0/fo/subscription/option_profile/pc/", "action=create&title=pcjp&global=1&scan_parallel_scaling=1&scan_overall_performance=high&scan_by_policy=1&policy_names=jp2&auto_update_expected_value=1&scan_ports=standard&additional_tcp_ports=1&not_send_ack_or_syn_ack_packets_during_host_discovery=1")
	must(t, b, "<TEXT>Compliance Option profile successfully added.</TEXT>")
	_, _, b = post(t, u, "/api/2.0/fo/subscription/option_profile/vm/", "action=update&id=5486&global=0")
	must(t, b, "<CODE>1905</CODE>", "system option profile")
}

func TestStrictness(t *testing.T) {
	srv := httptest.NewServer(qualyssim.New(qualyssim.Options{}))
	defer srv.Close()
	cases := []struct {
		path, body string
		status     int
		want       string
	}{
		{"/api/2.0/fo/auth/unix/", "action=list&bogus=1", 400, "<CODE>1901</CODE>"},
		{"/api/2.0/fo/auth/unix/", "action=create&title=x", 400, "<CODE>1903</CODE>"},
		{"/api/2.0/fo/auth/unix/", "action=create&title=Break-glass Unix&username=u&password=p&ips=10.0.0.1", 400, "already exists"},
		{"/api/2.0/fo/auth/unix/", "action=update&ids=195368&ips=10.0.0.1&remove_ips=10.0.0.2", 400, "<CODE>1904</CODE>"},
		{"/api/2.0/fo/auth/unix/", "action=update&ids=195368&cleartext_password=yes", 400, "<CODE>1905</CODE>"},
		{"/api/2.0/fo/auth/unix/", "action=create&title=t&username=u&password=p&ips=10.0.0.0/24", 400, "CIDR"},
		{"/api/2.0/fo/auth/mysql/", "action=create&title=t&username=u&password=p&ips=10.0.0.1&database=d&port=1", 400, "<CODE>1922</CODE>"},
		{"/api/2.0/fo/auth/mysql/", "action=update&ids=284212&password=p", 400, "<CODE>1907</CODE>"},
		{"/api/2.0/fo/appliance/", "action=update&id=126209&set_vlans=1| | |a%26b|ipv6_auto", 400, "<CODE>1905</CODE>"},
		{"/api/2.0/fo/appliance/", "action=update&id=126209&set_vlans=1| | |n|ipv6_static", 400, "ipv6_static needs"},
		{"/api/2.0/fo/appliance/", "action=update&id=126209", 400, "<CODE>1922</CODE>"},
		{"/api/2.0/fo/subscription/option_profile/pc/", "action=create&title=p&scan_overall_performance=high&scan_ports=standard&scan_by_policy=1", 400, "<CODE>1922</CODE>"},
		{"/api/2.0/fo/auth/unix/", "action=frob", 400, "<CODE>1905</CODE>"},
	}
	for _, c := range cases {
		st, _, b := post(t, srv.URL, c.path, c.body)
		if st != c.status || !strings.Contains(b, c.want) {
			t.Errorf("%s %s: %d\n%s", c.path, c.body, st, b)
		}
	}
	// Bad login: 401 and 2000, no limit headers.
	req, _ := http.NewRequest("POST", srv.URL+"/api/2.0/fo/auth/", strings.NewReader("action=list"))
	req.SetBasicAuth("demo", "nope")
	req.Header.Set("X-Requested-With", "x")
	resp, _ := http.DefaultClient.Do(req)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(b), "<CODE>2000</CODE>") || resp.Header.Get("X-Ratelimit-Limit") != "" {
		t.Errorf("bad login: %d %v %s", resp.StatusCode, resp.Header, b)
	}
	// No X-Requested-With.
	req, _ = http.NewRequest("POST", srv.URL+"/api/2.0/fo/auth/", strings.NewReader("action=list"))
	req.SetBasicAuth("demo", "demo")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("missing X-Requested-With: %d", resp.StatusCode)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{ConcurrencyLimit: 1})
	sim.Inject(qualyssim.Fault{Kind: qualyssim.FaultDelay, Action: "create", Delay: 500_000_000, Count: 1})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	done := make(chan string)
	go func() {
		_, _, b := post(t, srv.URL, "/api/2.0/fo/auth/unix/", "action=create&title=slow&username=u&password=p&ips=10.0.0.1")
		done <- b
	}()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		st, h, b := post(t, srv.URL, "/api/2.0/fo/auth/unix/", "action=list")
		if st == 409 {
			must(t, b, "<CODE>1960</CODE>")
			if h.Get("X-Concurrency-Limit-Limit") != "1" {
				t.Errorf("limit header %q", h.Get("X-Concurrency-Limit-Limit"))
			}
			<-done
			return
		}
	}
	t.Error("no 409 while a call was running")
	<-done
}

func TestParseFault(t *testing.T) {
	f, err := qualyssim.ParseFault("kind=drop-after,path=/api/2.0/fo/auth/unix/,action=create,count=1,skip=2")
	if err != nil || f.Kind != qualyssim.FaultDropAfter || f.Count != 1 || f.Skip != 2 {
		t.Fatalf("%+v %v", f, err)
	}
	for _, bad := range []string{"kind=nope", "kind=5xx,count=x", "oops", "kind=5xx,color=red"} {
		if _, err := qualyssim.ParseFault(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
