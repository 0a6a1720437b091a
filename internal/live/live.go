// Package live reads the live state of a subscription, from the API or
// from a saved snapshot directory, into canonical objects, and writes
// snapshot directories. It records per kind whether the read is complete:
// a kind that was not read, or not read in full, never gets deletes.
package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/resource"
)

// State is what was read.
type State struct {
	Objects []*resource.Object
	// Read maps each kind that was read to whether the read is complete.
	Read map[string]bool
	// Notes explain incomplete or skipped reads, per kind.
	Notes map[string]string
}

func newState() *State { return &State{Read: map[string]bool{}, Notes: map[string]string{}} }

// Snapshot file layout (the contract of DESIGN.md).
const (
	OptionProfilesFile = "option_profiles.xml"
	AppliancesFile     = "appliances.xml"
)

// AuthFile is the snapshot path of one auth type.
func AuthFile(typ string) string { return filepath.Join("auth", typ+".xml") }

// Refused reports whether a read failure means the subscription does not
// offer the endpoint (a module not enabled, an unknown path), as opposed to
// a failure worth stopping for. A refused kind is left unread, which
// plans treat like a file absent from a snapshot: nothing of it is
// compared or deleted.
func Refused(err error) bool {
	var ae *qualys.APIError
	// A list that failed after its first page is incomplete, not refused.
	if errors.Is(err, qualys.ErrIncompleteRead) || !errors.As(err, &ae) {
		return false
	}
	return ae.Class == qualys.ClassNotFound || ae.Class == qualys.ClassBadParam
}

// FromAPI reads the live state through the client. A kind whose read
// fails is an error, except when the subscription refuses the endpoint
// (see [Refused]): then the kind is not read and Notes says why. A list
// is never returned in part.
func FromAPI(ctx context.Context, c *qualys.Client, cat *resource.Catalog) (*State, error) {
	st := newState()
	for _, typ := range resource.AuthTypes {
		k := cat.AuthKind(typ)
		objs, err := c.ListAuth(ctx, k)
		if err := st.take(objs, err, k.Name, k.Name); err != nil {
			return nil, err
		}
	}
	objs, err := c.ExportOptionProfiles(ctx, cat)
	if err := st.take(objs, err, "option profiles", "option_profiles/vm", "option_profiles/pci", "option_profiles/pc", "option_profiles/system"); err != nil {
		return nil, err
	}
	objs, err = c.ListAppliances(ctx)
	if err := st.take(objs, err, "appliances", "appliances"); err != nil {
		return nil, err
	}
	return st, nil
}

// take records the outcome of one read covering kinds: its objects, or a
// note when the API refused it, or the error that stops the read.
func (st *State) take(objs []*resource.Object, err error, what string, kinds ...string) error {
	switch {
	case err != nil && Refused(err):
		for _, k := range kinds {
			st.Notes[k] = "the API refused the read: " + err.Error()
		}
	case err != nil:
		return fmt.Errorf("read %s: %w", what, err)
	default:
		st.Objects = append(st.Objects, objs...)
		for _, k := range kinds {
			st.Read[k] = true
		}
	}
	return nil
}

// FromSnapshot reads a snapshot directory. A file that is absent means the
// kind was not read (never "empty"); a list that still carries a
// truncation warning is read but marked incomplete.
func FromSnapshot(dir string, cat *resource.Catalog) (*State, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("snapshot directory %s: not a directory", dir)
	}
	st := newState()
	for _, typ := range resource.AuthTypes {
		k := cat.AuthKind(typ)
		b, err := os.ReadFile(filepath.Join(dir, AuthFile(typ)))
		if errors.Is(err, fs.ErrNotExist) {
			st.Notes[k.Name] = "no " + AuthFile(typ) + " in the snapshot"
			continue
		}
		if err != nil {
			return nil, err
		}
		ws, err := qualys.DecodeAuthList(bytes.NewReader(b), k, func(o *resource.Object) error {
			st.Objects = append(st.Objects, o)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, AuthFile(typ)), err)
		}
		st.Read[k.Name] = true
		for _, w := range ws {
			if w.Code == 1980 {
				st.Read[k.Name] = false
				st.Notes[k.Name] = "the snapshot holds a truncated list (WARNING 1980)"
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, OptionProfilesFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		for _, t := range []string{"vm", "pci", "pc", "system"} {
			st.Notes["option_profiles/"+t] = "no " + OptionProfilesFile + " in the snapshot"
		}
	case err != nil:
		return nil, err
	default:
		if err := qualys.DecodeOptionProfiles(bytes.NewReader(b), cat, func(o *resource.Object) error {
			st.Objects = append(st.Objects, o)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, OptionProfilesFile), err)
		}
		for _, t := range []string{"vm", "pci", "pc", "system"} {
			st.Read["option_profiles/"+t] = true
		}
	}
	b, err = os.ReadFile(filepath.Join(dir, AppliancesFile))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		st.Notes["appliances"] = "no " + AppliancesFile + " in the snapshot"
	case err != nil:
		return nil, err
	default:
		if err := qualys.DecodeAppliances(bytes.NewReader(b), func(o *resource.Object) error {
			st.Objects = append(st.Objects, o)
			return nil
		}); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, AppliancesFile), err)
		}
		st.Read["appliances"] = true
	}
	return st, nil
}

// WriteSnapshot reads every list through the client and writes the
// snapshot directory: each file the XML as the API returned it (truncated
// pages spliced into one document). A list the subscription refuses is
// left out, which readers take as "not read"; skipped says which and why.
func WriteSnapshot(ctx context.Context, c *qualys.Client, cat *resource.Catalog, dir string) (written, skipped []string, err error) {
	files := map[string][]byte{}
	// keep files one read's document, notes a refusal, or stops.
	keep := func(name string, b []byte, err error) error {
		switch {
		case err != nil && Refused(err):
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
		case err != nil:
			return fmt.Errorf("read %s: %w", name, err)
		default:
			files[name] = b
		}
		return nil
	}
	for _, typ := range resource.AuthTypes {
		b, err := c.AuthListRaw(ctx, cat.AuthKind(typ))
		if err := keep(AuthFile(typ), b, err); err != nil {
			return nil, nil, err
		}
	}
	b, err := c.ExportOptionProfilesRaw(ctx)
	if err := keep(OptionProfilesFile, b, err); err != nil {
		return nil, nil, err
	}
	b, err = c.ListAppliancesRaw(ctx)
	if err := keep(AppliancesFile, b, err); err != nil {
		return nil, nil, err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return nil, nil, err
		}
	}
	return names, skipped, nil
}
