package desired

import (
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/qsync/qsync/internal/resource"
)

// Repo is the git repository holding a desired-state directory.
type Repo struct {
	repo *git.Repository
	// Root is the work tree's absolute path; Sub is the desired-state
	// directory relative to it, slash-separated ("" for the root).
	Root, Sub string
}

// OpenRepo finds the repository that contains dir.
func OpenRepo(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	r, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, fmt.Errorf("open git repository for %s: %w", dir, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, fmt.Errorf("git repository for %s has no work tree: %w", dir, err)
	}
	root := wt.Filesystem.Root()
	if resolved, err := filepath.EvalSymlinks(root); err == nil {
		root = resolved
	}
	absResolved := abs
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		absResolved = resolved
	}
	sub, err := filepath.Rel(root, absResolved)
	if err != nil || strings.HasPrefix(sub, "..") {
		return nil, fmt.Errorf("%s is outside the repository at %s", dir, root)
	}
	sub = filepath.ToSlash(sub)
	if sub == "." {
		sub = ""
	}
	return &Repo{repo: r, Root: root, Sub: sub}, nil
}

// Commit resolves a revision (branch, tag, SHA, HEAD~1, ...) to a commit.
func (r *Repo) Commit(rev string) (*object.Commit, error) {
	h, err := r.repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, fmt.Errorf("git ref %q: %w", rev, err)
	}
	c, err := r.repo.CommitObject(*h)
	if err != nil {
		return nil, fmt.Errorf("git ref %q: %w", rev, err)
	}
	return c, nil
}

// MergeBase returns the merge base of a and b. In a shallow clone go-git
// cannot compute it (go-git#2409): then it walks b's first-parent history
// looking for a, and failing that returns a itself with fellBack set, so
// the caller can say the base is approximate.
func (r *Repo) MergeBase(a, b *object.Commit) (base *object.Commit, fellBack bool, err error) {
	bases, err := a.MergeBase(b)
	if err == nil && len(bases) > 0 {
		return bases[0], false, nil
	}
	seen := map[plumbing.Hash]bool{}
	for c := b; c != nil && len(seen) < 100000; {
		if c.Hash == a.Hash {
			return a, false, nil
		}
		seen[c.Hash] = true
		if c.NumParents() == 0 {
			break
		}
		p, perr := c.Parent(0)
		if perr != nil {
			break
		}
		c = p
	}
	return a, true, nil
}

func collectGit(abs, ref string) (*fileSet, error) {
	repo, err := OpenRepo(abs)
	if err != nil {
		return nil, err
	}
	c, err := repo.Commit(ref)
	if err != nil {
		return nil, err
	}
	return repo.filesAt(c)
}

// filesAt returns the desired-state files as they are in commit c.
func (r *Repo) filesAt(c *object.Commit) (*fileSet, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, err
	}
	dirTree := tree
	if r.Sub != "" {
		dirTree, err = tree.Tree(r.Sub)
		if errors.Is(err, object.ErrDirectoryNotFound) {
			return nil, fmt.Errorf("%s does not exist at %s", r.Sub, c.Hash.String()[:12])
		}
		if err != nil {
			return nil, err
		}
	}
	fsSet := &fileSet{}
	absDir := filepath.Join(r.Root, filepath.FromSlash(r.Sub))
	for _, e := range dirTree.Entries {
		if !e.Mode.IsFile() || !strings.HasSuffix(e.Name, ".cue") {
			continue
		}
		f, err := dirTree.TreeEntryFile(&e)
		if err != nil {
			return nil, err
		}
		rd, err := f.Reader()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rd)
		rd.Close()
		if err != nil {
			return nil, err
		}
		fsSet.files = append(fsSet.files, file{path: filepath.Join(absDir, e.Name), data: b})
	}
	// A cue.mod in the directory or an ancestor, as committed.
	for d := r.Sub; ; d = path.Dir(d) {
		if d == "." {
			d = ""
		}
		p := path.Join(d, "cue.mod", "module.cue")
		if f, err := tree.File(p); err == nil {
			content, err := f.Contents()
			if err != nil {
				return nil, err
			}
			fsSet.moduleRoot = filepath.Join(r.Root, filepath.FromSlash(d))
			fsSet.hasModule = false // overlay the committed module file
			fsSet.files = append(fsSet.files, file{path: filepath.Join(fsSet.moduleRoot, "cue.mod", "module.cue"), data: []byte(content)})
			fsSet.moduleFromGit = true
			break
		}
		if d == "" {
			break
		}
	}
	return fsSet, nil
}

// LoadCommit loads the desired state as it is in commit c.
func (r *Repo) LoadCommit(c *object.Commit, cat *resource.Catalog) (*State, error) {
	fsSet, err := r.filesAt(c)
	if err != nil {
		return nil, err
	}
	return loadFiles(fsSet, filepath.Join(r.Root, filepath.FromSlash(r.Sub)), cat)
}
