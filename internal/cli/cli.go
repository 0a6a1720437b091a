// Package cli is qsync's command line: subcommands, flags (pflag), output
// rules and exit codes. It is the only package that prints; everything
// below it returns values and errors.
//
// Output rules: results go to stdout; messages and errors go to stderr,
// prefixed "qsync: ", lowercase, without a trailing period. Colour only on
// a terminal and never with NO_COLOR.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2
)

// IO is the command's view of the process: streams, environment and
// terminal facts. Tests build one with buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// OutTTY and ErrTTY say whether stdout and stderr are terminals; InTTY
	// whether stdin is (apply asks for confirmation only there).
	OutTTY, ErrTTY, InTTY bool
	Getenv                func(string) string
	// Getwd is the working directory, for relative paths in messages.
	Getwd func() (string, error)
}

// SystemIO returns the process's real IO.
func SystemIO() *IO {
	return &IO{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())),
		ErrTTY: term.IsTerminal(int(os.Stderr.Fd())),
		InTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		Getenv: os.Getenv, Getwd: os.Getwd,
	}
}

// color reports whether coloured output is allowed on stdout.
func (o *IO) color() bool {
	return o.OutTTY && o.Getenv("NO_COLOR") == "" && o.Getenv("TERM") != "dumb"
}

// usageError is a bad invocation: usage goes to stderr, exit 1.
type usageError struct {
	msg   string
	usage string
}

func (e *usageError) Error() string { return e.msg }

// exitError carries an exit code without a message (already reported).
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, io *IO, args []string) error
}

func commands() []command {
	return []command{
		{"validate", "check the desired state", runValidate},
		{"plan", "show what apply would change, and the exact API calls", runPlan},
		{"apply", "make the live subscription match the desired state", runApply},
		{"drift", "check the live subscription against the desired state (exit 2 on drift)", runDrift},
		{"import", "write the live subscription as CUE", runImport},
		{"snapshot", "save the live state as XML, as the API returns it", runSnapshot},
		{"sim", "run the Qualys API simulator", runSim},
		{"version", "print the version", runVersion},
	}
}

// Version is set at build time.
var Version = "dev"

func runVersion(_ context.Context, io *IO, args []string) error {
	if len(args) > 0 {
		return &usageError{msg: "version takes no arguments", usage: "usage: qsync version"}
	}
	fmt.Fprintln(io.Out, "qsync", Version)
	return nil
}

func topUsage() string {
	var b strings.Builder
	b.WriteString("qsync keeps a Qualys VM/PC subscription's configuration in git, as CUE.\n\nUsage:\n  qsync <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nExit codes: 0 success and nothing to do, 1 error, 2 changes present (plan --detailed-exitcode, drift).\n")
	b.WriteString("Run 'qsync <command> --help' for a command's flags.\n")
	return b.String()
}

// Main runs qsync with args (without the program name) and returns the
// exit code. Panics are reported and exit 1.
func Main(args []string, io *IO) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(io.Err, "qsync: internal error: %v\n", r)
			code = ExitError
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) == 0 {
		fmt.Fprint(io.Err, topUsage())
		return ExitError
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		fmt.Fprint(io.Out, topUsage())
		return ExitOK
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == name {
			c := c
			cmd = &c
		}
	}
	if cmd == nil {
		fmt.Fprintf(io.Err, "qsync: unknown command %q\n\n%s", name, topUsage())
		return ExitError
	}
	err := cmd.run(ctx, io, args[1:])
	return exitCode(io, err)
}

func exitCode(io *IO, err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, pflag.ErrHelp) {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(io.Err, "qsync: %s\n", ue.msg)
		if ue.usage != "" {
			fmt.Fprintf(io.Err, "\n%s", ue.usage)
		}
		return ExitError
	}
	for _, line := range strings.Split(strings.TrimRight(err.Error(), "\n"), "\n") {
		fmt.Fprintf(io.Err, "qsync: %s\n", line)
	}
	return ExitError
}

// newFlags returns a flag set for a subcommand whose errors are ours to
// print.
func newFlags(name, usage string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = true
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SetInterspersed(true)
	_ = usage
	return fs
}

// parse parses args and turns errors into usage errors; --help prints the
// usage to stdout.
func parse(fs *pflag.FlagSet, io *IO, usage string, args []string) error {
	full := usage + "\n\nFlags:\n" + fs.FlagUsages()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(io.Out, full)
			return pflag.ErrHelp
		}
		return &usageError{msg: err.Error(), usage: full}
	}
	return nil
}

// oneDir returns the optional DIR argument.
func oneDir(fs *pflag.FlagSet, usage string) (string, error) {
	switch fs.NArg() {
	case 0:
		return ".", nil
	case 1:
		return fs.Arg(0), nil
	}
	return "", &usageError{msg: fmt.Sprintf("expected at most one directory, got %d arguments", fs.NArg()), usage: usage + "\n\nFlags:\n" + fs.FlagUsages()}
}

func sortedCounts(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
