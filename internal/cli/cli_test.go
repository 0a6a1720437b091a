package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testIO(env map[string]string) (*IO, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &IO{In: strings.NewReader(""), Out: &out, Err: &errb,
		Getenv: func(k string) string { return env[k] }}, &out, &errb
}

func TestExitCodesAndUsage(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.cue"), []byte("auth: unix: \"u\": {}\n"), 0o644)
	cases := []struct {
		args       []string
		code       int
		stderr     string
		stdoutPart string
	}{
		{nil, ExitError, "Usage:", ""},
		{[]string{"help"}, ExitOK, "", "Commands:"},
		{[]string{"nope"}, ExitError, `unknown command "nope"`, ""},
		{[]string{"validate", "--nope"}, ExitError, "unknown flag: --nope", ""},
		{[]string{"validate", "a", "b"}, ExitError, "expected at most one directory", ""},
		{[]string{"plan", "--format", "yaml"}, ExitError, `unknown --format "yaml"`, ""},
		{[]string{"plan", "--help"}, ExitOK, "", "usage: qsync plan"},
		{[]string{"snapshot"}, ExitError, "snapshot needs --out SNAPDIR", ""},
		{[]string{"plan", dir, "--live-from", "x", "--platform", "US1"}, ExitError, "cannot be combined", ""},
		{[]string{"plan", dir, "--platform", "MARS1"}, ExitError, `unknown platform "MARS1"`, ""},
		{[]string{"version", "x"}, ExitError, "takes no arguments", ""},
	}
	for _, c := range cases {
		io, out, errb := testIO(nil)
		code := Main(c.args, io)
		if code != c.code || !strings.Contains(errb.String(), c.stderr) || !strings.Contains(out.String(), c.stdoutPart) {
			t.Errorf("%v: code %d, stderr %q, stdout %q", c.args, code, errb.String(), out.String())
		}
		if errb.Len() > 0 && !strings.HasPrefix(errb.String(), "qsync: ") && !strings.HasPrefix(errb.String(), "qsync keeps") {
			t.Errorf("%v: stderr not prefixed: %q", c.args, errb.String())
		}
	}
}

func TestColourRules(t *testing.T) {
	for _, c := range []struct {
		tty   bool
		env   map[string]string
		color bool
	}{
		{true, nil, true},
		{false, nil, false},
		{true, map[string]string{"NO_COLOR": "1"}, false},
		{true, map[string]string{"TERM": "dumb"}, false},
	} {
		io, _, _ := testIO(c.env)
		io.OutTTY = c.tty
		if io.color() != c.color {
			t.Errorf("tty=%v env=%v: colour %v", c.tty, c.env, io.color())
		}
	}
}

func TestPanicsExitOne(t *testing.T) {
	io, _, errb := testIO(nil)
	io.Getenv = func(string) string { panic("boom") }
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.cue"), []byte("auth: unix: \"u\": {}\n"), 0o644)
	if code := Main([]string{"plan", dir, "--platform", "sim"}, io); code != ExitError || !strings.Contains(errb.String(), "internal error: boom") {
		t.Errorf("code %d, stderr %q", code, errb.String())
	}
}
