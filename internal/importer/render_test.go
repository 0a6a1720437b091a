package importer

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
	"github.com/qsync/qsync/internal/resource"
)

// TestRenderRoundTrip imports the demo subscription, loads the generated
// CUE through both desired-state paths, and plans it against the same
// live state: zero changes.
func TestRenderRoundTrip(t *testing.T) {
	cat := resource.Default()
	srv := httptest.NewServer(qualyssim.New(qualyssim.Options{}))
	defer srv.Close()
	c, _ := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "demo", Password: "demo"})
	lv, err := live.FromAPI(context.Background(), c, cat, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(lv.Objects, lv.Read, cat)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range res.Order {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, res.Files[name], 0o644)
	}
	if len(res.Secrets) == 0 || !strings.HasPrefix(res.Secrets[0].Env, "QSYNC_") {
		t.Errorf("secrets = %+v", res.Secrets)
	}
	for _, evaluate := range []bool{false, true} {
		st, err := desired.Load(desired.Source{Dir: dir, Evaluate: evaluate}, cat)
		if err != nil {
			t.Fatalf("evaluate=%v: %v", evaluate, err)
		}
		p, err := plan.Make(plan.Input{Catalog: cat, Desired: st.Objects, Live: lv.Objects, Policy: st.Policy, Read: lv.Read})
		if err != nil {
			t.Fatal(err)
		}
		if p.HasChanges || len(p.Unmanaged) != 0 {
			t.Fatalf("evaluate=%v: import does not round-trip: %+v", evaluate, p.Summary)
		}
		if p.Summary.Unchanged != len(st.Objects) {
			t.Errorf("unchanged %d of %d", p.Summary.Unchanged, len(st.Objects))
		}
	}
}
