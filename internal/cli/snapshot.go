package cli

import (
	"context"
	"fmt"

	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/resource"
)

const snapshotUsage = "usage: qsync snapshot --out SNAPDIR\n\nSave the live state as the API returns it: SNAPDIR/auth/<type>.xml,\nSNAPDIR/option_profiles.xml and SNAPDIR/appliances.xml. The directory is\nwhat --live-from reads and what qsync sim --seed starts from."

func runSnapshot(ctx context.Context, io *IO, args []string) error {
	var lf liveFlags
	fs := newFlags("snapshot", snapshotUsage)
	lf.bind(fs, false)
	out := fs.String("out", "", "directory to write (required)")
	if err := parse(fs, io, snapshotUsage, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return &usageError{msg: "snapshot needs --out SNAPDIR and no arguments", usage: snapshotUsage + "\n\nFlags:\n" + fs.FlagUsages()}
	}
	sess, err := lf.open(io)
	if err != nil {
		return err
	}
	defer sess.Close()
	files, skipped, err := live.WriteSnapshot(ctx, sess.client, resource.Default(), *out)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintf(io.Err, "qsync: warning: not written, the API refused the list (readers take it as not read): %s\n", s)
	}
	fmt.Fprintf(io.Err, "qsync: wrote %d files to %s\n", len(files), *out)
	return nil
}
