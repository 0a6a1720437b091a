package schema_test

import (
	"os"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/load"

	"github.com/qsync/qsync/internal/resource"
	"github.com/qsync/qsync/schema"
)

// TestGeneratedSchemaIsCurrent proves the CUE schema and the Go field
// table agree: kinds_gen.cue is exactly what the table generates.
func TestGeneratedSchemaIsCurrent(t *testing.T) {
	want := schema.Generate(resource.Default())
	got, err := os.ReadFile("kinds_gen.cue")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("kinds_gen.cue is stale: run `cd schema && go run ./gen`")
	}
}

// TestSchemaCompilesAndCoversTheTable compiles the embedded schema and
// checks every field of every writable kind has a definition, and no
// definition has a field the table does not know.
func TestSchemaCompilesAndCoversTheTable(t *testing.T) {
	ctx := cuecontext.New()
	insts := load.Instances([]string{"./schema.cue", "./kinds_gen.cue"}, &load.Config{Dir: ".", Env: []string{"CUE_REGISTRY=none"}})
	if insts[0].Err != nil {
		t.Fatal(insts[0].Err)
	}
	v := ctx.BuildInstance(insts[0])
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	for _, k := range resource.Default().Kinds() {
		if k.ReadOnly {
			continue
		}
		name := "#Appliance"
		switch k.Family {
		case resource.FamilyAuth:
			name = "#Auth_" + k.Type
		case resource.FamilyOptionProfile:
			name = "#OptionProfile_" + k.Type
		}
		def := v.LookupPath(cue.ParsePath(name))
		if !def.Exists() {
			t.Fatalf("no %s", name)
		}
		for _, f := range k.Fields {
			if !def.LookupPath(cue.MakePath(cue.Str(f.Name).Optional())).Exists() && !def.LookupPath(cue.MakePath(cue.Str(f.Name))).Exists() {
				t.Errorf("%s lacks %s", name, f.Name)
			}
		}
		it, _ := def.Fields(cue.Optional(true))
		for it.Next() {
			label := it.Selector().Unquoted()
			if label != "id" && k.Field(label) == nil {
				t.Errorf("%s has %s, which the field table does not know", name, label)
			}
		}
	}
}
