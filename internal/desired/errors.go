package desired

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/token"

	"github.com/qsync/qsync/internal/resource"
)

// Error is one problem in the desired state.
type Error struct {
	// Pos is file:line:col relative to the working directory, or a file.
	Pos string
	// Where names the object and field ("auth/mariadb \"db1\": port").
	Where string
	Msg   string
}

func (e Error) String() string {
	var b strings.Builder
	if e.Pos != "" {
		b.WriteString(e.Pos + ": ")
	}
	if e.Where != "" {
		b.WriteString(e.Where + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found; it is the error Load returns for bad input.
type Errors struct {
	List []Error
	// wd is the working directory positions are relative to.
	wd string
}

func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, x := range e.List {
		lines[i] = x.String()
	}
	return strings.Join(lines, "\n")
}

func (e *Errors) add(pos, where, format string, args ...any) {
	e.List = append(e.List, Error{Pos: pos, Where: where, Msg: fmt.Sprintf(format, args...)})
}

// sorted orders errors by file, line, column and drops exact duplicates.
func (e *Errors) sorted() *Errors {
	sort.SliceStable(e.List, func(i, j int) bool { return posLess(e.List[i].Pos, e.List[j].Pos) })
	out := e.List[:0]
	seen := map[string]bool{}
	for _, x := range e.List {
		if s := x.String(); !seen[s] {
			seen[s] = true
			out = append(out, x)
		}
	}
	e.List = out
	return e
}

func posLess(a, b string) bool {
	fa, la, ca := splitPos(a)
	fb, lb, cb := splitPos(b)
	if fa != fb {
		return fa < fb
	}
	if la != lb {
		return la < lb
	}
	return ca < cb
}

func splitPos(p string) (string, int, int) {
	parts := strings.Split(p, ":")
	if len(parts) < 3 {
		return p, 0, 0
	}
	var l, c int
	fmt.Sscan(parts[len(parts)-2], &l)
	fmt.Sscan(parts[len(parts)-1], &c)
	return strings.Join(parts[:len(parts)-2], ":"), l, c
}

// pos renders a CUE position relative to the working directory.
func (e *Errors) pos(p token.Pos) string {
	if !p.IsValid() || p.Filename() == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", rel(e.wd, p.Filename()), p.Line(), p.Column())
}

func isUserPos(p token.Pos) bool {
	return p.IsValid() && !strings.Contains(filepath.ToSlash(p.Filename()), "/cue.mod/")
}

// userPos picks the position of a CUE error inside the user's files.
func userPos(e cueerrors.Error) token.Pos {
	if p := e.Position(); isUserPos(p) {
		return p
	}
	for _, p := range cueerrors.Positions(e) {
		if isUserPos(p) {
			return p
		}
	}
	return token.NoPos
}

var (
	reBoundRE   = regexp.MustCompile(`invalid value (.*) \(out of bound =~"\^\((.*)\)\$"\)`)
	reBound     = regexp.MustCompile(`invalid value (.*) \(out of bound ([<>=!]+)(.*)\)`)
	reConflict  = regexp.MustCompile(`conflicting values (.*) and (.*) \(mismatched types (\w+) and (\w+)\)`)
	reMaxRunes  = regexp.MustCompile(`invalid value .* \(does not satisfy strings\.MaxRunes\((\d+)\)\)`)
	reMaxItems  = regexp.MustCompile(`invalid value .* \(does not satisfy list\.MaxItems\((\d+)\)\)`)
	reNotRegexp = regexp.MustCompile(`invalid value (.*) \(out of bound !~.*\)`)
)

// friendly rewrites a CUE message for the field f (nil when unknown).
func friendly(msg string, f *resource.Field, label string) string {
	switch {
	case strings.Contains(msg, "field not allowed"):
		return fmt.Sprintf("unknown field %q", label)
	case strings.Contains(msg, "field is required but not present"):
		return "required field is missing"
	case strings.Contains(msg, "incomplete value"):
		return "needs a concrete value (" + strings.TrimPrefix(msg, "incomplete value ") + ")"
	}
	if m := reConflict.FindStringSubmatch(msg); m != nil {
		if f != nil && f.Type == resource.Secret {
			return "a secret must be a reference {env: NAME} or {file: PATH}, never a literal"
		}
		// CUE names the schema's type and the user's value in either order.
		wantT, got, gotT := m[3], m[2], m[4]
		if !isTypeWord(m[1]) {
			wantT, got, gotT = m[4], m[1], m[3]
		}
		if gotT == "null" || gotT == "struct" || gotT == "list" {
			return fmt.Sprintf("want %s, got %s", article(wantT), gotT)
		}
		return fmt.Sprintf("want %s, got %s %s", article(wantT), gotT, got)
	}
	if m := reMaxRunes.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("longer than %s characters", m[1])
	}
	if m := reMaxItems.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("more than %s items", m[1])
	}
	if m := reBoundRE.FindStringSubmatch(msg); m != nil {
		alts := strings.Split(strings.ReplaceAll(m[2], `\`, ""), "|")
		return fmt.Sprintf("%s is not one of %s", m[1], strings.Join(quoteAll(alts), ", "))
	}
	if m := reNotRegexp.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s contains a forbidden character (none of , < > \" & | =)", m[1])
	}
	if strings.Contains(msg, "out of bound =~") {
		return strings.TrimPrefix(strings.SplitN(msg, " (out of bound", 2)[0], "invalid value ") + " has an invalid format"
	}
	if m := reBound.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s is out of range (must be %s %s)", m[1], m[2], m[3])
	}
	return msg
}

func isTypeWord(s string) bool {
	switch s {
	case "int", "string", "bool", "float", "number", "bytes", "null", "_":
		return true
	}
	return strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") || strings.HasPrefix(s, "#")
}

func article(t string) string {
	switch t {
	case "struct":
		return "a struct"
	case "list":
		return "a list"
	case "int":
		return "an integer"
	case "bool":
		return "true or false"
	}
	return "a " + t
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// convertErrors turns a CUE load or build error into [*Errors].
func convertErrors(err error, wd string) error {
	out := &Errors{wd: wd}
	for _, e := range cueerrors.Errors(err) {
		format, args := e.Msg()
		msg := fmt.Sprintf(format, args...)
		out.add(out.pos(userPos(e)), "", "%s", msg)
	}
	return out.sorted()
}
