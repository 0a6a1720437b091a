// Package report renders plans and drift reports as text for terminals,
// markdown for pull-request comments, and JSON (the versioned contract).
// Every renderer is fed from the JSON plan model, so a plan read back from
// a plan file renders exactly as the plan that was made.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	diff "github.com/sergi/go-diff/diffmatchpatch"

	"github.com/qsync/qsync/internal/plan"
)

// Options shape the output.
type Options struct {
	// Color enables ANSI colour (text only): set it only for a TTY without
	// NO_COLOR.
	Color bool
	// Drift frames the report as a drift check instead of a plan.
	Drift bool
	// MaxMarkdown caps the markdown comment (default 65000 characters).
	MaxMarkdown int
}

// JSON writes the plan JSON.
func JSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

// Normalize round-trips a plan through its JSON form, so renderers see the
// same values whether the plan was just made or read from a file.
func Normalize(p *plan.Plan) (*plan.Plan, error) {
	var b bytes.Buffer
	if err := JSON(&b, p); err != nil {
		return nil, err
	}
	var out plan.Plan
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// value renders a JSON value compactly.
func value(v any) string {
	if v == nil {
		return "(none)"
	}
	if s, ok := v.(string); ok {
		if s == "(sensitive)" {
			return s
		}
		return fmt.Sprintf("%q", s)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.ReplaceAll(string(b), ",", ", ")
}

// lineDiff renders a unified-style line diff of two texts.
func lineDiff(before, after string, indent string) string {
	dmp := diff.New()
	a, b, lines := dmp.DiffLinesToChars(before, after)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out strings.Builder
	for _, d := range diffs {
		prefix := "  "
		switch d.Type {
		case diff.DiffInsert:
			prefix = "+ "
		case diff.DiffDelete:
			prefix = "- "
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l == "" {
				continue
			}
			out.WriteString(indent + prefix + strings.TrimSuffix(l, "\n") + "\n")
		}
	}
	return out.String()
}

// setItems renders a VLAN or route list change item by item, keyed by VLAN
// ID or route destination: what was removed, what was added.
func setItems(f plan.FieldChange) (removed, added []string, ok bool) {
	if f.Type != "vlans" && f.Type != "routes" {
		return nil, nil, false
	}
	key := func(v any) string {
		m, _ := v.(map[string]any)
		if f.Type == "vlans" {
			return fmt.Sprintf("vlan %v", m["id"])
		}
		name, _ := m["name"].(string)
		return "route " + strconv.Quote(name)
	}
	show := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	before, _ := f.Before.([]any)
	after, _ := f.After.([]any)
	in := func(list []any, x any) bool {
		for _, y := range list {
			if show(x) == show(y) {
				return true
			}
		}
		return false
	}
	for _, b := range before {
		if !in(after, b) {
			removed = append(removed, key(b)+" "+show(b))
		}
	}
	for _, a := range after {
		if !in(before, a) {
			added = append(added, key(a)+" "+show(a))
		}
	}
	return removed, added, true
}

func isMultiline(f plan.FieldChange) bool {
	b, _ := f.Before.(string)
	a, _ := f.After.(string)
	return f.Type == "text" && (strings.Contains(a, "\n") || strings.Contains(b, "\n"))
}

func summaryLine(p *plan.Plan, drift bool) string {
	s := p.Summary
	if !p.HasChanges {
		if drift {
			return "No drift: the live subscription matches the desired state."
		}
		return "No changes. The live subscription matches the desired state."
	}
	parts := []string{fmt.Sprintf("%d to create", s.Create), fmt.Sprintf("%d to update", s.Update), fmt.Sprintf("%d to delete", s.Delete)}
	if s.Replace > 0 {
		parts = append(parts, fmt.Sprintf("%d to replace", s.Replace))
	}
	prefix := "Plan: "
	if drift {
		prefix = "Drift: "
	}
	return prefix + strings.Join(parts, ", ") + fmt.Sprintf(" (%d unchanged, %d API calls).", s.Unchanged, len(p.Calls))
}

func objectName(c plan.Change) string {
	s := fmt.Sprintf("%s %q", c.Kind, c.Title)
	if c.ID != "" {
		s += fmt.Sprintf(" (id %s)", c.ID)
	}
	return s
}

// callLine renders a call: method, path and parameters, secrets masked.
func callLine(c plan.Call) string {
	keys := make([]string, 0, len(c.Params))
	for k := range c.Params {
		if k != "action" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := []string{"action=" + c.Params["action"]}
	for _, k := range keys {
		v := c.Params[k]
		if strings.ContainsAny(v, "\n\r\t") {
			v = strconv.Quote(v)
		}
		if len(v) > 120 {
			v = v[:117] + "..."
		}
		parts = append(parts, k+"="+v)
	}
	return fmt.Sprintf("%s %s %s", c.Method, c.Path, strings.Join(parts, " "))
}

func suppressedLine(p *plan.Plan) string {
	if len(p.Suppressed) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p.Suppressed))
	total := 0
	for k, n := range p.Suppressed {
		keys = append(keys, k)
		total += n
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, p.Suppressed[k])
	}
	return fmt.Sprintf("Normalisation hid %d spelling-only differences (%s).", total, strings.Join(parts, ", "))
}

func securityLines(s *plan.Security) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, k := range sortedKeys(s.AddressesGained) {
		out = append(out, fmt.Sprintf("%s gains %s addresses", k, s.AddressesGained[k]))
	}
	for _, k := range sortedKeys(s.AddressesLost) {
		out = append(out, fmt.Sprintf("%s loses %s addresses", k, s.AddressesLost[k]))
	}
	for _, k := range sortedKeys(s.RecordsDeleted) {
		out = append(out, fmt.Sprintf("%s: %d records deleted", k, s.RecordsDeleted[k]))
	}
	for _, k := range sortedKeys(s.ProfilesLosingAuth) {
		out = append(out, fmt.Sprintf("%s stops authenticating to %s", k, strings.Join(s.ProfilesLosingAuth[k], ", ")))
	}
	for _, p := range s.ProfilesPerformance {
		out = append(out, p+" changes performance settings")
	}
	for _, a := range s.AppliancesNetworking {
		out = append(out, fmt.Sprintf("appliance %q changes its networking", a))
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
