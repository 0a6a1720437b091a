package cli

import (
	"context"

	"github.com/qsync/qsync/internal/plan"
)

const driftUsage = "usage: qsync drift [DIR] [--format text|markdown|json]\n\nA read-only plan framed as drift: exit 0 when the live subscription matches\nthe desired state, 2 when it has drifted, 1 on error."

func runDrift(ctx context.Context, io *IO, args []string) error {
	var f planFlags
	fs := newFlags("drift", driftUsage)
	f.live.bind(fs, true)
	fs.StringVar(&f.format, "format", "text", "output format: text, markdown or json")
	fs.StringVarP(&f.out, "out", "o", "", "also write the report as plan JSON to this file")
	fs.StringVar(&f.gitRef, "git-ref", "", "read DIR as it is at this git ref (no checkout)")
	if err := parse(fs, io, driftUsage, args); err != nil {
		return err
	}
	dir, err := oneDir(fs, driftUsage)
	if err != nil {
		return err
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	p, err := makePlan(ctx, io, dir, &f)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := writePlanFile(f.out, p); err != nil {
			return err
		}
	}
	if err := render(io, p, f.format, true); err != nil {
		return err
	}
	if drifted(p) {
		return &exitError{ExitChanges}
	}
	return nil
}

// drifted reports whether live differs from desired in a way apply would
// change.
func drifted(p *plan.Plan) bool { return p.HasChanges }
