package report

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qsync/qsync/internal/plan"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(path, got, 0o644)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from golden (run with -update after review)", name)
	}
}

// bigPlan has thousands of changes over several kinds.
func bigPlan() *plan.Plan {
	p := &plan.Plan{FormatVersion: "1", HasChanges: true}
	for i := 0; i < 3000; i++ {
		kind := []string{"auth/unix", "auth/windows", "auth/mariadb", "option_profiles/vm"}[i%4]
		c := plan.Change{Kind: kind, Title: fmt.Sprintf("object %04d", i), ID: fmt.Sprint(100000 + i), Action: plan.Update,
			Fields: []plan.FieldChange{{Path: "ips", Before: []any{"10.0.0.1"}, After: []any{"10.0.0.1", fmt.Sprintf("10.1.%d.0-10.1.%d.255", i%250, i%250)}, Type: "ips"}},
			Calls:  []int{i}}
		p.Changes = append(p.Changes, c)
		p.Calls = append(p.Calls, plan.Call{Method: "POST", Path: "/api/2.0/fo/" + kind + "/", Params: map[string]string{"action": "update", "ids": c.ID, "add_ips": "10.1.0.0-10.1.0.255"}, Kind: kind})
		p.Summary.Update++
	}
	return p
}

// TestMarkdownCap: a very large plan's comment stays under 65,000
// characters, ends with a deterministic truncation note, and is the same
// every time.
func TestMarkdownCap(t *testing.T) {
	var a, b bytes.Buffer
	if err := Markdown(&a, bigPlan(), Options{}); err != nil {
		t.Fatal(err)
	}
	Markdown(&b, bigPlan(), Options{})
	if a.Len() > 65000 {
		t.Fatalf("comment is %d characters", a.Len())
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("truncation is not deterministic")
	}
	if !strings.Contains(a.String(), "**Truncated:**") || !strings.Contains(a.String(), "plan.json artifact") {
		t.Fatal("no truncation note")
	}
	if !strings.HasPrefix(a.String(), Marker) || !strings.Contains(a.String(), "| 0 | 3000 | 0 | 0 | 0 | 3000 |") {
		t.Fatal("summary table missing at the top")
	}
	golden(t, "big_plan.md", a.Bytes())
}

func TestNoChanges(t *testing.T) {
	p := &plan.Plan{FormatVersion: "1", Summary: plan.Summary{Unchanged: 4}}
	var b bytes.Buffer
	Text(&b, p, Options{})
	if !strings.Contains(b.String(), "No changes. The live subscription matches the desired state.") {
		t.Errorf("text: %s", b.String())
	}
	b.Reset()
	Text(&b, p, Options{Drift: true})
	if !strings.Contains(b.String(), "No drift") {
		t.Errorf("drift: %s", b.String())
	}
	b.Reset()
	Markdown(&b, p, Options{Drift: true})
	if !strings.HasPrefix(b.String(), DriftMarker) {
		t.Errorf("drift marker: %s", b.String())
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	p := bigPlan()
	p.Changes, p.Calls = p.Changes[:2], p.Calls[:2]
	var plain, colour bytes.Buffer
	Text(&plain, p, Options{})
	Text(&colour, p, Options{Color: true})
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("escape codes without colour")
	}
	if !strings.Contains(colour.String(), "\x1b[33m~\x1b[0m") {
		t.Error("no colour when asked")
	}
}

func TestTextFieldLineDiff(t *testing.T) {
	p := &plan.Plan{FormatVersion: "1", HasChanges: true, Summary: plan.Summary{Update: 1}, Changes: []plan.Change{{
		Kind: "auth/unix", Title: "t", ID: "1", Action: plan.Update,
		Fields: []plan.FieldChange{{Path: "comments", Type: "text", Before: "line one\nline two\nline three", After: "line one\nline 2\nline three"}},
	}}}
	var b bytes.Buffer
	Text(&b, p, Options{})
	for _, want := range []string{"    line one\n", "- line two\n", "+ line 2\n", "    line three\n"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("missing %q in:\n%s", want, b.String())
		}
	}
}

func TestSecretsNeverRendered(t *testing.T) {
	p := &plan.Plan{FormatVersion: "1", HasChanges: true, Changes: []plan.Change{{Kind: "auth/unix", Title: "t", Action: plan.Create,
		Fields: []plan.FieldChange{{Path: "password", After: "(sensitive)", Type: "secret"}}}},
		Calls: []plan.Call{{Method: "POST", Path: "/api/2.0/fo/auth/unix/", Params: map[string]string{"action": "create", "password": "(sensitive)"}}}}
	for _, render := range []func(*bytes.Buffer){
		func(b *bytes.Buffer) { Text(b, p, Options{}) },
		func(b *bytes.Buffer) { Markdown(b, p, Options{}) },
		func(b *bytes.Buffer) { JSON(b, p) },
	} {
		var b bytes.Buffer
		render(&b)
		if !strings.Contains(b.String(), "(sensitive)") {
			t.Errorf("secret not masked: %s", b.String())
		}
	}
}
