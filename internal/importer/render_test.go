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
	lv, err := live.FromAPI(context.Background(), c, cat)
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

// TestRenderLeavesRuleBreakersUnmanaged: live records the desired-state
// rules refuse (a non-ASCII title, a vault record missing a parameter) are
// left out with a note; the rest validates and plans to zero changes.
func TestRenderLeavesRuleBreakersUnmanaged(t *testing.T) {
	cat := resource.Default()
	ips := resource.MustIPSet("10.0.0.1")
	objs := []*resource.Object{
		{Kind: "auth/unix", Title: "fine", ID: "1", Values: map[string]any{"ips": ips, "username": "u"}, Raw: map[string]string{"ips": "", "username": ""}},
		{Kind: "auth/unix", Title: "café", ID: "2", Values: map[string]any{"ips": ips}, Raw: map[string]string{"ips": ""}},
		{Kind: "auth/mysql", Title: "vault", ID: "3", Values: map[string]any{"ips": ips, "login_type": "vault", "vault_type": "CyberArk PIM Suite",
			"vault_id": int64(7), "folder": "f", "database": "d", "port": int64(3306), "unix_config_file": "/c"},
			Raw: map[string]string{"ips": "", "login_type": "", "vault_type": "", "vault_id": "", "folder": "", "database": "", "port": "", "unix_config_file": ""}},
	}
	read := map[string]bool{"auth/unix": true, "auth/mysql": true}
	res, err := Render(objs, read, cat)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(res.Notes, "\n")
	if !strings.Contains(notes, `auth/unix "café" (id 2) left unmanaged`) || !strings.Contains(notes, `auth/mysql "vault" (id 3) left unmanaged`) {
		t.Fatalf("notes:\n%s", notes)
	}
	st, err := desired.LoadMemory(res.Files, cat)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Make(plan.Input{Catalog: cat, Desired: st.Objects, Live: objs, Policy: st.Policy, Read: read})
	if err != nil || p.HasChanges || len(st.Objects) != 1 {
		t.Fatalf("plan %+v, %d objects, %v", p.Summary, len(st.Objects), err)
	}
}
