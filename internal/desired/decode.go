package desired

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	cueerrors "cuelang.org/go/cue/errors"

	"github.com/qsync/qsync/internal/resource"
)

var topLevel = []string{"auth", "option_profiles", "appliances", "policy"}

// decode validates the user's value object by object against the schema
// and converts it. Validating per object keeps one bad object from hiding
// the errors of the others (CUE stops reporting unknown fields in a struct
// that also has a value error).
func decode(uv, sv cue.Value, cat *resource.Catalog, wd string) (*State, error) {
	errs := &Errors{wd: wd}
	st := &State{Policy: resource.DefaultPolicy()}
	it, err := uv.Fields(cue.Optional(false))
	if err != nil {
		return nil, convertErrors(err, wd)
	}
	for it.Next() {
		name := it.Selector().String()
		v := it.Value()
		switch name {
		case "auth":
			decodeFamily(v, sv, cat, resource.FamilyAuth, st, errs)
		case "option_profiles":
			decodeFamily(v, sv, cat, resource.FamilyOptionProfile, st, errs)
		case "appliances":
			decodeKind(v, sv, cat.Kind("appliances"), "#Appliance", st, errs)
		case "policy":
			decodePolicy(v, sv, st, errs)
		default:
			if strings.HasPrefix(name, "_") || strings.HasPrefix(name, "#") {
				continue
			}
			errs.add(errs.pos(v.Pos()), "", "unknown top-level field %q (want one of %s)", name, strings.Join(topLevel, ", "))
		}
	}
	if len(errs.List) > 0 {
		return nil, errs.sorted()
	}
	slices.SortFunc(st.Objects, func(a, b *resource.Object) int {
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Title, b.Title)
	})
	return st, nil
}

func decodeFamily(v, sv cue.Value, cat *resource.Catalog, fam resource.Family, st *State, errs *Errors) {
	it, err := v.Fields()
	if err != nil {
		errs.add(errs.pos(v.Pos()), fam.String(), "want a struct of kinds")
		return
	}
	var known []string
	for _, k := range cat.Family(fam) {
		if !k.ReadOnly {
			known = append(known, k.Type)
		}
	}
	for it.Next() {
		typ := it.Selector().String()
		kv := it.Value()
		k := cat.Kind(fam.String() + "/" + typ)
		if k == nil || k.ReadOnly {
			hint := ""
			if s := closest(typ, known); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			errs.add(errs.pos(kv.Pos()), fam.String(), "unknown kind %q%s; known: %s", typ, hint, strings.Join(known, ", "))
			continue
		}
		def := "#Auth_" + k.Type
		if fam == resource.FamilyOptionProfile {
			def = "#OptionProfile_" + k.Type
		}
		decodeKind(kv, sv, k, def, st, errs)
	}
}

func decodeKind(v, sv cue.Value, k *resource.Kind, defName string, st *State, errs *Errors) {
	def := sv.LookupPath(cue.ParsePath(defName))
	it, err := v.Fields()
	if err != nil {
		errs.add(errs.pos(v.Pos()), k.Name, "want a struct keyed by title")
		return
	}
	for it.Next() {
		title := it.Selector().Unquoted()
		ov := it.Value()
		where := fmt.Sprintf("%s %q", k.Name, title)
		pos := errs.pos(ov.Pos())
		if msg := checkTitle(k, title); msg != "" {
			errs.add(pos, where, "%s", msg)
		}
		u := def.Unify(ov)
		if err := u.Validate(cue.Concrete(true)); err != nil {
			reported := addCUEErrors(err, k, where, pos, errs)
			unknownFields(ov, k, where, reported, errs)
			continue
		}
		o, ok := decodeObject(u, k, title, where, pos, errs)
		if ok {
			st.Objects = append(st.Objects, o)
		}
	}
}

func checkTitle(k *resource.Kind, title string) string {
	if k.Family == resource.FamilyAppliance {
		if strings.TrimSpace(title) == "" {
			return "appliance name is empty"
		}
		return ""
	}
	switch {
	case strings.TrimSpace(title) == "":
		return "title is empty"
	case len(title) > 255:
		return fmt.Sprintf("title is %d characters long, at most 255 allowed", len(title))
	case strings.TrimSpace(title) != title:
		return "title has leading or trailing spaces"
	}
	for _, r := range title {
		if r > 127 {
			return "title must be ASCII"
		}
	}
	return ""
}

// addCUEErrors folds the CUE errors of one object to one line per field:
// of the errors CUE gives for a field (a disjunction explains each of its
// branches), the most telling one is kept.
func addCUEErrors(err error, k *resource.Kind, where, objPos string, errs *Errors) map[string]bool {
	type pick struct {
		e    cueerrors.Error
		rank int
	}
	best := map[string]*pick{}
	var order []string
	for _, e := range cueerrors.Errors(err) {
		key := strings.Join(cleanPath(e.Path()), ".")
		format, args := e.Msg()
		r := errorRank(fmt.Sprintf(format, args...))
		if p, ok := best[key]; !ok {
			best[key] = &pick{e, r}
			order = append(order, key)
		} else if r < p.rank {
			p.e, p.rank = e, r
		}
	}
	reported := map[string]bool{}
	for _, key := range order {
		e := best[key].e
		path := cleanPath(e.Path())
		label := ""
		if len(path) > 0 {
			label = path[0]
		}
		format, args := e.Msg()
		msg := friendly(fmt.Sprintf(format, args...), k.Field(label), lastLabel(path))
		if strings.HasPrefix(msg, "unknown field") && len(path) == 1 {
			msg += fieldHint(label, k)
		}
		pos := errs.pos(userPos(e))
		if pos == "" {
			pos = objPos
		}
		w := where
		if key != "" {
			w += ": " + key
		}
		errs.add(pos, w, "%s", msg)
		reported[label] = true
	}
	return reported
}

// errorRank orders CUE's errors for one field, most telling first: a
// disjunction's summary line says nothing, and a clash with a default of
// the baselines is less to the point than the rule the value breaks.
func errorRank(msg string) int {
	if strings.Contains(msg, "errors in empty disjunction") {
		return 100
	}
	// Two literals in conflict: one is a default the user overrode.
	if m := reConflict.FindStringSubmatch(msg); m != nil && !isTypeWord(m[1]) && !isTypeWord(m[2]) {
		return 50
	}
	if strings.HasPrefix(msg, "conflicting values ") && !strings.Contains(msg, "mismatched types") {
		return 50
	}
	return 0
}

// unknownFields reports the labels of the user's object that its kind
// does not have. CUE does not report "field not allowed" in a struct that
// also has a value error (cue-lang/cue#1319); this does.
func unknownFields(ov cue.Value, k *resource.Kind, where string, reported map[string]bool, errs *Errors) {
	it, err := ov.Fields(cue.Optional(true))
	if err != nil {
		return
	}
	for it.Next() {
		label := it.Selector().Unquoted()
		if label == "id" || k.Field(label) != nil || reported[label] || strings.HasPrefix(label, "#") || strings.HasPrefix(label, "_") {
			continue
		}
		errs.add(errs.pos(it.Value().Pos()), where+": "+label, "unknown field %q%s", label, fieldHint(label, k))
	}
}

// cleanPath drops definition selectors (#Auth_unix) and unquotes labels.
func cleanPath(p []string) []string {
	out := make([]string, 0, len(p))
	for _, s := range p {
		if strings.HasPrefix(s, "#") {
			continue
		}
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		}
		out = append(out, s)
	}
	return out
}

func lastLabel(p []string) string {
	if len(p) == 0 {
		return ""
	}
	return p[len(p)-1]
}

// fieldHint says which kinds have an unknown field, or suggests a spelling.
func fieldHint(label string, k *resource.Kind) string {
	var owners []string
	for _, other := range resourceCatalog().Kinds() {
		if other != k && other.Field(label) != nil && !other.ReadOnly {
			owners = append(owners, other.Name)
		}
	}
	if len(owners) > 0 {
		if len(owners) > 3 {
			owners = append(owners[:3], "...")
		}
		return fmt.Sprintf(": it is a field of %s, not of %s", strings.Join(owners, ", "), k.Name)
	}
	names := make([]string, 0, len(k.Fields))
	for _, f := range k.Fields {
		names = append(names, f.Name)
	}
	if s := closest(label, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

func resourceCatalog() *resource.Catalog { return resource.Default() }

// closest returns the candidate within edit distance 2 of s, if any.
func closest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := levenshtein(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// decodeObject converts a validated object value.
func decodeObject(u cue.Value, k *resource.Kind, title, where, pos string, errs *Errors) (*resource.Object, bool) {
	o := &resource.Object{Kind: k.Name, Title: title, Values: map[string]any{}, FieldPos: map[string]string{}, Pos: pos}
	ok := true
	// Look fields up by the table's names instead of iterating the value:
	// Validate has already refused unknown fields (the definitions are
	// closed), and iteration sorts the fields, which costs more than the
	// lookups.
	if idv := u.LookupPath(cue.MakePath(cue.Str("id"))); idv.Exists() && k.Family != resource.FamilyAppliance {
		n, _ := idv.Int64()
		o.ID = fmt.Sprint(n)
	}
	for _, f := range k.Fields {
		name := f.Name
		fv := u.LookupPath(cue.MakePath(cue.Str(name)))
		if !fv.Exists() {
			continue
		}
		pos := errs.pos(fv.Pos())
		raw, err := goValue(fv, f)
		if err == nil {
			raw, err = resource.Canonical(f, raw)
		}
		if err != nil {
			errs.add(pos, where+": "+name, "%v", err)
			ok = false
			continue
		}
		o.Values[name] = raw
		o.FieldPos[name] = pos
	}
	for _, msg := range checkRules(k, o) {
		errs.add(msg.pos(o), where+msg.field(), "%s", msg.text)
		ok = false
	}
	return o, ok
}

// goValue decodes a concrete CUE value into the Go form resource.Canonical
// takes for the field's type.
func goValue(v cue.Value, f *resource.Field) (any, error) {
	switch f.Type {
	case resource.String, resource.Text, resource.Enum:
		return v.String()
	case resource.Int:
		return v.Int64()
	case resource.Bool:
		return v.Bool()
	case resource.Set, resource.IPs:
		var out []string
		if err := v.Decode(&out); err != nil {
			return nil, err
		}
		if out == nil {
			out = []string{}
		}
		if f.Type == resource.IPs {
			list, _ := v.List()
			for i := 0; list.Next(); i++ {
				s, _ := list.Value().String()
				if err := resource.ValidIPEntry(s); err != nil {
					return nil, fmt.Errorf("entry %d: %v", i, err)
				}
			}
		}
		return out, nil
	case resource.Ports:
		var out []int
		if err := v.Decode(&out); err != nil {
			return nil, err
		}
		if out == nil {
			out = []int{}
		}
		return out, nil
	case resource.Secret:
		var s resource.SecretRef
		if err := v.Decode(&s); err != nil {
			return nil, err
		}
		return s, nil
	case resource.VLANs:
		out := []resource.VLAN{}
		if err := v.Decode(&out); err != nil {
			return nil, err
		}
		for _, vl := range out {
			if err := vl.Validate(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case resource.Routes:
		out := []resource.Route{}
		if err := v.Decode(&out); err != nil {
			return nil, err
		}
		for _, r := range out {
			if err := r.Validate(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported field type %s", f.Type)
}

func decodePolicy(v, sv cue.Value, st *State, errs *Errors) {
	u := sv.LookupPath(cue.ParsePath("#Policy")).Unify(v)
	if err := u.Validate(cue.Concrete(true)); err != nil {
		for _, e := range cueerrors.Errors(err) {
			format, args := e.Msg()
			pos := errs.pos(userPos(e))
			if pos == "" {
				pos = errs.pos(v.Pos())
			}
			path := cleanPath(e.Path())
			msg := friendly(fmt.Sprintf(format, args...), nil, lastLabel(path))
			if strings.HasPrefix(msg, "unknown field") && len(path) == 2 && path[0] == "unmanaged" {
				msg = fmt.Sprintf("unknown kind %q (kinds are written auth/<type>, option_profiles/<vm|pci|pc> or appliances)", path[1])
			}
			errs.add(pos, "policy: "+strings.Join(path, "."), "%s", msg)
		}
		return
	}
	p := resource.DefaultPolicy()
	if err := u.Decode(&p); err != nil {
		errs.add(errs.pos(v.Pos()), "policy", "%v", err)
		return
	}
	def := resource.DefaultPolicy()
	if mv := u.LookupPath(cue.ParsePath("max_deletes")); !mv.Exists() {
		p.MaxDeletes = def.MaxDeletes
	}
	if mv := u.LookupPath(cue.ParsePath("max_delete_percent")); !mv.Exists() {
		p.MaxDeletePercent = def.MaxDeletePercent
	}
	for kind, a := range p.Unmanaged {
		if kind == "appliances" && a == "delete" {
			errs.add(errs.pos(u.LookupPath(cue.MakePath(cue.Str("unmanaged"), cue.Str(kind))).Pos()), "policy: unmanaged.appliances",
				"appliances are never deleted: qsync manages the networking of appliances that exist")
		}
	}
	st.Policy = p
}

func hashFiles(files []file) string {
	h := sha256.New()
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b file) int { return strings.Compare(a.path, b.path) })
	for _, f := range sorted {
		fmt.Fprintf(h, "%s\x00%d\x00", filepathBase(f.path), len(f.data))
		h.Write(f.data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func filepathBase(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Warnings lists secret references whose variable or file is missing:
// a warning for validate and plan, an error for apply. A reference used by
// many objects is reported once, at its first use, with the count.
func (s *State) Warnings(getenv func(string) string) []Error {
	if getenv == nil {
		getenv = os.Getenv
	}
	type group struct {
		first Error
		n     int
	}
	groups := map[resource.SecretRef]*group{}
	var order []resource.SecretRef
	for _, o := range s.Objects {
		names := make([]string, 0, len(o.Values))
		for n := range o.Values {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			ref, ok := o.Values[n].(resource.SecretRef)
			if !ok {
				continue
			}
			if g := groups[ref]; g != nil {
				g.n++
				continue
			}
			var msg string
			if ref.Env != "" && getenv(ref.Env) == "" {
				msg = fmt.Sprintf("environment variable %s is not set", ref.Env)
			}
			if ref.File != "" {
				if _, err := os.Stat(ref.File); err != nil {
					msg = fmt.Sprintf("secret file %s cannot be read", ref.File)
				}
			}
			if msg == "" {
				groups[ref] = &group{n: 1}
				continue
			}
			groups[ref] = &group{first: Error{Pos: o.FieldPos[n], Where: fmt.Sprintf("%s %q: %s", o.Kind, o.Title, n), Msg: msg}, n: 1}
			order = append(order, ref)
		}
	}
	var out []Error
	for _, ref := range order {
		g := groups[ref]
		e := g.first
		if g.n > 1 {
			e.Msg += fmt.Sprintf(" (and %d more uses)", g.n-1)
		}
		out = append(out, e)
	}
	for _, o := range s.Objects {
		vs, _ := o.Values["vlans"].([]resource.VLAN)
		for _, v := range vs {
			if v.ID > resource.MaxDocumentedVLANID {
				out = append(out, Error{Pos: o.FieldPos["vlans"], Where: fmt.Sprintf("%s %q: vlans", o.Kind, o.Title),
					Msg: fmt.Sprintf("VLAN ID %d is above the documented 0-%d (the API's own samples use such IDs; check that your appliance accepts it)", v.ID, resource.MaxDocumentedVLANID)})
			}
		}
	}
	return out
}
