package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/drift"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/report"
	"github.com/qsync/qsync/internal/resource"
)

const planUsage = "usage: qsync plan [DIR] [--format text|markdown|json] [--out PLANFILE] [--detailed-exitcode] [--git-ref REF] [--base REF]\n\nCompare the desired state in DIR (default .) with the live subscription and\nprint what apply would do, with the exact API calls. Nothing is changed."

type planFlags struct {
	live     liveFlags
	format   string
	out      string
	detailed bool
	gitRef   string
	base     string
}

func runPlan(ctx context.Context, io *IO, args []string) error {
	return runReport(ctx, io, args, "plan", planUsage, false)
}

// runReport is plan and drift: the same read-only comparison, framed as a
// plan (exit 2 only with --detailed-exitcode) or as drift (exit 2 always).
func runReport(ctx context.Context, io *IO, args []string, name, usage string, drift bool) error {
	var f planFlags
	fs := newFlags(name, usage)
	f.live.bind(fs, true)
	fs.StringVar(&f.format, "format", "text", "output format: text, markdown or json")
	fs.StringVarP(&f.out, "out", "o", "", "also write the plan as JSON to this file (for apply --plan)")
	fs.StringVar(&f.gitRef, "git-ref", "", "read DIR as it is at this git ref (no checkout)")
	if !drift {
		fs.BoolVar(&f.detailed, "detailed-exitcode", false, "exit 2 when there are changes")
		fs.StringVar(&f.base, "base", "", "three-way plan: split changes into this change's and pre-existing drift, against the merge base of REF and HEAD")
	}
	if err := parse(fs, io, usage, args); err != nil {
		return err
	}
	dir, err := oneDir(fs, usage)
	if err != nil {
		return err
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	head, tw, err := loadSides(io, dir, &f)
	if err != nil {
		return err
	}
	sess, err := f.live.open(io)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, err := makePlan(ctx, sess, head, tw)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := writePlanFile(f.out, p); err != nil {
			return err
		}
	}
	if err := render(io, p, f.format, drift); err != nil {
		return err
	}
	if p.HasChanges && (drift || f.detailed) {
		return &exitError{ExitChanges}
	}
	return nil
}

func checkFormat(format string) error {
	switch format {
	case "text", "markdown", "json":
		return nil
	}
	return &usageError{msg: fmt.Sprintf("unknown --format %q (want text, markdown or json)", format)}
}

// loadSides loads the desired state (three ways with --base) before the
// live source is opened, so bad input sends nothing to the API.
func loadSides(io *IO, dir string, f *planFlags) (head *desired.State, tw *drift.ThreeWay, err error) {
	cat := resource.Default()
	if f.base != "" {
		if tw, err = drift.LoadThreeWay(dir, f.base, f.gitRef, cat); err != nil {
			return nil, nil, err
		}
		head = tw.Head
	} else if head, err = desired.Load(desired.Source{Dir: dir, GitRef: f.gitRef}, cat); err != nil {
		return nil, nil, err
	}
	printWarnings(io, head)
	return head, tw, nil
}

// makePlan reads the live side through sess and plans head against it.
func makePlan(ctx context.Context, sess *session, head *desired.State, tw *drift.ThreeWay) (*plan.Plan, error) {
	cat := resource.Default()
	lv, err := sess.readLive(ctx, cat)
	if err != nil {
		return nil, err
	}
	baselines, err := desired.Baselines(cat)
	if err != nil {
		return nil, err
	}
	in := plan.Input{Catalog: cat, Desired: head.Objects, Live: lv.Objects, Policy: head.Policy,
		Read: lv.Read, ReadNote: lv.Notes, Baselines: baselines, DesiredHash: head.Hash}
	if tw != nil {
		in.Prior = tw.Base.Objects
	}
	p, err := plan.Make(in)
	if err != nil {
		return nil, err
	}
	if tw != nil {
		tw.Attribute(p)
	}
	return p, nil
}

func render(io *IO, p *plan.Plan, format string, drift bool) error {
	np, err := report.Normalize(p)
	if err != nil {
		return err
	}
	opts := report.Options{Color: io.color(), Drift: drift}
	switch format {
	case "json":
		return report.JSON(io.Out, np)
	case "markdown":
		return report.Markdown(io.Out, np, opts)
	}
	return report.Text(io.Out, np, opts)
}

func writePlanFile(path string, p *plan.Plan) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write plan file: %w", err)
	}
	return nil
}

func readPlanFile(path string) (*plan.Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	var p plan.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("plan file %s: %w", path, err)
	}
	if p.FormatVersion != plan.FormatVersion {
		return nil, fmt.Errorf("plan file %s: format_version %q, this qsync reads %q", path, p.FormatVersion, plan.FormatVersion)
	}
	return &p, nil
}
