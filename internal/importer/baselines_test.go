package importer

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
	"github.com/qsync/qsync/internal/resource"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestEmbeddedBaselines checks that the baselines package embedded in the
// schema is what import generates from the simulator's system profiles
// (the five system profiles of the release notes). Run with -update to
// regenerate it.
func TestEmbeddedBaselines(t *testing.T) {
	srv := httptest.NewServer(qualyssim.New(qualyssim.Options{}))
	defer srv.Close()
	c, err := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "demo", Password: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	objs, err := c.ExportOptionProfiles(context.Background(), resource.Default())
	if err != nil {
		t.Fatal(err)
	}
	got, err := Baselines(objs, resource.Default())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "schema", "baselines", "baselines.cue")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is stale; run go test ./internal/importer -run TestEmbeddedBaselines -update", path)
	}
}
