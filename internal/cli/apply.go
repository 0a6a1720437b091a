package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/qsync/qsync/internal/apply"
	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/plan"
	"github.com/qsync/qsync/internal/report"
	"github.com/qsync/qsync/internal/resource"
)

const applyUsage = "usage: qsync apply [DIR | --plan PLANFILE] [--auto-approve]\n\nMake the live subscription match the desired state. Without --plan it plans,\nshows the plan and asks for confirmation on a terminal; without a terminal\nit refuses unless --auto-approve. With --plan it applies that reviewed plan,\nrefusing if an object it touches changed since, or if DIR (when given) no\nlonger hashes to what was planned."

func runApply(ctx context.Context, io *IO, args []string) error {
	var f planFlags
	fs := newFlags("apply", applyUsage)
	f.live.bind(fs, true)
	planFile := fs.String("plan", "", "apply this saved plan (from plan --out)")
	auto := fs.Bool("auto-approve", false, "do not ask for confirmation")
	dryRun := fs.Bool("dry-run", false, "print the calls and send nothing")
	journal := fs.String("journal", "", "journal file (default qsync-apply.journal)")
	resume := fs.String("resume", "", "continue an interrupted apply from this journal (with the same --plan)")
	mass := fs.Bool("allow-mass-delete", false, "lift the delete safety rails (more than 10 deletes or 25% of a kind)")
	fs.StringVar(&f.gitRef, "git-ref", "", "read DIR as it is at this git ref")
	if err := parse(fs, io, applyUsage, args); err != nil {
		return err
	}
	dir, err := oneDir(fs, applyUsage)
	if err != nil {
		return err
	}
	if f.live.liveFrom != "" {
		return &usageError{msg: "--live-from is read-only (plan, drift and import): apply needs the API, give --platform or --api-url"}
	}
	cat := resource.Default()
	var p *plan.Plan
	// The delete limits come from the desired state when it is read, else
	// the defaults.
	pol := resource.DefaultPolicy()
	var head *desired.State
	if *planFile != "" {
		if p, err = readPlanFile(*planFile); err != nil {
			return err
		}
		if fs.NArg() == 1 {
			st, err := desired.Load(desired.Source{Dir: dir, GitRef: f.gitRef}, cat)
			if err != nil {
				return err
			}
			if p.DesiredHash != "" && st.Hash != p.DesiredHash {
				return fmt.Errorf("refusing to apply: the desired state in %s changed since the plan was made (hash %s, planned %s); plan again", dir, st.Hash, p.DesiredHash)
			}
			pol = st.Policy
		}
	} else {
		if *resume != "" {
			return &usageError{msg: "--resume needs the --plan the interrupted apply ran"}
		}
		if head, _, err = loadSides(io, dir, &f); err != nil {
			return err
		}
		pol = head.Policy
	}
	// One session serves the plan and the apply: with --platform sim both
	// see the same simulated subscription.
	sess, err := f.live.open(io)
	if err != nil {
		return err
	}
	defer sess.Close()
	if head != nil {
		if p, err = makePlan(ctx, sess, head, nil); err != nil {
			return err
		}
		if err := render(io, p, "text", false); err != nil {
			return err
		}
	}
	if !p.HasChanges {
		if *planFile != "" {
			fmt.Fprintln(io.Out, "The plan has no changes.")
		}
		return nil
	}
	if *dryRun {
		np, _ := report.Normalize(p)
		fmt.Fprintf(io.Out, "Dry run: %d calls would be sent, in this order:\n", len(np.Calls))
		for i, c := range np.Calls {
			b, _ := json.Marshal(c.Params)
			fmt.Fprintf(io.Out, "  %2d. %s %s %s\n", i+1, c.Method, c.Path, b)
		}
		return nil
	}
	if problems := secretProblems(io, p); len(problems) > 0 {
		return errors.New("secrets the plan needs cannot be resolved:\n  " + strings.Join(problems, "\n  "))
	}
	if *planFile == "" && !*auto {
		if !io.InTTY {
			return errors.New("refusing to apply without confirmation: stdin is not a terminal; review the plan and pass --auto-approve, or apply a saved plan with --plan")
		}
		fmt.Fprint(io.Err, "Apply these changes? Only 'yes' is accepted: ")
		line, _ := bufio.NewReader(io.In).ReadString('\n')
		if strings.TrimSpace(line) != "yes" {
			return errors.New("apply cancelled")
		}
	}
	api := apply.ClientAPI{Client: sess.client, Catalog: cat}
	planID := planHash(p)
	jpath := *journal
	if *resume != "" {
		jpath = *resume
	}
	if jpath == "" {
		jpath = "qsync-apply.journal"
	}
	opts := apply.Options{Resolve: apply.ResolveSecret(io.Getenv), AllowMassDelete: *mass, Protected: pol.Protected,
		MaxDeletes: pol.MaxDeletes, MaxDeletePercent: pol.MaxDeletePercent}
	if *resume != "" {
		if opts.Done, err = apply.ReadJournal(jpath, planID); err != nil {
			return err
		}
	}
	if _, err := apply.Check(ctx, api, p, opts); err != nil {
		return err
	}
	j, err := apply.OpenJournal(jpath, planID, nil)
	if err != nil {
		return err
	}
	defer j.Close()
	opts.Journal = j
	if io.ErrTTY {
		opts.Progress = func(done, total int, r apply.CallResult) {
			fmt.Fprintf(io.Err, "\r\x1b[Kqsync: [%d/%d] %s %s %s", done, total, r.Action, r.Kind, r.Outcome)
			if done == total {
				fmt.Fprintln(io.Err)
			}
		}
	}
	res := apply.Run(ctx, api, p, opts)
	printResults(io, res)
	if res.Failed > 0 {
		fmt.Fprintf(io.Err, "qsync: %d of %d calls did not succeed; the journal is %s (rerun with --plan and --resume %s after fixing the cause)\n", res.Failed, len(res.Calls), jpath, jpath)
		return &exitError{ExitError}
	}
	fmt.Fprintf(io.Out, "Apply complete: %d calls succeeded.\n", len(res.Calls))
	return nil
}

// secretProblems lists secrets the plan needs that cannot be resolved.
func secretProblems(io *IO, p *plan.Plan) []string {
	resolve := apply.ResolveSecret(io.Getenv)
	var out []string
	for i, c := range p.Calls {
		for param, ref := range c.Secrets {
			if _, err := resolve(ref); err != nil {
				out = append(out, fmt.Sprintf("call %d (%s %q) needs %s: %v", i+1, c.Kind, strings.Join(c.Titles, ", "), param, err))
			}
		}
	}
	return out
}

func planHash(p *plan.Plan) string {
	b, _ := json.Marshal(p.Calls)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:16]
}

func printResults(io *IO, res *apply.Result) {
	tw := tabwriter.NewWriter(io.Out, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tCALL\tOBJECT\tOUTCOME\tCODE")
	for _, r := range res.Calls {
		code := ""
		if r.Code != 0 {
			code = fmt.Sprint(r.Code)
		}
		obj := strings.Join(r.Titles, ", ")
		if len(obj) > 60 {
			obj = obj[:57] + "..."
		}
		outcome := r.Outcome
		if r.Error != "" {
			msg := r.Error
			if len(msg) > 140 {
				msg = msg[:137] + "..."
			}
			outcome += ": " + msg
		}
		fmt.Fprintf(tw, "%d\t%s %s\t%s\t%s\t%s\n", r.Index+1, r.Action, r.Kind, obj, outcome, code)
	}
	tw.Flush()
}
