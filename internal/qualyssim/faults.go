package qualyssim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// FaultKind is what an injected fault does.
type FaultKind string

// Fault kinds.
const (
	// FaultConcurrency answers 409 with CODE 1960; the call is not run.
	FaultConcurrency FaultKind = "409-concurrency"
	// FaultRate answers 409 with CODE 1965, ToWait-Sec and SECONDS_TO_WAIT.
	FaultRate FaultKind = "409-rate"
	// FaultServer answers Status (default 503) before running the call.
	FaultServer FaultKind = "5xx"
	// FaultServerAfter runs the call, then answers Status (default 500).
	FaultServerAfter FaultKind = "5xx-after"
	// FaultDelay waits Delay, then serves the call normally.
	FaultDelay FaultKind = "delay"
	// FaultDropAfter runs the call, then drops the connection unanswered.
	FaultDropAfter FaultKind = "drop-after"
	// FaultDropBefore drops the connection without running the call.
	FaultDropBefore FaultKind = "drop-before"
	// FaultHTML answers an HTML maintenance page with status 200.
	FaultHTML FaultKind = "html"
	// FaultError200 answers HTTP 200 with a SIMPLE_RETURN error (CODE
	// Code, default 999).
	FaultError200 FaultKind = "error-200"
	// FaultTruncated answers HTTP 200 with a body cut in the middle.
	FaultTruncated FaultKind = "truncated"
)

// AllFaultKinds lists every fault the injector offers.
var AllFaultKinds = []FaultKind{FaultConcurrency, FaultRate, FaultServer, FaultServerAfter, FaultDelay,
	FaultDropAfter, FaultDropBefore, FaultHTML, FaultError200, FaultTruncated}

// Fault is one injected failure, matched by endpoint path and action.
type Fault struct {
	Kind FaultKind
	// Path matches the request path exactly; empty matches any.
	Path string
	// Action matches the action parameter; empty matches any.
	Action string
	// Skip lets the first Skip matching requests through.
	Skip int
	// Count is how many times the fault fires; 0 means every time.
	Count  int
	Delay  time.Duration
	Status int
	Code   int
	// WaitSec is the wait a rate fault asks for (default 1).
	WaitSec int

	seen, fired int
}

func (f *Fault) matches(path, action string) bool {
	return (f.Path == "" || f.Path == path) && (f.Action == "" || f.Action == action)
}

// take reports whether the fault fires for this matching request.
func (f *Fault) take() bool {
	f.seen++
	if f.seen <= f.Skip {
		return false
	}
	if f.Count > 0 && f.fired >= f.Count {
		return false
	}
	f.fired++
	return true
}

// ParseFault parses a fault spec as given to `qsync sim --fault`:
// "kind=drop-after,path=/api/2.0/fo/auth/mariadb/,action=create,count=1".
func ParseFault(spec string) (Fault, error) {
	var f Fault
	for _, kv := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok {
			return f, fmt.Errorf("fault %q: %q is not key=value", spec, kv)
		}
		var err error
		switch k {
		case "kind":
			f.Kind = FaultKind(v)
		case "path":
			f.Path = v
		case "action":
			f.Action = v
		case "skip":
			f.Skip, err = strconv.Atoi(v)
		case "count":
			f.Count, err = strconv.Atoi(v)
		case "status":
			f.Status, err = strconv.Atoi(v)
		case "code":
			f.Code, err = strconv.Atoi(v)
		case "wait":
			f.WaitSec, err = strconv.Atoi(v)
		case "delay":
			f.Delay, err = time.ParseDuration(v)
		default:
			return f, fmt.Errorf("fault %q: unknown key %q", spec, k)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: %s: %w", spec, k, err)
		}
	}
	known := false
	for _, k := range AllFaultKinds {
		known = known || k == f.Kind
	}
	if !known {
		return f, fmt.Errorf("fault %q: unknown kind %q", spec, f.Kind)
	}
	return f, nil
}
