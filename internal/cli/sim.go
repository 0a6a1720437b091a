package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qsync/qsync/internal/qualyssim"
)

const simUsage = "usage: qsync sim [--listen ADDR] [--seed SNAPDIR] [--state FILE] [--fault SPEC]...\n\nServe the Qualys API simulator on a loopback address. Without --seed it holds\nthe demo subscription. It accepts the credentials of its own QUALYS_USERNAME\nand QUALYS_PASSWORD, demo/demo when they are unset.\n\nA fault SPEC is key=value pairs: kind=" + "409-concurrency|409-rate|5xx|5xx-after|delay|drop-after|drop-before|html|error-200|truncated" + ",\npath=/api/2.0/fo/auth/mariadb/, action=create, skip=N, count=N, status=N, code=N, wait=SEC, delay=1s."

func runSim(ctx context.Context, io *IO, args []string) error {
	fs := newFlags("sim", simUsage)
	listen := fs.String("listen", "127.0.0.1:8443", "loopback address to listen on")
	seed := fs.String("seed", "", "start from this snapshot directory")
	state := fs.String("state", "", "persist the state in this JSON file")
	pageSize := fs.Int("page-size", 1000, "truncate auth lists after this many records (WARNING 1980)")
	concurrency := fs.Int("concurrency-limit", 2, "concurrent calls allowed per endpoint")
	rate := fs.Int("rate-limit", 300, "calls allowed per endpoint per rate window")
	window := fs.Duration("rate-window", time.Hour, "rate window")
	faults := fs.StringArray("fault", nil, "inject a fault (repeatable), e.g. kind=drop-after,path=/api/2.0/fo/auth/unix/,action=create,count=1")
	quiet := fs.Bool("quiet", false, "do not log requests")
	if err := parse(fs, io, simUsage, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: "sim takes no arguments"}
	}
	user, pass := io.Getenv("QUALYS_USERNAME"), io.Getenv("QUALYS_PASSWORD")
	opts := qualyssim.Options{Username: user, Password: pass, PageSize: *pageSize, ConcurrencyLimit: *concurrency, RateLimit: *rate, RateWindow: *window}
	if !*quiet {
		opts.Log = func(line string) { fmt.Fprintln(io.Err, "qsync sim: "+line) }
	}
	sim, err := newSim(opts, *state, *seed)
	if err != nil {
		return err
	}
	for _, spec := range *faults {
		f, err := qualyssim.ParseFault(spec)
		if err != nil {
			return &usageError{msg: err.Error()}
		}
		sim.Inject(f)
	}
	url, stop, err := sim.Start(*listen)
	if err != nil {
		return &usageError{msg: err.Error()}
	}
	defer stop()
	counts := sim.Counts()
	var parts []string
	for _, k := range sortedCounts(counts) {
		if counts[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, counts[k]))
		}
	}
	fmt.Fprintf(io.Err, "qsync sim: serving %s (%s)\n", url, strings.Join(parts, " "))
	<-ctx.Done()
	return nil
}
