package cli

import "context"

const driftUsage = "usage: qsync drift [DIR] [--format text|markdown|json]\n\nA read-only plan framed as drift: exit 0 when the live subscription matches\nthe desired state, 2 when it has drifted, 1 on error."

func runDrift(ctx context.Context, io *IO, args []string) error {
	return runReport(ctx, io, args, "drift", driftUsage, true)
}
