package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qsync/qsync/internal/importer"
	"github.com/qsync/qsync/internal/resource"
)

const importUsage = "usage: qsync import [--out DIR]\n\nWrite the live subscription as formatted CUE, one file per kind, so adoption\nstarts from a zero diff. Secrets become {env: ...} references whose names\nare listed; system profiles are written as the baselines package."

func runImport(ctx context.Context, io *IO, args []string) error {
	var lf liveFlags
	fs := newFlags("import", importUsage)
	lf.bind(fs, true)
	out := fs.String("out", "imported", "directory to write")
	force := fs.Bool("force", false, "overwrite existing files")
	if err := parse(fs, io, importUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: "import takes no arguments; use --out DIR"}
	}
	sess, err := lf.open(io)
	if err != nil {
		return err
	}
	defer sess.Close()
	cat := resource.Default()
	lv, err := sess.readLive(ctx, cat)
	if err != nil {
		return err
	}
	res, err := importer.Render(lv.Objects, lv.Read, cat)
	if err != nil {
		return err
	}
	for _, name := range res.Order {
		p := filepath.Join(*out, name)
		if !*force && fileExists(p) {
			return fmt.Errorf("%s exists; use --force to overwrite", p)
		}
	}
	for _, name := range res.Order {
		p := filepath.Join(*out, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, res.Files[name], 0o644); err != nil {
			return err
		}
		fmt.Fprintln(io.Out, p)
	}
	if len(res.Secrets) > 0 {
		fmt.Fprintf(io.Err, "qsync: the API never returns secrets; set these before apply:\n")
		for _, s := range res.Secrets {
			fmt.Fprintf(io.Err, "  %s\t%s\n", s.Env, s.For)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(io.Err, "qsync: note: %s\n", n)
	}
	return nil
}
