package schema

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"cuelang.org/go/cue/format"

	"github.com/qsync/qsync/internal/resource"
)

// Generate renders the CUE definitions of every kind from the field table.
// The output is committed as kinds_gen.cue; a test fails when the two
// disagree, so the schema and the Go side cannot drift apart.
func Generate(cat *resource.Catalog) []byte {
	var b bytes.Buffer
	b.WriteString("// Code generated from internal/resource by `go generate ./schema`; DO NOT EDIT.\n\n")
	b.WriteString("package schema\n\nimport (\n\t\"list\"\n\t\"strings\"\n)\n\n")
	b.WriteString("// Keep the imports used even when no field needs them.\n_#list:    list.MaxItems(1)\n_#strings: strings.MaxRunes(1)\n\n")

	fmt.Fprintf(&b, "#Auth: {\n")
	for _, k := range cat.Family(resource.FamilyAuth) {
		fmt.Fprintf(&b, "\t%s?: [string]: %s\n", label(k.Type), defName(k))
	}
	b.WriteString("}\n\n#OptionProfiles: {\n")
	for _, k := range cat.Family(resource.FamilyOptionProfile) {
		if k.ReadOnly {
			continue
		}
		fmt.Fprintf(&b, "\t%s?: [string]: %s\n", label(k.Type), defName(k))
	}
	b.WriteString("}\n\n")

	var kinds []string
	for _, k := range cat.Kinds() {
		if !k.ReadOnly {
			kinds = append(kinds, regexp.QuoteMeta(k.Name))
		}
	}
	fmt.Fprintf(&b, "// #KindName matches the kinds a policy may name.\n#KindName: =~%s\n\n", cueString("^("+strings.Join(kinds, "|")+")$"))

	for _, k := range cat.Kinds() {
		if k.ReadOnly {
			continue
		}
		fmt.Fprintf(&b, "// %s is one %s object. A field left out is not managed.\n%s: {\n", defName(k), k.Name, defName(k))
		if k.Family != resource.FamilyAppliance {
			b.WriteString("\t// id pins the object to a live ID, so a title change is an update.\n\tid?: int & >0\n")
		}
		for _, f := range k.Fields {
			if f.Doc != "" {
				fmt.Fprintf(&b, "\t// %s\n", f.Doc)
			}
			opt := "?"
			if f.Required && isSchemaRequired(k, f) {
				opt = "!"
			}
			fmt.Fprintf(&b, "\t%s%s: %s\n", label(f.Name), opt, cueType(f))
		}
		b.WriteString("}\n\n")
	}
	out, err := format.Source(b.Bytes(), format.Simplify())
	if err != nil {
		panic("schema: generated CUE does not format: " + err.Error())
	}
	return out
}

// isSchemaRequired says which create-required parameters the schema itself
// demands. Most required parameters matter only on create, which the
// planner checks; MariaDB and MySQL records always need database and port.
func isSchemaRequired(k *resource.Kind, f *resource.Field) bool {
	return (k.Type == "mariadb" || k.Type == "mysql") && (f.Name == "database" || f.Name == "port")
}

func defName(k *resource.Kind) string {
	switch k.Family {
	case resource.FamilyAuth:
		return "#Auth_" + k.Type
	case resource.FamilyOptionProfile:
		return "#OptionProfile_" + k.Type
	}
	return "#Appliance"
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func label(s string) string {
	if identRE.MatchString(s) && !strings.HasPrefix(s, "_") {
		return s
	}
	return cueString(s)
}

func cueString(s string) string {
	return "\"" + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + "\""
}

func enumRE(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = regexp.QuoteMeta(v)
	}
	return cueString("^(" + strings.Join(q, "|") + ")$")
}

func cueType(f *resource.Field) string {
	limit := func(t string) string {
		if f.Max > 0 {
			return fmt.Sprintf("%s & list.MaxItems(%d)", t, f.Max)
		}
		return t
	}
	switch f.Type {
	case resource.String, resource.Text:
		t := "string"
		if f.MaxLen > 0 {
			t += fmt.Sprintf(" & strings.MaxRunes(%d)", f.MaxLen)
		}
		return t
	case resource.Int:
		if f.Min == 0 && f.Max == 0 {
			return "int"
		}
		return fmt.Sprintf("int & >=%d & <=%d", f.Min, f.Max)
	case resource.Bool:
		return "bool"
	case resource.Enum:
		return "string & =~" + enumRE(f.Enum)
	case resource.Set:
		if len(f.Enum) > 0 {
			return limit("[...string & =~" + enumRE(f.Enum) + "]")
		}
		return limit("[...string]")
	case resource.Ports:
		return limit("[...int & >=1 & <=65535]")
	case resource.IPs:
		return "[...#IPEntry]"
	case resource.Secret:
		return "#Secret"
	case resource.VLANs:
		return "[...#VLAN]"
	case resource.Routes:
		return "[...#Route]"
	}
	panic("schema: no CUE type for " + f.Type.String())
}
