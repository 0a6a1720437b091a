package qualys

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Limits is what the last answer of an endpoint said about the
// subscription's limits. Zero fields were absent.
type Limits struct {
	RateLimit, RateWindowSec, RateRemaining, RateToWaitSec int
	ConcurrencyLimit                                       int
	HaveRate, HaveConcurrency                              bool
}

// parseLimits reads X-RateLimit-* and X-Concurrency-Limit-* headers,
// whatever their case (Go canonicalises header names on read).
func parseLimits(h http.Header) Limits {
	var l Limits
	get := func(name string) (int, bool) {
		for k, vs := range h {
			if strings.EqualFold(k, name) && len(vs) > 0 {
				n, err := strconv.Atoi(strings.TrimSpace(vs[0]))
				return n, err == nil
			}
		}
		return 0, false
	}
	var ok bool
	if l.RateLimit, ok = get("X-RateLimit-Limit"); ok {
		l.HaveRate = true
	}
	l.RateWindowSec, _ = get("X-RateLimit-Window-Sec")
	if n, ok := get("X-RateLimit-Remaining"); ok {
		l.RateRemaining, l.HaveRate = n, true
	} else {
		l.RateRemaining = -1
	}
	l.RateToWaitSec, _ = get("X-RateLimit-ToWait-Sec")
	if n, ok := get("X-Concurrency-Limit-Limit"); ok && n > 0 {
		l.ConcurrencyLimit, l.HaveConcurrency = n, true
	}
	return l
}

// endpointLimiter paces the calls to one endpoint: a semaphore sized from
// the last seen concurrency limit (2 until an answer says otherwise), and a
// pause when the rate window is about to run out.
type endpointLimiter struct {
	mu      sync.Mutex
	cond    *sync.Cond
	limit   int
	running int
	// notBefore is the earliest time the next call may start.
	notBefore time.Time
}

func newEndpointLimiter() *endpointLimiter {
	l := &endpointLimiter{limit: 2}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// acquire waits for a slot, then for notBefore. It returns the release
// function.
func (l *endpointLimiter) acquire(ctx context.Context, now func() time.Time, sleep func(context.Context, time.Duration) error) (func(), error) {
	l.mu.Lock()
	stop := context.AfterFunc(ctx, func() {
		l.mu.Lock()
		l.cond.Broadcast()
		l.mu.Unlock()
	})
	for l.running >= l.limit {
		if ctx.Err() != nil {
			l.mu.Unlock()
			stop()
			return nil, ctx.Err()
		}
		l.cond.Wait()
	}
	stop()
	l.running++
	wait := l.notBefore.Sub(now())
	l.mu.Unlock()
	release := func() {
		l.mu.Lock()
		l.running--
		l.cond.Broadcast()
		l.mu.Unlock()
	}
	if wait > 0 {
		if err := sleep(ctx, wait); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}

// observe updates the limiter from an answer's limit headers.
func (l *endpointLimiter) observe(lim Limits, now time.Time, maxWait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim.HaveConcurrency && lim.ConcurrencyLimit != l.limit {
		l.limit = lim.ConcurrencyLimit
		l.cond.Broadcast()
	}
	if !lim.HaveRate {
		return
	}
	var wait time.Duration
	switch {
	case lim.RateToWaitSec > 0:
		wait = time.Duration(lim.RateToWaitSec) * time.Second
	case lim.RateRemaining == 0 && lim.RateWindowSec > 0 && lim.RateLimit > 0:
		// Out of calls with no wait given: spread over the window.
		wait = time.Duration(lim.RateWindowSec) * time.Second / time.Duration(lim.RateLimit)
	}
	if wait > maxWait {
		wait = maxWait
	}
	if t := now.Add(wait); wait > 0 && t.After(l.notBefore) {
		l.notBefore = t
	}
}

// pauseUntil delays every later call of this endpoint until t.
func (l *endpointLimiter) pauseUntil(t time.Time) {
	l.mu.Lock()
	if t.After(l.notBefore) {
		l.notBefore = t
	}
	l.mu.Unlock()
}

func (l *endpointLimiter) currentLimit() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}
