package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/qsync/qsync/internal/plan"
)

// Marker is the hidden comment a workflow looks for to update one plan
// comment instead of adding new ones.
const Marker = "<!-- qsync-plan-comment -->"

// DriftMarker marks a drift report.
const DriftMarker = "<!-- qsync-drift-report -->"

// Markdown writes the pull-request comment: the summary table first, what
// the change introduces, then pre-existing drift, details collapsed per
// kind, the whole capped at opts.MaxMarkdown characters with a
// deterministic truncation note.
func Markdown(w io.Writer, p *plan.Plan, opts Options) error {
	limit := opts.MaxMarkdown
	if limit <= 0 {
		limit = 65000
	}
	var head strings.Builder
	marker, title := Marker, "qsync plan"
	if opts.Drift {
		marker, title = DriftMarker, "qsync drift check"
	}
	head.WriteString(marker + "\n")
	fmt.Fprintf(&head, "### %s\n\n", title)
	if p.Base != "" {
		fmt.Fprintf(&head, "<!-- qsync base=%s head=%s -->\n", p.Base, p.Head)
		fmt.Fprintf(&head, "Base `%s` → head `%s`", short(p.Base), short(p.Head))
		if p.BaseApproximate {
			head.WriteString(" (shallow clone: the merge base was unavailable, the base ref itself was used; check out with `fetch-depth: 0`)")
		}
		head.WriteString("\n\n")
	}
	s := p.Summary
	head.WriteString("| create | update | delete | replace | unchanged | API calls |\n|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&head, "| %d | %d | %d | %d | %d | %d |\n\n", s.Create, s.Update, s.Delete, s.Replace, s.Unchanged, len(p.Calls))
	head.WriteString("**" + summaryLine(p, opts.Drift) + "**\n\n")
	if sec := securityLines(p.Security); len(sec) > 0 {
		head.WriteString("#### Security impact\n\n")
		for _, l := range sec {
			head.WriteString("- " + l + "\n")
		}
		head.WriteString("\n")
	}

	var sections []section
	text := func(s string) section { return section{head: s} }
	if hasOrigin(p) {
		intro := byOrigin(p, "change")
		drift := byOrigin(p, "drift")
		sections = append(sections, text(fmt.Sprintf("#### Introduced by this change (%d)\n\n", len(intro))))
		sections = append(sections, kindSections(intro)...)
		if len(intro) == 0 {
			sections = append(sections, text("_This change introduces no difference with the live subscription._\n\n"))
		}
		if len(drift) > 0 {
			sections = append(sections, text(fmt.Sprintf("#### Pre-existing drift (%d)\n\nLive already differed from the base; merging this change would also converge these.\n\n", len(drift))))
			sections = append(sections, kindSections(drift)...)
		}
	} else {
		sections = append(sections, kindSections(p.Changes)...)
	}
	if len(p.Calls) > 0 {
		sec := section{head: fmt.Sprintf("<details><summary>API calls in order (%d)</summary>\n\n```\n", len(p.Calls)), foot: "```\n</details>\n\n", unit: "calls"}
		for i, call := range p.Calls {
			sec.items = append(sec.items, fmt.Sprintf("%2d. %s\n", i+1, callLine(call)))
		}
		sections = append(sections, sec)
	}
	if len(p.Unmanaged) > 0 {
		var u strings.Builder
		fmt.Fprintf(&u, "<details><summary>Not managed (%d)</summary>\n\n| kind | title | id | reason |\n|---|---|---|---|\n", len(p.Unmanaged))
		for _, x := range p.Unmanaged {
			fmt.Fprintf(&u, "| %s | %s | %s | %s |\n", x.Kind, mdEscape(x.Title), x.ID, mdEscape(x.Reason))
		}
		u.WriteString("\n</details>\n\n")
		sections = append(sections, text(u.String()))
	}
	var tail strings.Builder
	for _, n := range p.Notes {
		tail.WriteString("> **Note:** " + mdEscape(n) + "\n")
	}
	if l := suppressedLine(p); l != "" {
		tail.WriteString("\n_" + l + "_\n")
	}

	var out strings.Builder
	out.WriteString(head.String())
	// The budget keeps room for the tail and the truncation notes; it is
	// spent object by object, so a huge kind still shows its first
	// changes, and the cut falls at the same place every time.
	budget := limit - out.Len() - tail.Len() - 400
	omitted := 0
	for _, sec := range sections {
		if omitted > 0 || len(sec.head)+len(sec.foot) > budget {
			omitted += max(1, len(sec.items))
			continue
		}
		out.WriteString(sec.head)
		budget -= len(sec.head) + len(sec.foot)
		for i, it := range sec.items {
			if len(it) > budget-120 {
				fmt.Fprintf(&out, "… %d more %s not shown\n", len(sec.items)-i, sec.unit)
				omitted += len(sec.items) - i
				break
			}
			out.WriteString(it)
			budget -= len(it)
		}
		out.WriteString(sec.foot)
	}
	if omitted > 0 {
		fmt.Fprintf(&out, "> **Truncated:** %d more entries omitted to keep this comment under %d characters; the full plan is in the plan.json artifact.\n\n", omitted, limit)
	}
	out.WriteString(tail.String())
	res := out.String()
	if len(res) > limit {
		res = res[:limit]
	}
	_, err := io.WriteString(w, res)
	return err
}

// section is a part of the comment that can be cut between items.
type section struct {
	head, foot string
	items      []string
	unit       string // what the items are, for the cut note
}

// kindSections renders one collapsed section per kind, one item per
// changed object.
func kindSections(changes []plan.Change) []section {
	var order []string
	by := map[string][]plan.Change{}
	for _, c := range changes {
		if _, ok := by[c.Kind]; !ok {
			order = append(order, c.Kind)
		}
		by[c.Kind] = append(by[c.Kind], c)
	}
	var out []section
	for _, k := range order {
		cs := by[k]
		counts := map[plan.Action]int{}
		for _, c := range cs {
			counts[c.Action]++
		}
		var parts []string
		for _, a := range []plan.Action{plan.Create, plan.Update, plan.Delete, plan.Replace} {
			if counts[a] > 0 {
				parts = append(parts, fmt.Sprintf("%s%d", a.Symbol(), counts[a]))
			}
		}
		sec := section{head: fmt.Sprintf("<details><summary><code>%s</code> (%s)</summary>\n\n```diff\n", k, strings.Join(parts, " ")),
			foot: "```\n</details>\n\n", unit: "changes"}
		for _, c := range cs {
			var b strings.Builder
			fmt.Fprintf(&b, "%s %s\n", c.Action.Symbol(), objectName(c))
			if c.Action != plan.Delete {
				for _, f := range c.Fields {
					if c.Action == plan.Create {
						fmt.Fprintf(&b, "+     %s: %s\n", f.Path, value(f.After))
						continue
					}
					if isMultiline(f) {
						before, _ := f.Before.(string)
						after, _ := f.After.(string)
						fmt.Fprintf(&b, "!     %s:\n%s", f.Path, lineDiff(before, after, "      "))
						continue
					}
					if removed, added, ok := setItems(f); ok && f.Before != nil {
						for _, r := range removed {
							fmt.Fprintf(&b, "-     %s: %s\n", f.Path, r)
						}
						for _, a := range added {
							fmt.Fprintf(&b, "+     %s: %s\n", f.Path, a)
						}
						continue
					}
					fmt.Fprintf(&b, "-     %s: %s\n+     %s: %s\n", f.Path, value(f.Before), f.Path, value(f.After))
				}
				if len(c.Unverifiable) > 0 && c.Action != plan.Create {
					fmt.Fprintf(&b, "#     unverifiable: %s\n", strings.Join(c.Unverifiable, ", "))
				}
			}
			sec.items = append(sec.items, b.String())
		}
		out = append(out, sec)
	}
	return out
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
