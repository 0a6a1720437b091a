package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// Result is what import writes.
type Result struct {
	// Files maps a path relative to the output directory to its content;
	// Order lists the paths in writing order.
	Files map[string][]byte
	Order []string
	// Secrets are the environment variables the generated references name.
	Secrets []SecretVar
	// Notes tell the user what was left unmanaged and why.
	Notes []string
}

// SecretVar is one generated secret reference.
type SecretVar struct{ Env, For string }

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9]+`)

func envName(kind, title, field string) string {
	s := strings.Trim(nonIdent.ReplaceAllString(strings.ToUpper(title), "_"), "_")
	if len(s) > 40 {
		s = s[:40]
	}
	t := strings.ToUpper(strings.TrimPrefix(kind, "auth/"))
	return fmt.Sprintf("QSYNC_%s_%s_%s", t, s, strings.ToUpper(field))
}

// Render turns live objects into desired-state CUE: one file per kind that
// has objects, the read-back value of every field (so planning the result
// against the same live state gives no change), password references for
// credential records, and the baselines package from the system profiles.
func Render(objs []*resource.Object, read map[string]bool, cat *resource.Catalog) (*Result, error) {
	res := &Result{Files: map[string][]byte{}}
	byKind := map[string][]*resource.Object{}
	for _, o := range objs {
		byKind[o.Kind] = append(byKind[o.Kind], o)
	}
	usedEnv := map[string]bool{}
	for _, k := range cat.Kinds() {
		list := byKind[k.Name]
		if k.ReadOnly || len(list) == 0 {
			continue
		}
		slices.SortFunc(list, func(a, b *resource.Object) int { return strings.Compare(a.Title, b.Title) })
		var b bytes.Buffer
		b.WriteString("// Imported by qsync import from the live subscription.\n\npackage qsync\n\n")
		var prefix string
		switch k.Family {
		case resource.FamilyAuth:
			prefix = "auth: " + label(k.Type) + ": "
		case resource.FamilyOptionProfile:
			prefix = "option_profiles: " + label(k.Type) + ": "
		default:
			prefix = "appliances: "
		}
		for _, o := range list {
			fmt.Fprintf(&b, "%s%q: {\n", prefix, o.Title)
			for _, f := range k.Fields {
				v, ok := o.Values[f.Name]
				if _, present := o.Raw[f.Name]; !ok || !present || f.WriteOnly() {
					continue
				}
				if f.Type == resource.VLANs {
					if bad := invalidVLANs(v.([]resource.VLAN)); bad != "" {
						res.Notes = append(res.Notes, fmt.Sprintf("appliance %q: vlans left unmanaged, the live list breaks the write API's rules (%s)", o.Title, bad))
						continue
					}
				}
				fmt.Fprintf(&b, "\t%s: %s\n", label(f.Name), literal(v))
			}
			if pw := k.Field("password"); pw != nil {
				if lt, _ := o.Values["login_type"].(string); lt != "vault" {
					name := envName(k.Name, o.Title, "password")
					for i := 2; usedEnv[name]; i++ {
						name = fmt.Sprintf("%s_%d", envName(k.Name, o.Title, "password"), i)
					}
					usedEnv[name] = true
					fmt.Fprintf(&b, "\tpassword: env: %q\n", name)
					res.Secrets = append(res.Secrets, SecretVar{Env: name, For: fmt.Sprintf("%s %q password", k.Name, o.Title)})
				}
			}
			b.WriteString("}\n\n")
		}
		src, err := formatCUE(b.Bytes())
		if err != nil {
			return nil, err
		}
		name := strings.ReplaceAll(k.Name, "/", "_") + ".cue"
		res.Files[name] = src
		res.Order = append(res.Order, name)
	}
	var unread []string
	for _, k := range cat.Kinds() {
		if _, ok := read[k.Name]; !ok && !k.ReadOnly {
			unread = append(unread, k.Name)
		}
	}
	if len(unread) > 0 {
		res.Notes = append(res.Notes, "not read, so not imported: "+strings.Join(unread, ", "))
	}
	if bl, err := Baselines(objs, cat); err == nil && bytes.Contains(bl, []byte(": {")) {
		res.Files["baselines/baselines.cue"] = bl
		res.Order = append(res.Order, "baselines/baselines.cue")
	} else if err != nil {
		return nil, err
	}
	return res, nil
}

func invalidVLANs(vs []resource.VLAN) string {
	for _, v := range vs {
		if err := v.Validate(); err != nil {
			return err.Error()
		}
	}
	return ""
}
