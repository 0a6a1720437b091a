package cli

import (
	"context"
	"fmt"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/resource"
)

const validateUsage = "usage: qsync validate [DIR] [--git-ref REF]\n\nValidate the desired state in DIR (default .) against the schema, without\ncontacting the API. Prints one count per kind, or every error as\nfile:line:col: message."

func runValidate(_ context.Context, io *IO, args []string) error {
	fs := newFlags("validate", validateUsage)
	gitRef := fs.String("git-ref", "", "validate DIR as it is at this git ref (no checkout)")
	if err := parse(fs, io, validateUsage, args); err != nil {
		return err
	}
	dir, err := oneDir(fs, validateUsage)
	if err != nil {
		return err
	}
	cat := resource.Default()
	st, err := desired.Load(desired.Source{Dir: dir, GitRef: *gitRef}, cat)
	if err != nil {
		return err
	}
	printWarnings(io, st)
	counts := map[string]int{}
	for _, o := range st.Objects {
		counts[o.Kind]++
	}
	for _, k := range cat.Kinds() {
		if n := counts[k.Name]; n > 0 {
			fmt.Fprintf(io.Out, "%-22s %d\n", k.Name, n)
		}
	}
	fmt.Fprintf(io.Out, "valid: %d objects in %d files\n", len(st.Objects), len(st.Files))
	return nil
}
