package importer

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/qsync/qsync/internal/desired"
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
//
// What it generates is loaded before it is returned: an object the
// desired-state rules refuse (live data the write API would not accept,
// such as a vault record missing a parameter) is left out with a note, so
// the result always validates, and plans against the same live state give
// no change (the object is reported as unmanaged).
func Render(objs []*resource.Object, read map[string]bool, cat *resource.Catalog) (*Result, error) {
	skip := map[*resource.Object]string{}
	for pass := 0; pass < 5; pass++ {
		res, spans, err := render(objs, read, cat, skip)
		if err != nil {
			return nil, err
		}
		bad, err := check(res, spans, cat)
		if err != nil {
			return nil, err
		}
		if len(bad) == 0 {
			for _, o := range objs {
				if why, ok := skip[o]; ok {
					res.Notes = append(res.Notes, fmt.Sprintf("%s %q (id %s) left unmanaged: its live values break a rule of the desired state (%s)", o.Kind, o.Title, o.ID, why))
				}
			}
			return res, nil
		}
		for o, why := range bad {
			skip[o] = why
		}
	}
	return nil, errors.New("import: the generated CUE does not validate")
}

// span is where an object starts in a generated file.
type span struct {
	line int
	obj  *resource.Object
}

// check loads the generated files and maps each error to the object whose
// lines hold it.
func check(res *Result, spans map[string][]span, cat *resource.Catalog) (map[*resource.Object]string, error) {
	_, err := desired.LoadMemory(res.Files, cat)
	if err == nil {
		return nil, nil
	}
	var errs *desired.Errors
	if !errors.As(err, &errs) {
		return nil, err
	}
	bad := map[*resource.Object]string{}
	for _, e := range errs.List {
		file, line := splitPos(e.Pos)
		var owner *resource.Object
		for _, sp := range spans[file] {
			if sp.line <= line {
				owner = sp.obj
			}
		}
		if owner == nil {
			return nil, fmt.Errorf("import: the generated CUE does not validate: %s", e.String())
		}
		if _, seen := bad[owner]; !seen {
			bad[owner] = e.Msg
		}
	}
	return bad, nil
}

func splitPos(pos string) (string, int) {
	parts := strings.Split(pos, ":")
	if len(parts) < 3 {
		return "", 0
	}
	line, _ := strconv.Atoi(parts[len(parts)-2])
	return filepath.Base(strings.Join(parts[:len(parts)-2], ":")), line
}

func render(objs []*resource.Object, read map[string]bool, cat *resource.Catalog, skip map[*resource.Object]string) (*Result, map[string][]span, error) {
	res := &Result{Files: map[string][]byte{}}
	spans := map[string][]span{}
	byKind := map[string][]*resource.Object{}
	for _, o := range objs {
		byKind[o.Kind] = append(byKind[o.Kind], o)
	}
	usedEnv := map[string]bool{}
	for _, k := range cat.Kinds() {
		var list []*resource.Object
		for _, o := range byKind[k.Name] {
			if _, skipped := skip[o]; !skipped {
				list = append(list, o)
			}
		}
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
			return nil, nil, err
		}
		name := strings.ReplaceAll(k.Name, "/", "_") + ".cue"
		res.Files[name] = src
		res.Order = append(res.Order, name)
		// Each object starts on the line of "<prefix>"title": {".
		i := 0
		for n, line := range strings.Split(string(src), "\n") {
			// The formatter unquotes titles that are identifiers.
			if i < len(list) && (strings.HasPrefix(line, prefix+strconv.Quote(list[i].Title)+": {") ||
				strings.HasPrefix(line, prefix+list[i].Title+": {")) {
				spans[name] = append(spans[name], span{line: n + 1, obj: list[i]})
				i++
			}
		}
		if i != len(list) {
			return nil, nil, fmt.Errorf("import: lost track of the objects in %s", name)
		}
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
		return nil, nil, err
	}
	return res, spans, nil
}

func invalidVLANs(vs []resource.VLAN) string {
	for _, v := range vs {
		if err := v.Validate(); err != nil {
			return err.Error()
		}
	}
	return ""
}
