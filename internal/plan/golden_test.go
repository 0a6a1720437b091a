package plan_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/report"
	"github.com/qsync/qsync/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

var cat = resource.Default()

// TestGolden plans each testdata/<case>: desired/ (CUE) against live/ (a
// snapshot directory), and compares plan.json, plan.txt and plan.md.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "*", "desired"))
	if len(cases) == 0 {
		t.Fatal("no golden cases")
	}
	baselines, err := desired.Baselines(cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range cases {
		dir := filepath.Dir(d)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			st, err := desired.Load(desired.Source{Dir: d}, cat)
			if err != nil {
				t.Fatal(err)
			}
			lv, err := live.FromSnapshot(filepath.Join(dir, "live"), cat)
			if err != nil {
				t.Fatal(err)
			}
			p, err := plan.Make(plan.Input{Catalog: cat, Desired: st.Objects, Live: lv.Objects, Policy: st.Policy,
				Read: lv.Read, ReadNote: lv.Notes, Baselines: baselines})
			if err != nil {
				t.Fatal(err)
			}
			// Determinism: planning twice gives the same bytes.
			again, _ := plan.Make(plan.Input{Catalog: cat, Desired: st.Objects, Live: lv.Objects, Policy: st.Policy,
				Read: lv.Read, ReadNote: lv.Notes, Baselines: baselines})
			a, _ := json.Marshal(p)
			b, _ := json.Marshal(again)
			if !bytes.Equal(a, b) {
				t.Fatal("planning is not deterministic")
			}
			np, err := report.Normalize(p)
			if err != nil {
				t.Fatal(err)
			}
			var js, txt, md bytes.Buffer
			report.JSON(&js, np)
			report.Text(&txt, np, report.Options{})
			report.Markdown(&md, np, report.Options{})
			compare(t, filepath.Join(dir, "plan.json"), js.Bytes())
			compare(t, filepath.Join(dir, "plan.txt"), txt.Bytes())
			compare(t, filepath.Join(dir, "plan.md"), md.Bytes())
		})
	}
}

func compare(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after review):\n%s", path, got)
	}
}
