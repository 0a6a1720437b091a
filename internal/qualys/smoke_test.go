package qualys_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
	"github.com/qsync/qsync/internal/resource"
)

func TestSmoke(t *testing.T) {
	sim := qualyssim.New(qualyssim.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	c, err := qualys.New(qualys.Config{BaseURL: srv.URL, Username: "demo", Password: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	cat := resource.Default()
	for _, typ := range resource.AuthTypes {
		objs, err := c.ListAuth(context.Background(), cat.AuthKind(typ))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			t.Logf("%s %s %q %v", o.Kind, o.ID, o.Title, o.Values)
		}
	}
	ops, err := c.ExportOptionProfiles(context.Background(), cat)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range ops {
		t.Logf("%s %s %q %v", o.Kind, o.ID, o.Title, o.Values)
	}
	apps, err := c.ListAppliances(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range apps {
		t.Logf("%s %s %q %+v", o.Kind, o.ID, o.Title, o.Values)
	}
}
