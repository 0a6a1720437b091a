package qualys

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Class is the category of an API failure, decided from the response body
// first and the HTTP status second.
type Class int

// Error classes.
const (
	ClassUnknown     Class = iota
	ClassBadLogin          // 2000, HTTP 401
	ClassExpired           // 2001
	ClassBadParam          // 1901, 1903, 1904, 1905, 1907, 1908, 1922
	ClassNotFound          // record or path does not exist
	ClassConcurrency       // 1960, HTTP 409
	ClassRate              // 1965, HTTP 409
	ClassServer            // 5xx, 999, 7001 and other server-side failures
	ClassHTML              // an HTML page where XML was expected
	ClassUnparseable       // a body that is not the expected XML
	ClassTransport         // the request or response did not make it
	ClassConflict          // e.g. a duplicate title
	ClassRedirect          // a 3xx answer (wrong path, missing slash)
	ClassTooLarge          // response over the size cap
)

var classNames = map[Class]string{
	ClassUnknown: "unknown", ClassBadLogin: "bad login", ClassExpired: "account expired",
	ClassBadParam: "bad parameter", ClassNotFound: "not found", ClassConcurrency: "concurrency limit",
	ClassRate: "rate limit", ClassServer: "server error", ClassHTML: "HTML body",
	ClassUnparseable: "unparseable body", ClassTransport: "transport", ClassConflict: "conflict",
	ClassRedirect: "redirect", ClassTooLarge: "response too large",
}

func (c Class) String() string { return classNames[c] }

// Sentinel errors for errors.Is: an [*APIError] matches the sentinel of its
// class.
var (
	ErrBadLogin       = errors.New("bad login or password")
	ErrExpired        = errors.New("account expired")
	ErrBadParam       = errors.New("bad parameter")
	ErrNotFound       = errors.New("not found")
	ErrConcurrency    = errors.New("concurrency limit reached")
	ErrRateLimit      = errors.New("rate limit reached")
	ErrServer         = errors.New("server error")
	ErrHTML           = errors.New("HTML body instead of XML")
	ErrUnparseable    = errors.New("unparseable response")
	ErrTransport      = errors.New("transport error")
	ErrConflict       = errors.New("conflict")
	ErrRedirect       = errors.New("unexpected redirect")
	ErrTooLarge       = errors.New("response too large")
	ErrIncompleteRead = errors.New("list read could not be completed")
)

var classSentinel = map[Class]error{
	ClassBadLogin: ErrBadLogin, ClassExpired: ErrExpired, ClassBadParam: ErrBadParam,
	ClassNotFound: ErrNotFound, ClassConcurrency: ErrConcurrency, ClassRate: ErrRateLimit,
	ClassServer: ErrServer, ClassHTML: ErrHTML, ClassUnparseable: ErrUnparseable,
	ClassTransport: ErrTransport, ClassConflict: ErrConflict, ClassRedirect: ErrRedirect,
	ClassTooLarge: ErrTooLarge,
}

// APIError is a failed call: the Qualys CODE and TEXT when the body had
// them, the HTTP status, and the class derived from both.
type APIError struct {
	Method, Path string
	Action       string
	HTTPStatus   int
	Code         int
	Text         string
	Class        Class
	// Items holds ITEM_LIST key/values (SECONDS_TO_WAIT for 1965).
	Items map[string]string
	// Err is the underlying transport or decode error, if any.
	Err error

	toWait time.Duration // from X-RateLimit-ToWait-Sec
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Method, e.Path)
	if e.Action != "" {
		fmt.Fprintf(&b, " action=%s", e.Action)
	}
	b.WriteString(": ")
	b.WriteString(e.Class.String())
	if e.Code != 0 {
		fmt.Fprintf(&b, " (CODE %d)", e.Code)
	}
	if e.Text != "" {
		fmt.Fprintf(&b, ": %s", e.Text)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " [HTTP %d]", e.HTTPStatus)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// serverWait is how long the API asked the caller to wait: the
// X-RateLimit-ToWait-Sec header first, else the SECONDS_TO_WAIT item of the
// body; 0 when it said nothing.
func (e *APIError) serverWait() time.Duration {
	if e.toWait > 0 {
		return e.toWait
	}
	if n, err := strconv.Atoi(strings.TrimSpace(e.Items["SECONDS_TO_WAIT"])); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 0
}

// Is matches the class sentinel.
func (e *APIError) Is(target error) bool { return classSentinel[e.Class] == target }

// Unwrap exposes the underlying error.
func (e *APIError) Unwrap() error { return e.Err }

// AmbiguousError reports a create or delete whose outcome is unknown: the
// request may have been applied before the failure. It is never retried;
// the caller must re-read to learn what happened.
type AmbiguousError struct {
	Method, Path, Action string
	Err                  error
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%s %s action=%s: outcome unknown, re-read before retrying: %v", e.Method, e.Path, e.Action, e.Err)
}

func (e *AmbiguousError) Unwrap() error { return e.Err }

// classifyCode maps a Qualys CODE to a class.
func classifyCode(code int, text string) Class {
	switch code {
	case 2000, 2002, 2003:
		return ClassBadLogin
	case 2001:
		return ClassExpired
	case 1901, 1903, 1904, 1905, 1907, 1908, 1922:
		lt := strings.ToLower(text)
		if code == 1905 && (strings.Contains(lt, "not found") || strings.Contains(lt, "does not exist") || strings.Contains(lt, "invalid id")) {
			return ClassNotFound
		}
		if strings.Contains(lt, "already exists") || strings.Contains(lt, "must be unique") || strings.Contains(lt, "duplicate") {
			return ClassConflict
		}
		return ClassBadParam
	case 1960:
		return ClassConcurrency
	case 1965:
		return ClassRate
	case 0:
		return ClassUnknown
	}
	if code >= 1900 && code < 2000 {
		return ClassBadParam
	}
	return ClassServer
}

// classifyStatus maps an HTTP status when the body said nothing.
func classifyStatus(status int) Class {
	switch {
	case status == 401 || status == 403:
		return ClassBadLogin
	case status == 404:
		return ClassNotFound
	case status == 409:
		return ClassConcurrency
	case status >= 300 && status < 400:
		return ClassRedirect
	case status >= 500:
		return ClassServer
	case status >= 400:
		return ClassBadParam
	}
	return ClassUnknown
}
