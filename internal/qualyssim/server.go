package qualyssim

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/qsync/qsync/internal/resource"
)

// Options configure a [Server].
type Options struct {
	// Username and Password are the only accepted credentials
	// (default demo/demo).
	Username, Password string
	// PageSize is where auth lists are truncated (default 1000, as the
	// real service).
	PageSize int
	// ConcurrencyLimit is the concurrent calls allowed per endpoint
	// (default 2); RateLimit calls per RateWindow (default 300 per hour).
	ConcurrencyLimit int
	RateLimit        int
	RateWindow       time.Duration
	// StatePath, when set, persists the state as JSON after every write.
	StatePath string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives one line per request: method, path, action, status and
	// CODE; never parameter values.
	Log func(line string)
}

// Server is the simulator. It is an http.Handler.
type Server struct {
	opts Options
	cat  *resource.Catalog

	mu     sync.Mutex
	state  *State
	faults []*Fault
	// running and window track the limits per endpoint path.
	running map[string]int
	window  map[string]*rateWindow
	calls   []CallRecord
}

type rateWindow struct {
	start time.Time
	count int
}

// CallRecord is one request the simulator served, for tests.
type CallRecord struct {
	Method, Path, Action string
	Status, Code         int
	// Applied reports whether the call changed state.
	Applied bool
	// Params are the parameter names sent (never values).
	Params []string
}

// New returns a simulator holding the demo subscription.
func New(opts Options) *Server {
	return NewWithState(opts, DemoState(opts.nowFunc()()))
}

// NewEmpty returns a simulator with an empty subscription.
func NewEmpty(opts Options) *Server { return NewWithState(opts, newState()) }

// NewWithState returns a simulator serving st.
func NewWithState(opts Options, st *State) *Server {
	if opts.Username == "" && opts.Password == "" {
		opts.Username, opts.Password = "demo", "demo"
	}
	if opts.PageSize <= 0 {
		opts.PageSize = 1000
	}
	if opts.ConcurrencyLimit <= 0 {
		opts.ConcurrencyLimit = 2
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 300
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = time.Hour
	}
	opts.Now = opts.nowFunc()
	return &Server{opts: opts, cat: resource.Default(), state: st,
		running: map[string]int{}, window: map[string]*rateWindow{}}
}

func (o Options) nowFunc() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

// Open returns a simulator whose state persists in path; the file is
// created when it does not exist, from the snapshot directory seed or, when
// seed is empty, from the demo subscription.
func Open(opts Options, path, seed string) (*Server, error) {
	opts.StatePath = path
	st, err := loadState(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		if seed != "" {
			if st, err = LoadSnapshot(seed); err != nil {
				return nil, err
			}
		} else {
			st = DemoState(opts.nowFunc()())
		}
		if err := st.save(path); err != nil {
			return nil, fmt.Errorf("create simulator state: %w", err)
		}
	}
	return NewWithState(opts, st), nil
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ff := f
	s.faults = append(s.faults, &ff)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Calls returns the requests served so far.
func (s *Server) Calls() []CallRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallRecord(nil), s.calls...)
}

// Counts returns how many objects of each kind the subscription holds.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.counts()
}

// endpoint is a served path and its handler.
type endpoint struct {
	path    string
	handler func(s *Server, c *call) // runs under s.mu
}

func (s *Server) endpoints() []endpoint {
	eps := []endpoint{
		{"/api/2.0/fo/auth/", (*Server).authIndex},
		{"/api/2.0/fo/subscription/option_profile/", (*Server).profileExport},
		{"/api/2.0/fo/appliance/", func(s *Server, c *call) { s.appliances(c, false) }},
		{"/api/2.0/fo/appliance/physical/", func(s *Server, c *call) { s.appliances(c, true) }},
	}
	for _, t := range resource.AuthTypes {
		k := s.cat.AuthKind(t)
		eps = append(eps, endpoint{k.Path, func(s *Server, c *call) { s.authRecords(c, k) }})
	}
	for _, t := range []string{"vm", "pci", "pc"} {
		k := s.cat.Kind("option_profiles/" + t)
		eps = append(eps, endpoint{k.Path, func(s *Server, c *call) { s.profiles(c, k) }})
	}
	return eps
}

// call is one request being served.
type call struct {
	r       *http.Request
	params  url.Values
	action  string
	host    string
	status  int
	body    []byte
	code    int
	applied bool
	header  http.Header
}

func (c *call) fail(status, code int, text string) {
	c.status, c.code = status, code
	c.body = simpleReturn(code, text, nil)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := CallRecord{Method: r.Method, Path: r.URL.Path}
	recorded := false
	// record logs the call; a dropped connection records before it drops,
	// so the record exists by the time the client sees the failure.
	record := func() {
		if recorded {
			return
		}
		recorded = true
		s.mu.Lock()
		s.calls = append(s.calls, rec)
		s.mu.Unlock()
		if s.opts.Log != nil {
			s.opts.Log(fmt.Sprintf("%s %s action=%s -> %d code=%d applied=%v", rec.Method, rec.Path, rec.Action, rec.Status, rec.Code, rec.Applied))
		}
	}
	defer record()

	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.Username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.Password)) != 1 {
		rec.Status, rec.Code = 401, 2000
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.Header().Set("WWW-Authenticate", `Basic realm="MSP Portal"`)
		w.WriteHeader(http.StatusUnauthorized)
		w.Write(simpleReturn(2000, "Bad Login/Password", nil))
		return
	}

	var ep *endpoint
	eps := s.endpoints()
	for i := range eps {
		if eps[i].path == r.URL.Path {
			ep = &eps[i]
		}
	}
	if ep == nil {
		for i := range eps {
			if eps[i].path == r.URL.Path+"/" {
				rec.Status = http.StatusMovedPermanently
				w.Header().Set("Location", eps[i].path)
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusMovedPermanently)
				fmt.Fprintf(w, "<html><head><title>301 Moved Permanently</title></head><body><h1>Moved Permanently</h1><p>The document has moved <a href=%q>here</a>.</p></body></html>\n", eps[i].path)
				return
			}
		}
		rec.Status = http.StatusNotFound
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n")
		return
	}

	c := &call{r: r, host: r.Host, status: 200, header: w.Header()}
	if err := r.ParseForm(); err != nil {
		c.fail(400, 1905, "Malformed request body")
	}
	c.params = r.Form
	c.action = c.params.Get("action")
	rec.Action = c.action
	for k := range c.params {
		rec.Params = append(rec.Params, k)
	}

	if r.Header.Get("X-Requested-With") == "" {
		rec.Status, rec.Code = 400, 1903
		s.writeLimits(w, ep.path)
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(400)
		w.Write(simpleReturn(1903, "Missing required header: X-Requested-With", nil))
		return
	}

	s.mu.Lock()
	fault := s.matchFault(ep.path, c.action)
	limitErr := s.enterLimits(ep.path)
	s.mu.Unlock()
	if limitErr == nil {
		defer func() {
			s.mu.Lock()
			s.running[ep.path]--
			s.mu.Unlock()
		}()
	}

	if fault != nil && fault.Kind == FaultDelay {
		select {
		case <-time.After(fault.Delay):
		case <-r.Context().Done():
		}
	}

	switch {
	case limitErr != nil:
		c.status, c.code, c.body = 409, limitErr.code, limitErr.body
		if limitErr.wait > 0 {
			w.Header().Set("X-RateLimit-ToWait-Sec", fmt.Sprint(limitErr.wait))
		}
	case fault != nil && fault.preempts():
		if s.servePreFault(w, c, fault, &rec, record) {
			return
		}
	default:
		s.mu.Lock()
		if c.code == 0 && c.body == nil {
			ep.handler(s, c)
		}
		if c.applied && s.opts.StatePath != "" {
			if err := s.state.save(s.opts.StatePath); err != nil {
				c.fail(500, 999, "state not saved: "+err.Error())
			}
		}
		s.mu.Unlock()
		if fault != nil && s.servePostFault(w, c, fault, &rec, record) {
			return
		}
	}
	rec.Status, rec.Code, rec.Applied = c.status, c.code, c.applied
	if limitErr == nil || limitErr.code != 0 {
		s.writeLimits(w, ep.path)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	}
	w.WriteHeader(c.status)
	w.Write(c.body)
}

func (s *Server) matchFault(path, action string) *Fault {
	for _, f := range s.faults {
		if f.matches(path, action) && f.take() {
			return f
		}
	}
	return nil
}

func (f *Fault) preempts() bool {
	switch f.Kind {
	case FaultConcurrency, FaultRate, FaultServer, FaultDropBefore, FaultHTML, FaultError200:
		return true
	}
	return false
}

// servePreFault answers a fault that stops the call before it runs. It
// returns true when it wrote (or dropped) the response itself.
func (s *Server) servePreFault(w http.ResponseWriter, c *call, f *Fault, rec *CallRecord, record func()) bool {
	switch f.Kind {
	case FaultConcurrency:
		c.fail(409, 1960, "Concurrency Limit of 2 reached. Please retry after other API calls have completed.")
	case FaultRate:
		wait := f.WaitSec
		if wait <= 0 {
			wait = 1
		}
		w.Header().Set("X-RateLimit-ToWait-Sec", fmt.Sprint(wait))
		c.status, c.code = 409, 1965
		c.body = simpleReturn(1965, "This API cannot be run again for another few seconds.", map[string]string{"SECONDS_TO_WAIT": fmt.Sprint(wait)})
	case FaultServer:
		st := f.Status
		if st == 0 {
			st = 503
		}
		c.status = st
		c.body = []byte("<html><body><h1>Service Unavailable</h1></body></html>")
		w.Header().Set("Content-Type", "text/html")
	case FaultDropBefore:
		rec.Status = -1
		record()
		hijackClose(w)
		return true
	case FaultHTML:
		c.status = 200
		c.body = []byte("<!DOCTYPE html><html><head><title>Scheduled maintenance</title></head><body>Qualys is down for maintenance.</body></html>")
		w.Header().Set("Content-Type", "text/html")
	case FaultError200:
		code := f.Code
		if code == 0 {
			code = 999
		}
		c.status, c.code = 200, code
		c.body = simpleReturn(code, "Internal error. Please contact customer support.", nil)
	}
	return false
}

// servePostFault spoils the answer of a call that already ran.
func (s *Server) servePostFault(w http.ResponseWriter, c *call, f *Fault, rec *CallRecord, record func()) bool {
	switch f.Kind {
	case FaultDropAfter:
		rec.Status, rec.Applied = -1, c.applied
		record()
		hijackClose(w)
		return true
	case FaultServerAfter:
		st := f.Status
		if st == 0 {
			st = 500
		}
		c.status = st
		c.body = []byte("<html><body><h1>Internal Server Error</h1></body></html>")
		w.Header().Set("Content-Type", "text/html")
	case FaultTruncated:
		if len(c.body) > 20 {
			c.body = c.body[:len(c.body)/2]
		}
	}
	return false
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

type limitError struct {
	code int
	body []byte
	wait int
}

// enterLimits counts the call against the endpoint's concurrency and rate
// limits; on success the caller must decrement running.
func (s *Server) enterLimits(path string) *limitError {
	now := s.opts.Now()
	win := s.window[path]
	if win == nil || now.Sub(win.start) >= s.opts.RateWindow {
		win = &rateWindow{start: now}
		s.window[path] = win
	}
	if win.count >= s.opts.RateLimit {
		wait := int(s.opts.RateWindow.Seconds() - now.Sub(win.start).Seconds())
		if wait < 1 {
			wait = 1
		}
		return &limitError{code: 1965, wait: wait, body: simpleReturn(1965,
			fmt.Sprintf("API calls limit of %d per %d seconds reached.", s.opts.RateLimit, int(s.opts.RateWindow.Seconds())),
			map[string]string{"SECONDS_TO_WAIT": fmt.Sprint(wait)})}
	}
	if s.running[path] >= s.opts.ConcurrencyLimit {
		return &limitError{code: 1960, body: simpleReturn(1960,
			fmt.Sprintf("Concurrency Limit of %d reached. Please retry after other API calls have completed.", s.opts.ConcurrencyLimit), nil)}
	}
	win.count++
	s.running[path]++
	return nil
}

func (s *Server) writeLimits(w http.ResponseWriter, path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	win := s.window[path]
	used := 0
	if win != nil {
		used = win.count
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", fmt.Sprint(s.opts.RateLimit))
	h.Set("X-RateLimit-Window-Sec", fmt.Sprint(int(s.opts.RateWindow.Seconds())))
	h.Set("X-RateLimit-Remaining", fmt.Sprint(max(0, s.opts.RateLimit-used)))
	if h.Get("X-RateLimit-ToWait-Sec") == "" {
		h.Set("X-RateLimit-ToWait-Sec", "0")
	}
	h.Set("X-Concurrency-Limit-Limit", fmt.Sprint(s.opts.ConcurrencyLimit))
	// Recorded responses always read 0 here, whatever runs; so does this.
	h.Set("X-Concurrency-Limit-Running", "0")
}

// Param validation shared by the handlers.

// allowed fails with 1901 when c carries a parameter outside names.
func (c *call) allowed(names ...string) bool {
	ok := map[string]bool{"action": true, "echo_request": true}
	for _, n := range names {
		ok[n] = true
	}
	for k := range c.params {
		if !ok[k] {
			c.fail(400, 1901, fmt.Sprintf("Unrecognized parameter(s): %s", k))
			return false
		}
	}
	return true
}

func (c *call) post() bool {
	if c.r.Method != http.MethodPost {
		c.fail(400, 1908, fmt.Sprintf("action=%s requires the POST method", c.action))
		return false
	}
	return true
}

func (c *call) has(name string) bool { _, ok := c.params[name]; return ok }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 127 {
			return false
		}
	}
	return true
}

// Start serves the simulator on addr, which must be a loopback address
// ("127.0.0.1:0" picks a free port). It returns the base URL and a stop
// function that shuts the server down.
func (s *Server) Start(addr string) (baseURL string, stop func(), err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", nil, fmt.Errorf("listen address %q: the simulator listens on loopback addresses only", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		srv.Serve(ln)
		close(done)
	}()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-done
	}
	return "http://" + ln.Addr().String(), stop, nil
}
