package plan

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/qsync/qsync/internal/resource"
)

// Input is everything the planner looks at.
type Input struct {
	Catalog *resource.Catalog
	Desired []*resource.Object
	Live    []*resource.Object
	Policy  resource.Policy
	// Read says, per kind, whether its live read is complete. A kind
	// missing from Read was not read at all: its desired objects are not
	// compared and nothing of it is deleted.
	Read map[string]bool
	// ReadNote explains an incomplete read, per kind.
	ReadNote map[string]string
	// Prior is the desired state at the merge base, when known: a
	// write-only field (a secret reference) that changed since is sent.
	Prior []*resource.Object
	// Baselines are the system profiles as the baseline package says.
	Baselines []*resource.Object
	// DesiredHash identifies the desired state.
	DesiredHash string
}

// Errors are planning errors: a desired appliance that does not exist, a
// create missing a parameter the API requires, a stale id pin.
type Errors []Error

func (e Errors) Error() string {
	s := make([]string, len(e))
	for i, x := range e {
		s[i] = x.Error()
	}
	return strings.Join(s, "\n")
}

// Make plans. It is deterministic: the same input gives the same plan.
func Make(in Input) (*Plan, error) {
	p := &Plan{FormatVersion: FormatVersion, Suppressed: map[string]int{}, DesiredHash: in.DesiredHash,
		Changes: []Change{}, Calls: []Call{}}
	var errs Errors
	prior := index(in.Prior)
	desiredByKind := groupByKind(in.Desired)
	liveByKind := groupByKind(in.Live)
	b := &builder{p: p, cat: in.Catalog}
	errs = append(errs, profileTitleClashes(in.Catalog, in.Desired, in.Live)...)

	for _, k := range in.Catalog.Kinds() {
		desired, live := desiredByKind[k.Name], liveByKind[k.Name]
		complete, wasRead := in.Read[k.Name]
		if k.ReadOnly {
			continue
		}
		if !wasRead {
			if len(desired) > 0 || in.Policy.UnmanagedAction(k.Name) == "delete" {
				p.Notes = append(p.Notes, fmt.Sprintf("%s: live state not read; %d desired objects not compared and nothing deleted", k.Name, len(desired)))
			}
			continue
		}
		liveByTitle := map[string]*resource.Object{}
		liveByID := map[string]*resource.Object{}
		for _, o := range live {
			liveByTitle[o.Title] = o
			liveByID[o.ID] = o
		}
		matched := map[*resource.Object]bool{}
		for _, d := range desired {
			if k.Family == resource.FamilyOptionProfile && slices.Contains(resource.SystemProfileTitles, d.Title) {
				errs = append(errs, Error{k.Name, d.Title, "is a system option profile: read-only, it cannot be created, changed or deleted (start from it with the baselines package under another title)"})
				continue
			}
			var l *resource.Object
			if d.ID != "" {
				l = liveByID[d.ID]
				if l == nil {
					errs = append(errs, Error{k.Name, d.Title, fmt.Sprintf("id %s is pinned but no live %s has it", d.ID, k.Name)})
					continue
				}
			} else {
				l = liveByTitle[d.Title]
			}
			if l != nil && matched[l] {
				errs = append(errs, Error{k.Name, d.Title, fmt.Sprintf("live object %s is claimed by two desired objects", l.ID)})
				continue
			}
			if l == nil {
				if k.Family == resource.FamilyAppliance {
					errs = append(errs, Error{k.Name, d.Title, "no such appliance: qsync manages the networking of existing appliances and never creates one"})
					continue
				}
				if !complete {
					p.Notes = append(p.Notes, fmt.Sprintf("%s %q: not created because the live read of %s is incomplete (%s)", k.Name, d.Title, k.Name, in.ReadNote[k.Name]))
					continue
				}
				if missing := missingForCreate(k, d); len(missing) > 0 {
					errs = append(errs, Error{k.Name, d.Title, "cannot be created: the API requires " + strings.Join(missing, ", ") + " on create"})
					continue
				}
				b.create(k, d)
				continue
			}
			matched[l] = true
			b.update(k, d, l, prior[d.Key()])
		}
		for _, l := range live {
			if matched[l] {
				continue
			}
			b.unmanaged(k, l, in.Policy, complete, in.ReadNote[k.Name])
		}
		// A pinned rename to a title another live object holds can only
		// run after that object is deleted; otherwise it cannot run.
		for _, d := range desired {
			other := liveByTitle[d.Title]
			if d.ID == "" || other == nil || other.ID == d.ID {
				continue
			}
			if !slices.Contains(b.deletes[k.Name], other) {
				errs = append(errs, Error{k.Name, d.Title, fmt.Sprintf("cannot rename id %s to %q: live id %s has that title and is not deleted", d.ID, d.Title, other.ID)})
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	b.baselineDrift(in.Live, in.Baselines)
	b.finish()
	return p, nil
}

// profileTitleClashes finds option profile titles used by two types: the
// API keeps one title space for all profiles, and a profile cannot change
// its type.
func profileTitleClashes(cat *resource.Catalog, desired, live []*resource.Object) Errors {
	var errs Errors
	isProfile := func(o *resource.Object) bool {
		k := cat.Kind(o.Kind)
		return k != nil && k.Family == resource.FamilyOptionProfile
	}
	owner := map[string]*resource.Object{}
	for _, o := range live {
		if isProfile(o) {
			owner[o.Title] = o
		}
	}
	seen := map[string]string{}
	for _, d := range desired {
		if !isProfile(d) {
			continue
		}
		if k, dup := seen[d.Title]; dup && k != d.Kind {
			errs = append(errs, Error{d.Kind, d.Title, "the title is also desired as " + k + ": option profile titles are unique across vm, pci and pc"})
		}
		seen[d.Title] = d.Kind
		if l := owner[d.Title]; l != nil && l.Kind != d.Kind && !l.System && d.ID == "" {
			errs = append(errs, Error{d.Kind, d.Title, fmt.Sprintf("live profile %s with this title is %s: a profile cannot change its type (rename one of them)", l.ID, l.Kind)})
		}
	}
	return errs
}

func index(objs []*resource.Object) map[string]*resource.Object {
	m := map[string]*resource.Object{}
	for _, o := range objs {
		m[o.Key()] = o
	}
	return m
}

func groupByKind(objs []*resource.Object) map[string][]*resource.Object {
	m := map[string][]*resource.Object{}
	for _, o := range objs {
		m[o.Kind] = append(m[o.Kind], o)
	}
	for _, list := range m {
		slices.SortFunc(list, func(a, b *resource.Object) int { return strings.Compare(a.Title, b.Title) })
	}
	return m
}

// missingForCreate lists the parameters the API requires on create that the
// desired object lacks.
func missingForCreate(k *resource.Kind, d *resource.Object) []string {
	var out []string
	has := func(n string) bool { _, ok := d.Values[n]; return ok }
	for _, f := range k.Fields {
		if f.Required && !has(f.Name) {
			out = append(out, f.Name)
		}
	}
	if k.Field("password") != nil {
		if lt, _ := d.Values["login_type"].(string); lt != "vault" {
			for _, n := range []string{"username", "password"} {
				if !has(n) {
					out = append(out, n)
				}
			}
		}
	}
	return out
}

// builder accumulates changes and calls.
type builder struct {
	p   *Plan
	cat *resource.Catalog
	// pending calls per phase, ordered at finish.
	phases  [phaseCount][]pending
	deletes map[string][]*resource.Object // kind -> objects to delete
}

const (
	phaseAuthRemove = iota
	phaseAuthUpdate
	phaseAuthCreate
	phaseProfile
	phaseAppliance
	phaseProfileDelete
	phaseAuthDelete
	phaseCount
)

type pending struct {
	change *Change
	call   Call
	// also is a change the call belongs to besides change (a replace
	// owns both its delete and its create).
	also *Change
}

func (b *builder) add(phase int, ch *Change, c Call) {
	b.phases[phase] = append(b.phases[phase], pending{change: ch, call: c})
}

// params renders the desired values of the named fields as call
// parameters; secrets become references.
func params(k *resource.Kind, o *resource.Object, names []string) (map[string]string, map[string]resource.SecretRef) {
	ps := map[string]string{}
	var secrets map[string]resource.SecretRef
	for _, n := range names {
		f := k.Field(n)
		v := o.Values[n]
		if ref, ok := v.(resource.SecretRef); ok {
			if secrets == nil {
				secrets = map[string]resource.SecretRef{}
			}
			secrets[f.WriteParam()] = ref
			ps[f.WriteParam()] = resource.Sensitive
			continue
		}
		ps[f.WriteParam()] = resource.Encode(f, v)
	}
	return ps, secrets
}

func sortedNames(o *resource.Object) []string {
	names := make([]string, 0, len(o.Values))
	for n := range o.Values {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (b *builder) create(k *resource.Kind, d *resource.Object) {
	ch := &Change{Kind: k.Name, Title: d.Title, Action: Create}
	for _, n := range sortedNames(d) {
		f := k.Field(n)
		ch.Fields = append(ch.Fields, FieldChange{Path: n, Before: nil, After: resource.Display(f, d.Values[n]), Type: f.Type.String()})
		if f.WriteOnly() {
			ch.Unverifiable = append(ch.Unverifiable, n)
		}
	}
	ps, secrets := params(k, d, sortedNames(d))
	ps["action"] = "create"
	ps[k.TitleParam] = d.Title
	c := Call{Method: "POST", Path: k.Path, Params: ps, Secrets: secrets, Kind: k.Name, Titles: []string{d.Title}, Action: "create"}
	phase := phaseProfile
	if k.Family == resource.FamilyAuth {
		phase = phaseAuthCreate
		if ips, ok := d.Values["ips"].(resource.IPSet); ok {
			c.AddsIPs = ips.Strings()
		}
	}
	b.p.Summary.Create++
	b.add(phase, ch, c)
}

func (b *builder) update(k *resource.Kind, d, l *resource.Object, prior *resource.Object) {
	ch := &Change{Kind: k.Name, Title: d.Title, ID: l.ID, Action: Update, Fingerprint: l.Fingerprint(k), Physical: l.Physical}
	var send []string
	var ipsChange *[2]resource.IPSet
	for _, n := range sortedNames(d) {
		f := k.Field(n)
		dv := d.Values[n]
		if f.WriteOnly() {
			if prior != nil {
				if pv, ok := prior.Values[n]; !ok || !resource.Equal(f, pv, dv) {
					ch.Fields = append(ch.Fields, FieldChange{Path: n, Before: displayOrNil(f, pv, ok), After: resource.Display(f, dv), Type: f.Type.String()})
					send = append(send, n)
					continue
				}
			}
			ch.Unverifiable = append(ch.Unverifiable, n)
			b.p.Unverifiable++
			continue
		}
		lv, ok := l.Values[n]
		if ok && resource.Equal(f, lv, dv) {
			if raw, has := l.Raw[n]; has && f.Type != resource.Secret && raw != resource.Encode(f, dv) {
				b.p.Suppressed[resource.Rule(f)]++
			}
			continue
		}
		ch.Fields = append(ch.Fields, FieldChange{Path: n, Before: displayOrNil(f, lv, ok), After: resource.Display(f, dv), Type: f.Type.String()})
		if f.Type == resource.IPs {
			old, _ := lv.(resource.IPSet)
			ipsChange = &[2]resource.IPSet{old, dv.(resource.IPSet)}
			continue
		}
		send = append(send, n)
	}
	if d.Title != l.Title {
		ch.Fields = append([]FieldChange{{Path: "title", Before: l.Title, After: d.Title, Type: "string"}}, ch.Fields...)
	}
	if len(ch.Fields) == 0 {
		b.p.Summary.Unchanged++
		return
	}
	for _, fc := range ch.Fields {
		if f := k.Field(fc.Path); f != nil && f.CreateOnly {
			b.replace(k, d, l, ch)
			return
		}
	}
	b.p.Summary.Update++
	ps, secrets := params(k, d, send)
	ps["action"] = "update"
	if d.Title != l.Title {
		ps[k.TitleParam] = d.Title
	}
	c := Call{Method: "POST", Path: k.Path, Params: ps, Secrets: secrets, Kind: k.Name, Titles: []string{d.Title}, IDs: []string{l.ID}, Action: "update"}
	phase := phaseProfile
	switch k.Family {
	case resource.FamilyAuth:
		ps["ids"] = l.ID
		phase = phaseAuthUpdate
		if ipsChange != nil {
			old, nw := ipsChange[0], ipsChange[1]
			add, rem := nw.Minus(old), old.Minus(nw)
			full := nw.String()
			inc := len(add.String()) + len(rem.String())
			if !add.IsEmpty() {
				inc += len("&add_ips=")
			}
			if !rem.IsEmpty() {
				inc += len("&remove_ips=")
			}
			if len(full)+len("&ips=") <= inc || nw.IsEmpty() {
				ps["ips"] = full
			} else {
				if !add.IsEmpty() {
					ps["add_ips"] = add.String()
				}
				if !rem.IsEmpty() {
					ps["remove_ips"] = rem.String()
				}
			}
			c.AddsIPs, c.RemovesIPs = add.Strings(), rem.Strings()
			if !rem.IsEmpty() {
				phase = phaseAuthRemove
			}
		}
	case resource.FamilyOptionProfile:
		ps["id"] = l.ID
	case resource.FamilyAppliance:
		ps["id"] = l.ID
		phase = phaseAppliance
		if l.Physical {
			c.Path = "/api/2.0/fo/appliance/physical/"
		}
	}
	b.add(phase, ch, c)
}

// replace plans an object whose change touches a create-only field: a
// delete of the live object, then a create of the desired one, which
// waits for the delete (it takes the freed title).
func (b *builder) replace(k *resource.Kind, d, l *resource.Object, ch *Change) {
	ch.Action = Replace
	b.p.Summary.Replace++
	del := Call{Method: "POST", Path: k.Path, Kind: k.Name, Titles: []string{l.Title}, IDs: []string{l.ID}, Action: "delete"}
	if k.Family == resource.FamilyAuth {
		del.Params = map[string]string{"action": "delete", "ids": l.ID}
		if ips, ok := l.Values["ips"].(resource.IPSet); ok {
			del.RemovesIPs = ips.Strings()
		}
	} else {
		del.Params = map[string]string{"action": "delete", "id": l.ID}
	}
	ps, secrets := params(k, d, sortedNames(d))
	ps["action"] = "create"
	ps[k.TitleParam] = d.Title
	create := Call{Method: "POST", Path: k.Path, Params: ps, Secrets: secrets, Kind: k.Name, Titles: []string{d.Title}, Action: "create"}
	if ips, ok := d.Values["ips"].(resource.IPSet); ok {
		create.AddsIPs = ips.Strings()
	}
	phase := phaseProfile
	if k.Family == resource.FamilyAuth {
		phase = phaseAuthCreate
	}
	b.add(phase, ch, del)
	b.phases[phase] = append(b.phases[phase], pending{call: create})
	b.linkLast(phase, ch)
}

// linkLast attaches the last call of a phase to a change that already
// owns the call before it (a replace's create after its delete).
func (b *builder) linkLast(phase int, ch *Change) {
	b.phases[phase][len(b.phases[phase])-1].also = ch
}

func displayOrNil(f *resource.Field, v any, ok bool) any {
	if !ok {
		return nil
	}
	return resource.Display(f, v)
}

func (b *builder) unmanaged(k *resource.Kind, l *resource.Object, pol resource.Policy, complete bool, note string) {
	action := pol.UnmanagedAction(k.Name)
	switch {
	case action == "keep":
		return
	case action == "report":
		b.p.Unmanaged = append(b.p.Unmanaged, Unmanaged{Kind: k.Name, Title: l.Title, ID: l.ID, Policy: action, Reason: "not in the desired state"})
		return
	case pol.IsProtected(l.Title):
		b.p.Unmanaged = append(b.p.Unmanaged, Unmanaged{Kind: k.Name, Title: l.Title, ID: l.ID, Policy: action, Reason: "protected: never deleted"})
		return
	case !complete:
		b.p.Unmanaged = append(b.p.Unmanaged, Unmanaged{Kind: k.Name, Title: l.Title, ID: l.ID, Policy: action, Reason: "not deleted: the live read is incomplete (" + note + ")"})
		return
	}
	if b.deletes == nil {
		b.deletes = map[string][]*resource.Object{}
	}
	b.deletes[k.Name] = append(b.deletes[k.Name], l)
}

func (b *builder) titleParam(kind string) string {
	if k := b.cat.Kind(kind); k != nil && k.TitleParam != "" {
		return k.TitleParam
	}
	return "title"
}

// compressIDs renders IDs for the ids parameter, folding runs of three or
// more consecutive IDs into ranges.
func compressIDs(ids []string) string {
	nums := make([]int, 0, len(ids))
	for _, s := range ids {
		n, err := strconv.Atoi(s)
		if err != nil {
			return strings.Join(ids, ",")
		}
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var parts []string
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, fmt.Sprintf("%d-%d", nums[i], nums[j]))
		} else {
			for x := i; x <= j; x++ {
				parts = append(parts, strconv.Itoa(nums[x]))
			}
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

func (b *builder) planDeletes() {
	for _, k := range b.cat.Kinds() {
		objs := b.deletes[k.Name]
		if len(objs) == 0 {
			continue
		}
		var changes []*Change
		var ids, titles []string
		var removed resource.IPSet
		for _, l := range objs {
			ch := &Change{Kind: k.Name, Title: l.Title, ID: l.ID, Action: Delete, Fingerprint: l.Fingerprint(k)}
			changes = append(changes, ch)
			ids = append(ids, l.ID)
			titles = append(titles, l.Title)
			if ips, ok := l.Values["ips"].(resource.IPSet); ok {
				removed = removed.Union(ips)
			}
			b.p.Summary.Delete++
		}
		switch k.Family {
		case resource.FamilyAuth:
			c := Call{Method: "POST", Path: k.Path, Params: map[string]string{"action": "delete", "ids": compressIDs(ids)},
				Kind: k.Name, Titles: titles, IDs: ids, Action: "delete", RemovesIPs: removed.Strings()}
			b.phases[phaseAuthDelete] = append(b.phases[phaseAuthDelete], pending{call: c})
			for _, ch := range changes {
				b.phases[phaseAuthDelete] = append(b.phases[phaseAuthDelete], pending{change: ch})
			}
		case resource.FamilyOptionProfile:
			for i, ch := range changes {
				c := Call{Method: "POST", Path: k.Path, Params: map[string]string{"action": "delete", "id": ids[i]},
					Kind: k.Name, Titles: []string{titles[i]}, IDs: []string{ids[i]}, Action: "delete"}
				b.add(phaseProfileDelete, ch, c)
			}
		}
	}
}

// finish orders the calls: by phase, then moved earlier where an addition
// of IPs would collide with a removal in the same kind; and fills the
// plan's call indexes.
func (b *builder) finish() {
	b.planDeletes()
	type node struct {
		call    Call
		changes []*Change
		also    *Change
	}
	var nodes []*node
	for ph := 0; ph < phaseCount; ph++ {
		for _, pe := range b.phases[ph] {
			if pe.call.Method == "" {
				// a change sharing the previous (delete) call
				last := nodes[len(nodes)-1]
				last.changes = append(last.changes, pe.change)
				continue
			}
			n := &node{call: pe.call, also: pe.also}
			if pe.change != nil {
				n.changes = []*Change{pe.change}
			}
			nodes = append(nodes, n)
		}
	}
	// Dependencies: a call adding IPs depends on every call of its kind
	// that removes overlapping IPs; a rename depends on the delete that
	// frees its new title.
	deps := make([][]int, len(nodes))
	for i, n := range nodes {
		if title, sets := n.call.Params[b.titleParam(n.call.Kind)]; sets && n.call.Action != "delete" {
			for j, m := range nodes {
				if m.call.Kind == n.call.Kind && m.call.Action == "delete" && slices.Contains(m.call.Titles, title) {
					deps[i] = append(deps[i], j)
				}
			}
		}
		if len(n.call.AddsIPs) == 0 {
			continue
		}
		add := resource.MustIPSet(n.call.AddsIPs...)
		for j, m := range nodes {
			if i == j || m.call.Kind != n.call.Kind || len(m.call.RemovesIPs) == 0 {
				continue
			}
			if resource.MustIPSet(m.call.RemovesIPs...).Overlaps(add) {
				deps[i] = append(deps[i], j)
			}
		}
	}
	// Stable topological order: repeatedly take the first node whose
	// dependencies are placed.
	placed := make([]bool, len(nodes))
	pos := make([]int, len(nodes))
	var order []int
	for len(order) < len(nodes) {
		progress := false
		for i := range nodes {
			if placed[i] {
				continue
			}
			ready := true
			for _, d := range deps[i] {
				ready = ready && placed[d]
			}
			if ready {
				placed[i] = true
				pos[i] = len(order)
				order = append(order, i)
				progress = true
				break
			}
		}
		if !progress { // a cycle: keep the phase order for the rest
			for i := range nodes {
				if !placed[i] {
					placed[i] = true
					pos[i] = len(order)
					order = append(order, i)
					deps[i] = nil
				}
			}
		}
	}
	var chRefs []*Change
	for _, i := range order {
		n := nodes[i]
		c := n.call
		for _, d := range deps[i] {
			c.DependsOn = append(c.DependsOn, pos[d])
		}
		sort.Ints(c.DependsOn)
		c.DependsOn = slices.Compact(c.DependsOn)
		idx := len(b.p.Calls)
		b.p.Calls = append(b.p.Calls, c)
		for _, ch := range n.changes {
			ch.Calls = append(ch.Calls, idx)
			chRefs = append(chRefs, ch)
		}
		if n.also != nil {
			n.also.Calls = append(n.also.Calls, idx)
		}
	}
	for _, ch := range chRefs {
		b.p.Changes = append(b.p.Changes, *ch)
	}
	b.p.HasChanges = len(b.p.Changes) > 0
	if len(b.p.Suppressed) == 0 {
		b.p.Suppressed = nil
	}
	b.p.Security = securitySummary(b.p, b.cat)
}

// baselineDrift compares live system profiles with the baseline package.
func (b *builder) baselineDrift(live, baselines []*resource.Object) {
	base := index(baselines)
	for _, l := range live {
		if !l.System {
			continue
		}
		bo := base[l.Key()]
		if bo == nil {
			continue
		}
		k := b.cat.Kind(l.Kind)
		ch := Change{Kind: l.Kind, Title: l.Title, ID: l.ID, Action: Update}
		for _, n := range sortedNames(bo) {
			f := k.Field(n)
			if f == nil || f.WriteOnly() {
				continue
			}
			// Only what the export carries is compared: an element it
			// leaves out says nothing about the profile.
			lv, ok := l.Values[n]
			if _, present := l.Raw[n]; !ok || !present || resource.Equal(f, lv, bo.Values[n]) {
				continue
			}
			ch.Fields = append(ch.Fields, FieldChange{Path: n, Before: resource.Display(f, bo.Values[n]), After: resource.Display(f, lv), Type: f.Type.String()})
		}
		if len(ch.Fields) > 0 {
			b.p.BaselineDrift = append(b.p.BaselineDrift, ch)
		}
	}
}
