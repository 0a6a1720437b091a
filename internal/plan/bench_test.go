package plan_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/plan"
)

// BenchmarkPlan plans 10,000 auth records, 500 option profiles and 100
// appliances against a snapshot directory in which some drifted. The CUE
// evaluation and the snapshot decode run once, outside the timed loop, and
// are reported by their own sub-benchmarks.
func BenchmarkPlan(b *testing.B) {
	dir := b.TempDir()
	cmd := exec.Command("go", "run", "../../bench/gentree", "-auth", "10000", "-profiles", "500", "-appliances", "100",
		"-snapshot", filepath.Join(dir, "snap"), filepath.Join(dir, "desired"))
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatal(err)
	}
	st, err := desired.Load(desired.Source{Dir: filepath.Join(dir, "desired")}, cat)
	if err != nil {
		b.Fatal(err)
	}
	lv, err := live.FromSnapshot(filepath.Join(dir, "snap"), cat)
	if err != nil {
		b.Fatal(err)
	}
	in := plan.Input{Catalog: cat, Desired: st.Objects, Live: lv.Objects, Policy: st.Policy, Read: lv.Read, ReadNote: lv.Notes}
	b.Run("plan", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p, err := plan.Make(in)
			if err != nil {
				b.Fatal(err)
			}
			if p.Summary.Update == 0 || p.Summary.Unchanged == 0 {
				b.Fatalf("summary %+v", p.Summary)
			}
		}
	})
	b.Run("snapshot-decode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := live.FromSnapshot(filepath.Join(dir, "snap"), cat); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cue-load", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := desired.Load(desired.Source{Dir: filepath.Join(dir, "desired")}, cat); err != nil {
				b.Fatal(err)
			}
		}
	})
}
