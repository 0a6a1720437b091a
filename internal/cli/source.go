package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/qsync/qsync/internal/desired"
	"github.com/qsync/qsync/internal/live"
	"github.com/qsync/qsync/internal/qualys"
	"github.com/qsync/qsync/internal/qualyssim"
	"github.com/qsync/qsync/internal/resource"
)

// liveFlags select where live state comes from.
type liveFlags struct {
	apiURL   string
	platform string
	liveFrom string
	simState string
	verbose  bool
}

func (l *liveFlags) bind(fs *pflag.FlagSet, allowSnapshot bool) {
	fs.StringVar(&l.apiURL, "api-url", "", "API base URL (overrides --platform; http only on loopback)")
	fs.StringVar(&l.platform, "platform", "", "platform: US1 US2 US3 US4 EU1 EU2 IN1 CA1 AE1 UK1 AU1, a private cloud qualysapi.<host>, or sim (in-process simulator)")
	if allowSnapshot {
		fs.StringVar(&l.liveFrom, "live-from", "", "read live state from a snapshot directory (read-only)")
	}
	fs.StringVar(&l.simState, "sim-state", "", "with --platform sim: persist the simulator's state in this file across runs")
	fs.BoolVarP(&l.verbose, "verbose", "v", false, "trace API exchanges on stderr (no credentials, no parameter values)")
}

// session is an open live source.
type session struct {
	client *qualys.Client
	// snapshot is set for --live-from.
	snapshot string
	close    func()
}

func (s *session) Close() {
	if s.close != nil {
		s.close()
	}
}

// open resolves the live source. Precedence: --api-url, then --platform,
// then --live-from; QSYNC_API_URL and QSYNC_PLATFORM apply when no flag
// is given.
func (l *liveFlags) open(io *IO) (*session, error) {
	apiURL, platform := l.apiURL, l.platform
	if apiURL == "" && platform == "" && l.liveFrom == "" {
		apiURL, platform = io.Getenv("QSYNC_API_URL"), io.Getenv("QSYNC_PLATFORM")
	}
	if l.liveFrom != "" && (apiURL != "" || platform != "") {
		return nil, &usageError{msg: "--live-from cannot be combined with --api-url or --platform"}
	}
	if l.liveFrom != "" {
		return &session{snapshot: l.liveFrom}, nil
	}
	if apiURL == "" && platform == "" {
		return nil, &usageError{msg: "no live source: give --platform (US1, EU1, ..., or sim), --api-url or --live-from"}
	}
	user, pass := io.Getenv("QUALYS_USERNAME"), io.Getenv("QUALYS_PASSWORD")
	s := &session{}
	if apiURL == "" && strings.EqualFold(platform, "sim") {
		u, p := user, pass
		if u == "" && p == "" {
			u, p, user, pass = "demo", "demo", "demo", "demo"
		}
		url, stop, err := startSim(qualyssim.Options{Username: u, Password: p}, l.simState, "")
		if err != nil {
			return nil, err
		}
		apiURL, s.close = url, stop
	} else if apiURL == "" {
		var err error
		if apiURL, err = qualys.PlatformURL(platform); err != nil {
			return nil, &usageError{msg: err.Error()}
		}
	}
	cfg := qualys.Config{BaseURL: apiURL, Username: user, Password: pass}
	if v := io.Getenv("QSYNC_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.Close()
			return nil, &usageError{msg: fmt.Sprintf("QSYNC_MAX_ATTEMPTS=%q: want a positive number", v)}
		}
		cfg.MaxAttempts = n
	}
	if l.verbose {
		cfg.Trace = func(format string, args ...any) { fmt.Fprintf(io.Err, "qsync: trace: "+format+"\n", args...) }
	}
	c, err := qualys.New(cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.client = c
	return s, nil
}

// startSim serves a simulator on a free loopback port and returns its URL.
func startSim(opts qualyssim.Options, statePath, seed string) (string, func(), error) {
	sim, err := newSim(opts, statePath, seed)
	if err != nil {
		return "", nil, err
	}
	return sim.Start("127.0.0.1:0")
}

// newSim builds a simulator from a state file, a snapshot seed, or the
// demo subscription.
func newSim(opts qualyssim.Options, statePath, seed string) (*qualyssim.Server, error) {
	switch {
	case statePath != "":
		return qualyssim.Open(opts, statePath, seed)
	case seed != "":
		st, err := qualyssim.LoadSnapshot(seed)
		if err != nil {
			return nil, fmt.Errorf("seed simulator: %w", err)
		}
		return qualyssim.NewWithState(opts, st), nil
	}
	return qualyssim.New(opts), nil
}

// readLive reads the live state from the session.
func (s *session) readLive(ctx context.Context, cat *resource.Catalog) (*live.State, error) {
	if s.snapshot != "" {
		return live.FromSnapshot(s.snapshot, cat)
	}
	return live.FromAPI(ctx, s.client, cat)
}

func printWarnings(io *IO, st *desired.State) {
	for _, w := range st.Warnings(io.Getenv) {
		fmt.Fprintf(io.Err, "qsync: warning: %s\n", w.String())
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
