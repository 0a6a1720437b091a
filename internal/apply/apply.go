// Package apply executes a plan: it checks that the objects the plan
// touches have not changed since it was made, enforces the delete safety
// rails, runs the plan's calls in order at the concurrency the API allows,
// resolves ambiguous writes by re-reading instead of retrying blindly,
// journals intent and outcome of every call, and reports a result per
// call.
package apply

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/resource"
)

// API is what the applier needs from the Qualys client.
type API interface {
	// Write sends one create, update or delete.
	Write(ctx context.Context, path string, params url.Values) (*qualys.WriteResult, error)
	// Read returns the live objects of one kind.
	Read(ctx context.Context, kind string) ([]*resource.Object, error)
}

// ClientAPI adapts a [*qualys.Client] to [API].
type ClientAPI struct {
	Client  *qualys.Client
	Catalog *resource.Catalog
}

// Write implements [API].
func (c ClientAPI) Write(ctx context.Context, path string, params url.Values) (*qualys.WriteResult, error) {
	return c.Client.Write(ctx, path, params)
}

// ReadIDs implements [IDReader]: auth records by ID, appliances by ID.
func (c ClientAPI) ReadIDs(ctx context.Context, kind string, ids []string) ([]*resource.Object, error) {
	k := c.Catalog.Kind(kind)
	if k != nil && k.Family == resource.FamilyAuth {
		return c.Client.ListAuthByIDs(ctx, k, strings.Join(ids, ","))
	}
	return c.Read(ctx, kind)
}

// Count implements [IDReader]: the number of live records per auth kind,
// from one call to /api/2.0/fo/auth/?action=list.
func (c ClientAPI) Count(ctx context.Context) (map[string]int, error) {
	ids, err := c.Client.ListAuthIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for typ, list := range ids {
		out["auth/"+typ] = len(list)
	}
	return out, nil
}

// IDReader is the optional ability to re-read only some objects of a
// kind, and to count a kind's objects without reading them.
type IDReader interface {
	ReadIDs(ctx context.Context, kind string, ids []string) ([]*resource.Object, error)
	Count(ctx context.Context) (map[string]int, error)
}

// Read implements [API].
func (c ClientAPI) Read(ctx context.Context, kind string) ([]*resource.Object, error) {
	k := c.Catalog.Kind(kind)
	if k == nil {
		return nil, fmt.Errorf("unknown kind %s", kind)
	}
	switch k.Family {
	case resource.FamilyAuth:
		return c.Client.ListAuth(ctx, k)
	case resource.FamilyOptionProfile:
		all, err := c.Client.ExportOptionProfiles(ctx, c.Catalog)
		if err != nil {
			return nil, err
		}
		var out []*resource.Object
		for _, o := range all {
			if o.Kind == kind {
				out = append(out, o)
			}
		}
		return out, nil
	}
	return c.Client.ListAppliances(ctx)
}

// Options configure a run.
type Options struct {
	// Resolve returns a secret's value.
	Resolve func(resource.SecretRef) (string, error)
	// Journal receives intents and outcomes; Done holds the last journal
	// event per call of an interrupted run (for --resume).
	Journal *Journal
	Done    map[int]Entry
	// Concurrency bounds calls in flight across endpoints (default 8); the
	// client's per-endpoint semaphore, sized from the API's concurrency
	// headers, decides how many of them run against one endpoint.
	Concurrency int
	// MaxDeletes and MaxDeletePercent are the safety rails, as given (the
	// desired state's policy, else resource.DefaultPolicy; 0 allows no
	// delete); AllowMassDelete lifts them. Protected titles are never
	// deleted.
	MaxDeletes       int
	MaxDeletePercent int
	AllowMassDelete  bool
	Protected        []string
	// Progress is told about each finished call.
	Progress func(done, total int, r CallResult)
}

// Outcome of one call.
const (
	OutcomeOK       = "ok"
	OutcomeFailed   = "failed"
	OutcomeSkipped  = "skipped"         // a call it depends on failed
	OutcomeResumed  = "done-before"     // completed by an earlier run (journal)
	OutcomeResolved = "ok-after-reread" // ambiguous, the re-read showed it applied
)

// CallResult is the outcome of one call.
type CallResult struct {
	Index   int      `json:"index"`
	Kind    string   `json:"kind"`
	Action  string   `json:"action"`
	Titles  []string `json:"titles"`
	IDs     []string `json:"ids,omitempty"`
	Outcome string   `json:"outcome"`
	Code    int      `json:"code,omitempty"`
	Error   string   `json:"error,omitempty"`
}

// Result is the outcome of a run.
type Result struct {
	Calls  []CallResult
	Failed int
}

// StaleError lists objects that changed since the plan was made.
type StaleError struct{ Objects []string }

func (e *StaleError) Error() string {
	return "refusing to apply: these objects changed since the plan was made, plan again:\n  " + strings.Join(e.Objects, "\n  ")
}

// RailError is a safety rail refusal.
type RailError struct{ Msg string }

func (e *RailError) Error() string { return "refusing to apply: " + e.Msg }

// ResolveSecret reads a secret from the environment or a file.
func ResolveSecret(getenv func(string) string) func(resource.SecretRef) (string, error) {
	return func(r resource.SecretRef) (string, error) {
		if r.Env != "" {
			v := getenv(r.Env)
			if v == "" {
				return "", fmt.Errorf("secret: environment variable %s is not set", r.Env)
			}
			return v, nil
		}
		b, err := os.ReadFile(r.File)
		if err != nil {
			return "", fmt.Errorf("secret file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
}

// Check verifies, before any call, that every secret resolves, that the
// delete rails hold and that the touched objects did not change since the
// plan. It reads the kinds the plan touches once.
func Check(ctx context.Context, api API, p *plan.Plan, opts Options) (map[string][]*resource.Object, error) {
	for i, c := range p.Calls {
		for param, ref := range c.Secrets {
			if opts.Done[i].Event == "done" {
				continue
			}
			if _, err := opts.Resolve(ref); err != nil {
				return nil, fmt.Errorf("call %d (%s %q) parameter %s: %w", i+1, c.Kind, strings.Join(c.Titles, ","), param, err)
			}
		}
	}
	// Re-read what the plan touches: by ID where the API can, the whole
	// kind where a create must be checked for a duplicate title.
	kinds := map[string]bool{}
	ids := map[string][]string{}
	creates := map[string]bool{}
	for _, c := range p.Changes {
		kinds[c.Kind] = true
		if c.Action == plan.Create || c.ID == "" {
			creates[c.Kind] = true
		} else {
			ids[c.Kind] = append(ids[c.Kind], c.ID)
		}
	}
	live := map[string][]*resource.Object{}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	idr, canByID := api.(IDReader)
	for _, k := range names {
		var objs []*resource.Object
		var err error
		if canByID && !creates[k] {
			objs, err = idr.ReadIDs(ctx, k, ids[k])
		} else {
			objs, err = api.Read(ctx, k)
		}
		if err != nil {
			return nil, fmt.Errorf("re-read %s before apply: %w", k, err)
		}
		live[k] = objs
	}
	counts := map[string]int{}
	for k, objs := range live {
		counts[k] = len(objs)
	}
	if canByID {
		if c, err := idr.Count(ctx); err == nil {
			for k, n := range c {
				counts[k] = n
			}
		}
	}
	if err := rails(p, counts, opts); err != nil {
		return nil, err
	}
	cat := resource.Default()
	var stale []string
	for _, ch := range p.Changes {
		byID, byTitle := map[string]*resource.Object{}, map[string]*resource.Object{}
		for _, o := range live[ch.Kind] {
			byID[o.ID], byTitle[o.Title] = o, o
		}
		done := true
		for _, ci := range ch.Calls {
			done = done && opts.Done[ci].Event == "done"
		}
		if done && len(ch.Calls) > 0 {
			continue
		}
		switch ch.Action {
		case plan.Create:
			if o := byTitle[ch.Title]; o != nil && !resumedCreate(ch, opts) {
				stale = append(stale, fmt.Sprintf("%s %q now exists (id %s); it would be a duplicate", ch.Kind, ch.Title, o.ID))
			}
		default:
			o := byID[ch.ID]
			if o == nil {
				if ch.Action == plan.Delete {
					continue // already gone: the delete has nothing to do
				}
				stale = append(stale, fmt.Sprintf("%s %q (id %s) no longer exists", ch.Kind, ch.Title, ch.ID))
				continue
			}
			if ch.Fingerprint != "" && o.Fingerprint(cat.Kind(ch.Kind)) != ch.Fingerprint {
				stale = append(stale, fmt.Sprintf("%s %q (id %s) changed", ch.Kind, ch.Title, ch.ID))
			}
		}
	}
	if len(stale) > 0 {
		return nil, &StaleError{Objects: stale}
	}
	return live, nil
}

func resumedCreate(ch plan.Change, opts Options) bool {
	for _, ci := range ch.Calls {
		if e, ok := opts.Done[ci]; ok && (e.Event == "intent" || e.Event == "ambiguous" || e.Event == "done") {
			return true
		}
	}
	return false
}

func rails(p *plan.Plan, counts map[string]int, opts Options) error {
	perKind := map[string]int{}
	total := 0
	for _, ch := range p.Changes {
		if ch.Action != plan.Delete {
			continue
		}
		for _, t := range opts.Protected {
			if t == ch.Title {
				return &RailError{fmt.Sprintf("%s %q is protected and the plan deletes it", ch.Kind, ch.Title)}
			}
		}
		perKind[ch.Kind]++
		total++
	}
	if opts.AllowMassDelete {
		return nil
	}
	max, pct := opts.MaxDeletes, opts.MaxDeletePercent
	if total > max {
		return &RailError{fmt.Sprintf("the plan deletes %d objects, more than the limit of %d (use --allow-mass-delete after review)", total, max)}
	}
	kinds := make([]string, 0, len(perKind))
	for k := range perKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		n := perKind[k]
		// A single delete never trips the percentage rail: in a small kind
		// one object is already a large share.
		if have := counts[k]; have > 0 && n > 1 && n*100 > have*pct {
			return &RailError{fmt.Sprintf("the plan deletes %d of %d %s objects, more than %d%% (use --allow-mass-delete after review)", n, have, k, pct)}
		}
	}
	return nil
}

// Run executes the plan's calls. Check must have passed.
func Run(ctx context.Context, api API, p *plan.Plan, opts Options) *Result {
	n := len(p.Calls)
	res := &Result{Calls: make([]CallResult, n)}
	conc := opts.Concurrency
	if conc <= 0 {
		conc = 8
	}
	// A call starts when the calls it depends on, and every call of the
	// earlier phases (a change of action or family), have finished.
	groups := phaseGroups(p.Calls)
	finished := make([]chan struct{}, n)
	for i := range finished {
		finished[i] = make(chan struct{})
	}
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	var mu sync.Mutex
	doneCount := 0
	for gi, g := range groups {
		if gi > 0 {
			for _, i := range groups[gi-1] {
				<-finished[i]
			}
		}
		for _, i := range g {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				defer close(finished[i])
				c := p.Calls[i]
				r := CallResult{Index: i, Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: c.IDs}
				for _, d := range c.DependsOn {
					<-finished[d]
					mu.Lock()
					failed := res.Calls[d].Outcome == OutcomeFailed || res.Calls[d].Outcome == OutcomeSkipped
					mu.Unlock()
					if failed {
						r.Outcome, r.Error = OutcomeSkipped, fmt.Sprintf("call %d it depends on did not succeed", d+1)
					}
				}
				if r.Outcome == "" {
					sem <- struct{}{}
					r = runOne(ctx, api, p, i, opts)
					<-sem
				}
				if r.Outcome == OutcomeSkipped {
					opts.Journal.Write(Entry{Call: i, Event: "skipped", Kind: c.Kind, Action: c.Action, Titles: c.Titles, Error: r.Error})
				}
				mu.Lock()
				res.Calls[i] = r
				doneCount++
				if r.Outcome == OutcomeFailed || r.Outcome == OutcomeSkipped {
					res.Failed++
				}
				dc := doneCount
				mu.Unlock()
				if opts.Progress != nil {
					opts.Progress(dc, n, r)
				}
			}(i)
		}
	}
	wg.Wait()
	return res
}

func phaseGroups(calls []plan.Call) [][]int {
	var groups [][]int
	key := func(c plan.Call) string {
		fam := strings.SplitN(c.Kind, "/", 2)[0]
		return fam + ":" + c.Action
	}
	for i, c := range calls {
		if i == 0 || key(c) != key(calls[i-1]) {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	return groups
}

// runOne runs call i: journal the intent, send, and journal the outcome.
// An ambiguous create or delete is resolved by re-reading.
func runOne(ctx context.Context, api API, p *plan.Plan, i int, opts Options) CallResult {
	c := p.Calls[i]
	r := CallResult{Index: i, Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: c.IDs}
	prev, seen := opts.Done[i]
	if seen && prev.Event == "done" {
		r.Outcome, r.IDs = OutcomeResumed, prev.IDs
		return r
	}
	if seen && (prev.Event == "intent" || prev.Event == "ambiguous") && (c.Action == "create" || c.Action == "delete") {
		// The earlier run may have applied it: learn before sending again.
		if ids, applied, err := reread(ctx, api, c); err == nil && applied {
			r.Outcome, r.IDs = OutcomeResumed, ids
			opts.Journal.Write(Entry{Call: i, Event: "done", Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: ids})
			return r
		}
	}
	params := url.Values{}
	for k, v := range c.Params {
		params.Set(k, v)
	}
	for param, ref := range c.Secrets {
		v, err := opts.Resolve(ref)
		if err != nil {
			r.Outcome, r.Error = OutcomeFailed, err.Error()
			return r
		}
		params.Set(param, v)
	}
	if c.Action == "delete" {
		// A delete is always preceded by a fresh read of what it removes.
		if err := freshDelete(ctx, api, p, c, params); err != nil {
			r.Outcome, r.Error = OutcomeFailed, err.Error()
			opts.Journal.Write(Entry{Call: i, Event: "failed", Kind: c.Kind, Action: c.Action, Titles: c.Titles, Error: r.Error})
			return r
		}
		if params.Get("ids") == "" && params.Get("id") == "" {
			r.Outcome = OutcomeOK
			opts.Journal.Write(Entry{Call: i, Event: "done", Kind: c.Kind, Action: c.Action, Titles: c.Titles})
			return r
		}
	}
	if err := opts.Journal.Write(Entry{Call: i, Event: "intent", Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: c.IDs}); err != nil {
		r.Outcome, r.Error = OutcomeFailed, err.Error()
		return r
	}
	wr, err := api.Write(ctx, c.Path, params)
	var amb *qualys.AmbiguousError
	if errors.As(err, &amb) {
		opts.Journal.Write(Entry{Call: i, Event: "ambiguous", Kind: c.Kind, Action: c.Action, Titles: c.Titles, Error: err.Error()})
		ids, applied, rerr := reread(ctx, api, c)
		switch {
		case rerr != nil:
			r.Outcome, r.Error = OutcomeFailed, fmt.Sprintf("%v; and the re-read to learn the outcome failed: %v", err, rerr)
		case applied:
			r.Outcome, r.IDs = OutcomeResolved, ids
			opts.Journal.Write(Entry{Call: i, Event: "done", Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: ids})
			return r
		default:
			// The re-read proves the call did not happen: sending it once
			// more cannot duplicate anything.
			wr, err = api.Write(ctx, c.Path, params)
			if errors.As(err, &amb) {
				ids, applied, rerr := reread(ctx, api, c)
				if rerr == nil && applied {
					r.Outcome, r.IDs = OutcomeResolved, ids
					opts.Journal.Write(Entry{Call: i, Event: "done", Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: ids})
					return r
				}
			}
		}
	}
	if err != nil && r.Outcome == "" {
		r.Outcome, r.Error = OutcomeFailed, err.Error()
		var ae *qualys.APIError
		if errors.As(err, &ae) {
			r.Code = ae.Code
		}
	}
	if r.Outcome == OutcomeFailed {
		opts.Journal.Write(Entry{Call: i, Event: "failed", Kind: c.Kind, Action: c.Action, Titles: c.Titles, Code: r.Code, Error: r.Error})
		return r
	}
	r.Outcome = OutcomeOK
	if c.Action == "create" && wr != nil {
		r.IDs = wr.IDs
	}
	opts.Journal.Write(Entry{Call: i, Event: "done", Kind: c.Kind, Action: c.Action, Titles: c.Titles, IDs: r.IDs})
	return r
}

// reread learns whether a create or delete took effect.
func reread(ctx context.Context, api API, c plan.Call) ([]string, bool, error) {
	objs, err := api.Read(ctx, c.Kind)
	if err != nil {
		return nil, false, err
	}
	switch c.Action {
	case "create":
		for _, o := range objs {
			if len(c.Titles) > 0 && o.Title == c.Titles[0] {
				return []string{o.ID}, true, nil
			}
		}
		return nil, false, nil
	case "delete":
		present := map[string]bool{}
		for _, o := range objs {
			present[o.ID] = true
		}
		for _, id := range c.IDs {
			if present[id] {
				return nil, false, nil
			}
		}
		return c.IDs, true, nil
	}
	return nil, false, fmt.Errorf("outcome of %s cannot be learnt by re-reading", c.Action)
}

// freshDelete re-reads the kind and narrows the delete to the planned IDs
// that still exist with the fingerprint the plan saw; an object that
// changed since is not deleted.
func freshDelete(ctx context.Context, api API, p *plan.Plan, c plan.Call, params url.Values) error {
	objs, err := api.Read(ctx, c.Kind)
	if err != nil {
		return fmt.Errorf("fresh read before delete: %w", err)
	}
	cat := resource.Default()
	byID := map[string]*resource.Object{}
	for _, o := range objs {
		byID[o.ID] = o
	}
	fp := map[string]string{}
	for _, ch := range p.Changes {
		if ch.Kind == c.Kind && (ch.Action == plan.Delete || ch.Action == plan.Replace) {
			fp[ch.ID] = ch.Fingerprint
		}
	}
	var keep, changed []string
	for _, id := range c.IDs {
		o := byID[id]
		if o == nil {
			continue
		}
		if f := fp[id]; f != "" && o.Fingerprint(cat.Kind(c.Kind)) != f {
			changed = append(changed, id)
			continue
		}
		keep = append(keep, id)
	}
	if len(changed) > 0 {
		return fmt.Errorf("not deleting: %s changed since the plan (ids %s)", c.Kind, strings.Join(changed, ","))
	}
	if params.Has("ids") {
		params.Set("ids", strings.Join(keep, ","))
	} else if len(keep) == 0 {
		params.Del("id")
	}
	return nil
}
