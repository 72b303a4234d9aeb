package crawler

import (
	"fmt"
	"sync"
	"time"
)

// hostHealth tracks the hosts that answer only "slow down" (429, 503), so
// that such a host costs a bounded number of requests: after more than
// MaxRetries+1 such answers in a row (any of its URLs) with no other answer
// between them, or at once when it asks for a wait longer than
// MaxRetryWait, the host is given up for this run and its URLs are
// recorded as deferred without a request (one more answer than a URL's own
// retries, so that a burst of 429s answering several URLs does not end a
// host that then recovers). A later run of the same crawl
// retries them. In distributed mode each worker counts its own answers.
type hostHealth struct {
	mu     sync.Mutex
	streak map[string]int
	gaveUp map[string]string
}

func newHostHealth() *hostHealth {
	return &hostHealth{streak: map[string]int{}, gaveUp: map[string]string{}}
}

// givenUp returns the reason host was given up, or "".
func (h *hostHealth) givenUp(host string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gaveUp[host]
}

// ok records an answer other than 429/503: the streak ends.
func (h *hostHealth) ok(host string) {
	h.mu.Lock()
	delete(h.streak, host)
	h.mu.Unlock()
}

// slowDown records a 429/503 answer asking for retryAfter; it returns the
// reason when the host is now given up.
func (h *hostHealth) slowDown(host string, status int, retryAfter, maxWait time.Duration, maxRetries int) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.gaveUp[host]; r != "" {
		return r
	}
	h.streak[host]++
	n := h.streak[host]
	var reason string
	switch {
	case retryAfter > maxWait:
		reason = fmt.Sprintf("http %d with Retry-After %v, more than the crawl waits (%v): host deferred; "+
			"run the same crawl again to retry", status, retryAfter, maxWait)
	case n > maxRetries+1:
		reason = fmt.Sprintf("http %d: the host answered 429/503 %d times in a row: host deferred; "+
			"run the same crawl again to retry", status, n)
	default:
		return ""
	}
	if len(h.gaveUp) > 100_000 {
		clear(h.gaveUp)
	}
	h.gaveUp[host] = reason
	delete(h.streak, host)
	return reason
}
