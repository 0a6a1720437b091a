// Package qualys is the only package that speaks HTTP to the Qualys API: the
// platform table, authentication, the headers every call needs, limit
// pacing, safe retries, list paging, and the XML codecs that turn answers
// into canonical [resource.Object] values and objects into write
// parameters.
package qualys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// platforms maps a platform name to its API base URL. It is read-only.
var platforms = map[string]string{
	"US1": "https://qualysapi.qualys.com",
	"US2": "https://qualysapi.qg2.apps.qualys.com",
	"US3": "https://qualysapi.qg3.apps.qualys.com",
	"US4": "https://qualysapi.qg4.apps.qualys.com",
	"EU1": "https://qualysapi.qualys.eu",
	"EU2": "https://qualysapi.qg2.apps.qualys.eu",
	"IN1": "https://qualysapi.qg1.apps.qualys.in",
	"CA1": "https://qualysapi.qg1.apps.qualys.ca",
	"AE1": "https://qualysapi.qg1.apps.qualys.ae",
	"UK1": "https://qualysapi.qg1.apps.qualys.co.uk",
	"AU1": "https://qualysapi.qg1.apps.qualys.com.au",
}

// PlatformURL resolves a platform name, or a private cloud's
// "qualysapi.<customer_base_url>" host, to a base URL.
func PlatformURL(name string) (string, error) {
	if u, ok := platforms[strings.ToUpper(name)]; ok {
		return u, nil
	}
	if strings.HasPrefix(strings.ToLower(name), "qualysapi.") {
		return "https://" + name, nil
	}
	names := make([]string, 0, len(platforms))
	for n := range platforms {
		names = append(names, n)
	}
	sort.Strings(names)
	return "", fmt.Errorf("unknown platform %q (known: %s, sim, or a private cloud host qualysapi.<customer_base_url>; or use --api-url)", name, strings.Join(names, ", "))
}

// CheckBaseURL accepts https URLs, and http only for loopback hosts (the
// simulator).
func CheckBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid API URL %q", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("API URL %q: plain http is allowed only for loopback addresses", raw)
		}
	default:
		return nil, fmt.Errorf("API URL %q: scheme must be https", raw)
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("API URL %q: give the base URL without a path", raw)
	}
	u.Path = ""
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Config configures a [Client].
type Config struct {
	BaseURL  string
	Username string
	Password string
	// HTTPClient defaults to one with sane timeouts; its redirect policy is
	// always replaced: redirects are never followed.
	HTTPClient *http.Client
	// RequestedWith is the X-Requested-With value (default "qsync").
	RequestedWith string
	// MaxResponseBytes caps a response body (default 256 MiB).
	MaxResponseBytes int64
	// Timeout bounds one HTTP exchange (default 5 minutes).
	Timeout time.Duration
	// MaxAttempts bounds tries of one call (default 6).
	MaxAttempts int
	// MaxBackoff caps the exponential back-off (default 60 s) and
	// MaxWait any server-requested wait (default 15 minutes).
	MaxBackoff, MaxWait time.Duration
	// MaxPages bounds how many truncation pages one list may follow
	// (default 10000).
	MaxPages int
	// Sleep and Now are the clock, replaceable in tests.
	Sleep func(ctx context.Context, d time.Duration) error
	Now   func() time.Time
	// Trace, when set, receives one line per exchange (no credentials, no
	// parameter values).
	Trace func(format string, args ...any)
}

// Client calls the Qualys API. It is safe for concurrent use.
type Client struct {
	base *url.URL
	cfg  Config
	hc   *http.Client

	mu       sync.Mutex
	limiters map[string]*endpointLimiter
	// reached is set once any answer arrived: a refused connection before
	// that is a configuration error, not worth retrying.
	reached atomic.Bool
}

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	base, err := CheckBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, errors.New("credentials missing: set QUALYS_USERNAME and QUALYS_PASSWORD")
	}
	if cfg.RequestedWith == "" {
		cfg.RequestedWith = "qsync"
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = 256 << 20
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Minute
	}
	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = 6
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 60 * time.Second
	}
	if cfg.MaxWait == 0 {
		cfg.MaxWait = 15 * time.Minute
	}
	if cfg.MaxPages == 0 {
		cfg.MaxPages = 10000
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hc := &http.Client{Timeout: cfg.Timeout}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		hc = &c
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{base: base, cfg: cfg, hc: hc, limiters: map[string]*endpointLimiter{}}, nil
}

// BaseURL is the configured base URL.
func (c *Client) BaseURL() string { return c.base.String() }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Request is one API call.
type Request struct {
	Method string // GET or POST
	Path   string // with trailing slash
	Params url.Values
	// Idempotent calls (reads, updates) may be retried after a server or
	// transport failure; the others come back as [*AmbiguousError].
	Idempotent bool
}

func (r *Request) action() string { return r.Params.Get("action") }

// Response is a successful answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Limits Limits
}

func (c *Client) limiter(path string) *endpointLimiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.limiters[path]
	if !ok {
		l = newEndpointLimiter()
		c.limiters[path] = l
	}
	return l
}

// ConcurrencyLimit is the semaphore size in force for an endpoint.
func (c *Client) ConcurrencyLimit(path string) int { return c.limiter(path).currentLimit() }

// Do sends req with pacing and retries and classifies the answer. An error
// body (SIMPLE_RETURN with a CODE) is an [*APIError] whatever the status.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if !strings.HasSuffix(req.Path, "/") {
		return nil, fmt.Errorf("path %q lacks its trailing slash", req.Path)
	}
	lim := c.limiter(req.Path)
	var lastErr error
	for attempt := 1; attempt <= c.cfg.MaxAttempts; attempt++ {
		release, err := lim.acquire(ctx, c.cfg.Now, c.cfg.Sleep)
		if err != nil {
			return nil, err
		}
		resp, sent, err := c.once(ctx, req)
		if resp != nil {
			c.reached.Store(true)
			lim.observe(resp.Limits, c.cfg.Now(), c.cfg.MaxWait)
		}
		release()
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, err
		}
		var ae *APIError
		if !errors.As(err, &ae) {
			return nil, err
		}
		retry, wait := c.retryable(req, ae, sent, attempt)
		if ae.Class == ClassTransport && !sent && !c.reached.Load() {
			retry = false // nothing has ever answered: fail fast
		}
		if !retry {
			if sent && !req.Idempotent && (ae.Class == ClassServer || ae.Class == ClassTransport) {
				return nil, &AmbiguousError{Method: req.Method, Path: req.Path, Action: req.action(), Err: err}
			}
			return nil, err
		}
		c.trace("retry %s %s action=%s after %s: %s", req.Method, req.Path, req.action(), wait, ae.Class)
		lim.pauseUntil(c.cfg.Now().Add(wait))
	}
	return nil, fmt.Errorf("giving up after %d attempts: %w", c.cfg.MaxAttempts, lastErr)
}

// retryable decides whether a failed attempt may be repeated, and after
// how long. A 409 limit answer means the call was not run, so any call may
// be retried; server and transport failures only for idempotent calls or
// requests that never left the machine.
func (c *Client) retryable(req *Request, ae *APIError, sent bool, attempt int) (bool, time.Duration) {
	if attempt >= c.cfg.MaxAttempts {
		return false, 0
	}
	backoff := c.backoff(attempt)
	switch ae.Class {
	case ClassConcurrency, ClassRate:
		if w := ae.serverWait(); w > 0 {
			return true, min(w, c.cfg.MaxWait)
		}
		return true, backoff
	case ClassServer, ClassTransport, ClassHTML, ClassUnparseable:
		if req.Idempotent || !sent {
			return true, backoff
		}
	}
	return false, 0
}

func (c *Client) backoff(attempt int) time.Duration {
	d := time.Second << (attempt - 1)
	if d > c.cfg.MaxBackoff || d <= 0 {
		d = c.cfg.MaxBackoff
	}
	// Jitter of up to 10% keeps two clients from retrying in lockstep.
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

func (c *Client) trace(format string, args ...any) {
	if c.cfg.Trace != nil {
		c.cfg.Trace(format, args...)
	}
}

// once performs one HTTP exchange. sent reports whether the request may
// have reached the server.
func (c *Client) once(ctx context.Context, req *Request) (*Response, bool, error) {
	u := *c.base
	u.Path = req.Path
	body := req.Params.Encode()
	var hreq *http.Request
	var err error
	method := req.Method
	if method == "" {
		method = http.MethodPost
	}
	if method == http.MethodGet {
		u.RawQuery = body
		hreq, err = http.NewRequestWithContext(ctx, method, u.String(), nil)
	} else {
		hreq, err = http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(body))
		if err == nil {
			hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("build request: %w", err)
	}
	hreq.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	hreq.Header.Set("X-Requested-With", c.cfg.RequestedWith)
	hreq.Header.Set("Accept", "application/xml, text/xml")
	start := c.cfg.Now()
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		sent := !isDialError(err)
		return nil, sent, &APIError{Method: method, Path: req.Path, Action: req.action(), Class: ClassTransport, Err: err}
	}
	defer hresp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(hresp.Body, c.cfg.MaxResponseBytes+1))
	resp := &Response{Status: hresp.StatusCode, Header: hresp.Header, Body: b, Limits: parseLimits(hresp.Header)}
	c.trace("%s %s action=%s -> %d (%d bytes, %s)", method, req.Path, req.action(), hresp.StatusCode, len(b), c.cfg.Now().Sub(start).Round(time.Millisecond))
	if err != nil {
		return resp, true, &APIError{Method: method, Path: req.Path, Action: req.action(), HTTPStatus: hresp.StatusCode, Class: ClassTransport, Err: fmt.Errorf("read body: %w", err)}
	}
	if int64(len(b)) > c.cfg.MaxResponseBytes {
		return resp, true, &APIError{Method: method, Path: req.Path, Action: req.action(), HTTPStatus: hresp.StatusCode, Class: ClassTooLarge,
			Text: fmt.Sprintf("body exceeds %d bytes", c.cfg.MaxResponseBytes)}
	}
	if err := classify(method, req, resp); err != nil {
		if resp.Limits.RateToWaitSec > 0 {
			err.toWait = time.Duration(resp.Limits.RateToWaitSec) * time.Second
		}
		return resp, true, err
	}
	return resp, true, nil
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// classify inspects the body first: a SIMPLE_RETURN with a CODE is an
// error whatever the status; then HTML; then the HTTP status.
func classify(method string, req *Request, resp *Response) *APIError {
	mk := func(class Class) *APIError {
		return &APIError{Method: method, Path: req.Path, Action: req.action(), HTTPStatus: resp.Status, Class: class}
	}
	root, html := sniffRoot(resp.Body)
	if root == "SIMPLE_RETURN" {
		n, err := ParseNode(resp.Body)
		if err != nil {
			e := mk(ClassUnparseable)
			e.Err = err
			return e
		}
		r := n.Child("RESPONSE")
		codeText := r.TextOf("CODE")
		if codeText != "" {
			code, _ := strconv.Atoi(codeText)
			e := mk(classifyCode(code, r.TextOf("TEXT")))
			e.Code, e.Text = code, r.TextOf("TEXT")
			e.Items = items(r)
			return e
		}
		if resp.Status >= 300 {
			e := mk(classifyStatus(resp.Status))
			e.Text = r.TextOf("TEXT")
			return e
		}
		return nil
	}
	if html {
		e := mk(ClassHTML)
		if resp.Status >= 300 && resp.Status < 400 {
			e.Class = ClassRedirect
			e.Text = "redirected to " + resp.Header.Get("Location") + " (is the path missing its trailing slash?)"
		} else if resp.Status >= 500 {
			e.Class = ClassServer
		} else if resp.Status == 401 {
			e.Class = ClassBadLogin
		} else if resp.Status == 404 {
			e.Class = ClassNotFound
		}
		return e
	}
	if resp.Status >= 300 {
		e := mk(classifyStatus(resp.Status))
		if resp.Status >= 300 && resp.Status < 400 {
			e.Text = "redirected to " + resp.Header.Get("Location")
		}
		return e
	}
	if root == "" {
		e := mk(ClassUnparseable)
		snippet := bytes.TrimSpace(resp.Body)
		if len(snippet) > 80 {
			snippet = snippet[:80]
		}
		e.Text = fmt.Sprintf("body is not XML: %q", snippet)
		return e
	}
	return nil
}

func items(r *Node) map[string]string {
	out := map[string]string{}
	for _, it := range r.All("ITEM_LIST/ITEM") {
		out[it.TextOf("KEY")] = it.TextOf("VALUE")
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
