package desired

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkLoad loads generated trees of 100, 1,000 and 10,000 auth
// records (bench/gentree). Compare with `cue vet` of the same tree and
// schema through bench/compare-cue-vet.sh; BENCHMARKS.md has the figures.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		dir := filepath.Join(b.TempDir(), fmt.Sprint(n))
		cmd := exec.Command("go", "run", "../../bench/gentree", "-auth", fmt.Sprint(n), dir)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				st, err := Load(Source{Dir: dir}, cat)
				if err != nil {
					b.Fatal(err)
				}
				if len(st.Objects) != n {
					b.Fatalf("%d objects", len(st.Objects))
				}
			}
		})
	}
}
