// Package desired loads the desired state: the CUE files of one package,
// from a directory or from a git ref (through go-git, without a checkout),
// validated against the embedded schema and decoded into canonical
// [resource.Object] values. Errors name file:line:col, relative to the
// working directory.
package desired

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/load"

	"github.com/qsync/qsync/internal/resource"
	"github.com/qsync/qsync/schema"
)

// State is a loaded desired state.
type State struct {
	// Objects are the desired objects, in kind then title order.
	Objects []*resource.Object
	Policy  resource.Policy
	// Files are the CUE files read, relative to the working directory.
	Files []string
	// Hash identifies the desired state: a plan records it and apply
	// refuses a plan whose desired state changed since.
	Hash string
}

// Source is where the CUE files come from.
type Source struct {
	// Dir is the desired-state directory (default ".").
	Dir string
	// GitRef, when set, reads Dir as it is at this ref of the repository
	// containing Dir, without a checkout.
	GitRef string
	// Evaluate sends the files through CUE evaluation even when they are
	// plain data (the fast path is skipped); for tests and comparison.
	Evaluate bool
}

// Load reads, validates and decodes the desired state. The returned error
// is an [*Errors] when the input is at fault.
func Load(src Source, cat *resource.Catalog) (*State, error) {
	if src.Dir == "" {
		src.Dir = "."
	}
	abs, err := filepath.Abs(src.Dir)
	if err != nil {
		return nil, err
	}
	files, err := collect(src, abs)
	if err != nil {
		return nil, err
	}
	files.evaluate = src.Evaluate
	return loadFiles(files, abs, cat)
}

// file is one CUE file of the desired state.
type file struct {
	path string // absolute
	data []byte
}

// fileSet is the package's files plus the module root found for it.
type fileSet struct {
	files      []file
	moduleRoot string // absolute; "" means Dir itself with a synthesized module
	hasModule  bool
	// moduleFromGit marks that files holds the committed cue.mod/module.cue.
	moduleFromGit bool
	// evaluate skips the plain-data fast path.
	evaluate bool
}

func collect(src Source, abs string) (*fileSet, error) {
	if src.GitRef != "" {
		return collectGit(abs, src.GitRef)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("desired state directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("desired state %s is not a directory", src.Dir)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, err
	}
	fsSet := &fileSet{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".cue") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(abs, e.Name()))
		if err != nil {
			return nil, err
		}
		fsSet.files = append(fsSet.files, file{path: filepath.Join(abs, e.Name()), data: b})
	}
	for d := abs; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "cue.mod")); err == nil && st.IsDir() {
			fsSet.moduleRoot, fsSet.hasModule = d, true
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return fsSet, nil
}

func loadFiles(fsSet *fileSet, abs string, cat *resource.Catalog) (*State, error) {
	// The working directory is read once per load: positions are
	// rendered for every field.
	wd, _ := os.Getwd()
	root := fsSet.moduleRoot
	if root == "" {
		root = abs
	}
	overlay := map[string]load.Source{}
	var pkgFiles []file
	for _, f := range fsSet.files {
		overlay[f.path] = load.FromBytes(f.data)
		if strings.HasSuffix(f.path, ".cue") && filepath.Base(filepath.Dir(f.path)) != "cue.mod" {
			pkgFiles = append(pkgFiles, f)
		}
	}
	fsSet.files = pkgFiles
	if len(pkgFiles) == 0 {
		return nil, &Errors{wd: wd, List: []Error{{Pos: rel(wd, abs), Msg: "no .cue files in the desired state directory"}}}
	}
	if !fsSet.evaluate && samePackage(pkgFiles) {
		if root, conflicts, ok := plainData(pkgFiles); ok {
			st, err := decodeFast(root, conflicts, cat, wd)
			if err != nil {
				return nil, err
			}
			for _, f := range pkgFiles {
				st.Files = append(st.Files, rel(wd, f.path))
			}
			st.Hash = hashFiles(pkgFiles)
			return st, nil
		}
	}
	if !fsSet.hasModule && !fsSet.moduleFromGit {
		overlay[filepath.Join(root, "cue.mod", "module.cue")] = load.FromString("module: \"qsync.local/desired@v0\"\nlanguage: version: \"v0.9.0\"\n")
	}
	pkgDir := filepath.Join(root, "cue.mod", "pkg", filepath.FromSlash(schema.ImportPath))
	err := fs.WalkDir(schema.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := schema.Files.ReadFile(p)
		if err != nil {
			return err
		}
		overlay[filepath.Join(pkgDir, filepath.FromSlash(p))] = load.FromBytes(b)
		return nil
	})
	if err != nil {
		return nil, err
	}
	cfg := &load.Config{Dir: abs, ModuleRoot: root, Overlay: overlay, Env: []string{"CUE_REGISTRY=none"}}
	ctx := cuecontext.New(cuecontext.CUE_DEBUG(""))

	schemaInst := load.Instances([]string{schema.ImportPath}, cfg)
	if len(schemaInst) != 1 || schemaInst[0].Err != nil {
		return nil, fmt.Errorf("load embedded schema: %v", schemaInst[0].Err)
	}
	sv := ctx.BuildInstance(schemaInst[0])
	if sv.Err() != nil {
		return nil, fmt.Errorf("build embedded schema: %w", sv.Err())
	}

	var names []string
	for _, f := range fsSet.files {
		names = append(names, "./"+filepath.Base(f.path))
	}
	sort.Strings(names)
	insts := load.Instances(names, cfg)
	if len(insts) != 1 {
		return nil, fmt.Errorf("expected one CUE package, found %d", len(insts))
	}
	if err := insts[0].Err; err != nil {
		return nil, convertErrors(err, wd)
	}
	uv := ctx.BuildInstance(insts[0])
	if err := uv.Err(); err != nil {
		return nil, convertErrors(err, wd)
	}
	st, err := decode(uv, sv, cat, wd)
	if err != nil {
		return nil, err
	}
	for _, f := range fsSet.files {
		st.Files = append(st.Files, rel(wd, f.path))
	}
	st.Hash = hashFiles(fsSet.files)
	return st, nil
}

// rel renders a path relative to the working directory wd when it is
// below it.
func rel(wd, p string) string {
	if wd == "" {
		return p
	}
	r, err := filepath.Rel(wd, p)
	if err != nil || strings.HasPrefix(r, "..") && len(r) > len(p) {
		return p
	}
	return r
}

// Baselines decodes the embedded baseline package into system profile
// objects (kind option_profiles/system), for the planner's baseline drift
// report.
func Baselines(cat *resource.Catalog) ([]*resource.Object, error) {
	b, err := schema.Files.ReadFile("baselines/baselines.cue")
	if err != nil {
		return nil, err
	}
	ctx := cuecontext.New(cuecontext.CUE_DEBUG(""))
	v := ctx.CompileBytes(b, cue.Filename("baselines.cue"))
	if v.Err() != nil {
		return nil, fmt.Errorf("embedded baselines: %w", v.Err())
	}
	k := cat.Kind("option_profiles/system")
	var out []*resource.Object
	for _, sp := range resource.SystemProfiles {
		pv := v.LookupPath(cue.ParsePath(sp.Ident))
		if !pv.Exists() {
			continue
		}
		o := &resource.Object{Kind: k.Name, Title: sp.Title, System: true, Values: map[string]any{}}
		it, err := pv.Fields()
		if err != nil {
			return nil, err
		}
		for it.Next() {
			f := k.Field(it.Selector().Unquoted())
			if f == nil {
				continue
			}
			raw, err := goValue(it.Value(), f)
			if err != nil {
				return nil, fmt.Errorf("baseline %s.%s: %w", sp.Ident, f.Name, err)
			}
			if o.Values[f.Name], err = resource.Canonical(f, raw); err != nil {
				return nil, fmt.Errorf("baseline %s.%s: %w", sp.Ident, f.Name, err)
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// samePackage reports whether every file declares the same package clause
// (CUE itself reports a mismatch, so the fast path leaves that to it).
func samePackage(files []file) bool {
	name := ""
	for i, f := range files {
		n := packageName(f.data)
		if i == 0 {
			name = n
		} else if n != name {
			return false
		}
	}
	return true
}

func packageName(b []byte) string {
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "package ") {
			return strings.TrimSpace(strings.TrimPrefix(line, "package "))
		}
		if line != "" && !strings.HasPrefix(line, "//") {
			return ""
		}
	}
	return ""
}

// LoadMemory loads in-memory files as the .cue files of one directory
// (names without a slash; others are ignored). qsync import uses it to
// check what it generates before writing it.
func LoadMemory(files map[string][]byte, cat *resource.Catalog) (*State, error) {
	const dir = "/qsync-memory"
	names := make([]string, 0, len(files))
	for n := range files {
		if !strings.Contains(n, "/") && strings.HasSuffix(n, ".cue") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	fsSet := &fileSet{}
	for _, n := range names {
		fsSet.files = append(fsSet.files, file{path: filepath.Join(dir, n), data: files[n]})
	}
	return loadFiles(fsSet, dir, cat)
}
