package apply_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/qsync/qsync/internal/apply"
	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
)

// BenchmarkApply1000 applies 1,100 changes (600 creates, 400 updates: 300
// port changes and 100 ports the list never showed, and 100 deletes in one
// call) against the simulator with the default limits: 2
// concurrent calls per endpoint and 300 calls per window, the hourly window
// scaled down 1000x to 3.6 s. It reports API calls per changed object.
func BenchmarkApply1000(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		sim := qualyssim.NewEmpty(qualyssim.Options{RateWindow: 3600 * time.Millisecond})
		srv := httptest.NewServer(sim)
		c, err := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "demo", Password: "demo"})
		if err != nil {
			b.Fatal(err)
		}
		var src strings.Builder
		src.WriteString("package x\npolicy: unmanaged: \"auth/windows\": \"delete\"\n")
		// 400 existing unix records: 300 get updated; 100 windows to delete.
		for j := 0; j < 400; j++ {
			c.CreateAuth(ctx, cat.AuthKind("unix"), mapToValues(map[string]string{"title": fmt.Sprintf("u%04d", j), "username": "u", "password": "p", "ips": fmt.Sprintf("10.1.%d.%d", j/250, j%250+1)}))
		}
		for j := 0; j < 100; j++ {
			c.CreateAuth(ctx, cat.AuthKind("windows"), mapToValues(map[string]string{"title": fmt.Sprintf("w%04d", j), "username": "u", "password": "p", "ips": fmt.Sprintf("10.2.0.%d", j+1)}))
		}
		time.Sleep(3700 * time.Millisecond) // let the setup's rate window pass
		for j := 0; j < 400; j++ {
			port := 22
			if j < 300 {
				port = 2222
			}
			fmt.Fprintf(&src, "auth: unix: \"u%04d\": {port: %d}\n", j, port)
		}
		for j := 0; j < 600; j++ {
			fmt.Fprintf(&src, "auth: tomcat: \"t%04d\": {installation_path: \"/opt/t\", ips: [\"10.3.%d.%d\"]}\n", j, j/250, j%250+1)
		}
		st := loadSrc(b, src.String())
		lv, err := live.FromAPI(ctx, c, cat)
		if err != nil {
			b.Fatal(err)
		}
		p, err := plan.Make(plan.Input{Catalog: cat, Desired: st.Objects, Live: lv.Objects, Policy: st.Policy, Read: lv.Read})
		if err != nil {
			b.Fatal(err)
		}
		changed := len(p.Changes)
		before := len(sim.Calls())
		api := apply.ClientAPI{Client: c, Catalog: cat}
		b.StartTimer()
		start := time.Now()
		opts := apply.Options{Resolve: resolve, AllowMassDelete: true}
		if _, err := apply.Check(ctx, api, p, opts); err != nil {
			b.Fatal(err)
		}
		res := apply.Run(ctx, api, p, opts)
		wall := time.Since(start)
		b.StopTimer()
		if res.Failed > 0 {
			b.Fatalf("%d calls failed", res.Failed)
		}
		calls := len(sim.Calls()) - before
		b.ReportMetric(float64(changed), "changed_objects")
		b.ReportMetric(float64(calls)/float64(changed), "api_calls/changed_object")
		b.ReportMetric(wall.Seconds(), "wall_s")
		srv.Close()
	}
}
