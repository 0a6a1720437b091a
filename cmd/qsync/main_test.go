package main

import (
	"flag"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/qsync/qsync/internal/cli"
	"github.com/qsync/qsync/internal/qualyssim"
)

var update = flag.Bool("update", false, "update testscript golden output")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"qsync": func() { os.Exit(cli.Main(os.Args[1:], cli.SystemIO())) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script: the real
// command line against the simulator on loopback and real git
// repositories made in the script's work directory.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("QUALYS_USERNAME", "demo")
			env.Setenv("QUALYS_PASSWORD", "demo")
			env.Setenv("NO_COLOR", "1")
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"sim-start":  simStart,
			"git-init":   gitInit,
			"git-commit": gitCommit,
			"wait-port":  waitPort,
		},
	})
}

// sim-start [fault-spec...] serves a simulator with the demo subscription
// on loopback for the rest of the script and exports QSYNC_API_URL.
func simStart(ts *testscript.TestScript, neg bool, args []string) {
	sim := qualyssim.New(qualyssim.Options{Username: "demo", Password: "demo"})
	for _, a := range args {
		f, err := qualyssim.ParseFault(a)
		ts.Check(err)
		sim.Inject(f)
	}
	url, stop, err := sim.Start("127.0.0.1:0")
	ts.Check(err)
	ts.Defer(stop)
	ts.Setenv("QSYNC_API_URL", url)
}

// git-init DIR makes a repository.
func gitInit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: git-init DIR")
	}
	_, err := git.PlainInit(ts.MkAbs(args[0]), false)
	ts.Check(err)
}

// git-commit DIR MESSAGE adds every file of DIR's work tree and commits.
func gitCommit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: git-commit DIR MESSAGE")
	}
	r, err := git.PlainOpen(ts.MkAbs(args[0]))
	ts.Check(err)
	wt, err := r.Worktree()
	ts.Check(err)
	ts.Check(wt.AddWithOptions(&git.AddOptions{All: true}))
	_, err = wt.Commit(args[1], &git.CommitOptions{All: true, Author: &object.Signature{Name: "qsync test", Email: "test@example.invalid", When: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}})
	ts.Check(err)
}

// wait-port ADDR waits up to 10 s for a TCP listener on a loopback address
// (a background `qsync sim`).
func waitPort(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: wait-port ADDR")
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", args[0], 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	ts.Fatalf("nothing listens on %s", args[0])
}
