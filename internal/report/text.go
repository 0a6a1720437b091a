package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/qsync/qsync/internal/plan"
)

const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

// Text writes the terminal report.
func Text(w io.Writer, p *plan.Plan, opts Options) error {
	var b strings.Builder
	paint := func(color, s string) string {
		if !opts.Color {
			return s
		}
		return color + s + reset
	}
	colorOf := map[plan.Action]string{plan.Create: green, plan.Update: yellow, plan.Delete: red, plan.Replace: red}
	if p.Base != "" {
		fmt.Fprintf(&b, "Three-way plan: base %s, head %s", short(p.Base), short(p.Head))
		if p.BaseApproximate {
			b.WriteString(" (merge base unavailable in this shallow clone: the base ref itself was used)")
		}
		b.WriteString("\n\n")
	}
	if p.HasChanges {
		verb := "qsync will"
		if opts.Drift {
			verb = "Live differs from the desired state; to converge, qsync would"
		}
		fmt.Fprintf(&b, "%s:  %s create  %s update  %s delete\n\n", verb, paint(green, "+"), paint(yellow, "~"), paint(red, "-"))
	}
	groups := [][]plan.Change{p.Changes}
	titles := []string{""}
	if hasOrigin(p) {
		groups = [][]plan.Change{byOrigin(p, "change"), byOrigin(p, "drift")}
		titles = []string{"Introduced by this change:", "Pre-existing drift (live already differed from the base):"}
	}
	for gi, changes := range groups {
		if titles[gi] != "" {
			if len(changes) == 0 {
				continue
			}
			b.WriteString(paint(bold, titles[gi]) + "\n")
		}
		for _, c := range changes {
			col := colorOf[c.Action]
			fmt.Fprintf(&b, "  %s %s\n", paint(col, c.Action.Symbol()), objectName(c))
			if c.Action == plan.Delete {
				continue
			}
			for _, f := range c.Fields {
				sym := "~"
				if f.Before == nil {
					sym = "+"
				}
				if c.Action == plan.Create {
					fmt.Fprintf(&b, "      %s %s: %s\n", paint(green, "+"), f.Path, value(f.After))
					continue
				}
				if isMultiline(f) {
					before, _ := f.Before.(string)
					after, _ := f.After.(string)
					fmt.Fprintf(&b, "      %s %s:\n%s", paint(yellow, sym), f.Path, lineDiff(before, after, "          "))
					continue
				}
				if removed, added, ok := setItems(f); ok && f.Before != nil {
					fmt.Fprintf(&b, "      %s %s (managed as a set):\n", paint(yellow, sym), f.Path)
					for _, r := range removed {
						fmt.Fprintf(&b, "          %s %s\n", paint(red, "-"), r)
					}
					for _, a := range added {
						fmt.Fprintf(&b, "          %s %s\n", paint(green, "+"), a)
					}
					continue
				}
				fmt.Fprintf(&b, "      %s %s: %s -> %s\n", paint(yellow, sym), f.Path, value(f.Before), value(f.After))
			}
			if len(c.Unverifiable) > 0 && c.Action != plan.Create {
				fmt.Fprintf(&b, "        (unverifiable, the API never returns them: %s)\n", strings.Join(c.Unverifiable, ", "))
			}
		}
		b.WriteString("\n")
	}
	if len(p.Calls) > 0 {
		fmt.Fprintf(&b, "API calls, in order (%d):\n", len(p.Calls))
		for i, c := range p.Calls {
			fmt.Fprintf(&b, "  %2d. %s\n", i+1, callLine(c))
		}
		b.WriteString("\n")
	}
	if sec := securityLines(p.Security); len(sec) > 0 {
		b.WriteString("Security impact:\n")
		for _, l := range sec {
			b.WriteString("  - " + l + "\n")
		}
		b.WriteString("\n")
	}
	if len(p.Unmanaged) > 0 {
		b.WriteString("Not managed by the desired state (no action):\n")
		for _, u := range p.Unmanaged {
			id := ""
			if u.ID != "" {
				id = " (id " + u.ID + ")"
			}
			fmt.Fprintf(&b, "  %s %q%s: %s\n", u.Kind, u.Title, id, u.Reason)
		}
		b.WriteString("\n")
	}
	if len(p.BaselineDrift) > 0 {
		b.WriteString("System profiles differing from the baseline package (read-only, reported only):\n")
		for _, c := range p.BaselineDrift {
			fmt.Fprintf(&b, "  %s\n", objectName(c))
			for _, f := range c.Fields {
				fmt.Fprintf(&b, "      %s: baseline %s, live %s\n", f.Path, value(f.Before), value(f.After))
			}
		}
		b.WriteString("\n")
	}
	for _, n := range p.Notes {
		b.WriteString("Note: " + n + "\n")
	}
	if l := suppressedLine(p); l != "" {
		b.WriteString(l + "\n")
	}
	b.WriteString(summaryLine(p, opts.Drift) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

func hasOrigin(p *plan.Plan) bool {
	for _, c := range p.Changes {
		if c.Origin != "" {
			return true
		}
	}
	return false
}

func byOrigin(p *plan.Plan, origin string) []plan.Change {
	var out []plan.Change
	for _, c := range p.Changes {
		if c.Origin == origin {
			out = append(out, c)
		}
	}
	return out
}
