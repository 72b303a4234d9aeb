package serve

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"sync"
	"time"
)

// Session bounds. A console session is a working day; the table is bounded
// so that a flood of sign-ins cannot exhaust memory.
const (
	sessionTTL     = 12 * time.Hour
	maxSessions    = 10000
	sessionCookie  = "scruple_session"
	failureWindow  = 15 * time.Minute
	maxFailures    = 10
	maxFailureKeys = 100000
)

// session is a signed-in console. It holds the token's id, not its role:
// the role is read from the token file at every request, so revoking a
// token ends its sessions at once.
type session struct {
	tokenID string
	csrf    string
	expires time.Time
}

// sessions maps the SHA-256 of a session cookie to its session, so the
// table itself holds nothing a client could present. It is in memory by
// design (see the package documentation: a restart signs consoles out;
// API clients, on bearer tokens, are unaffected).
type sessions struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*session
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{now: now, m: map[string]*session{}}
}

func randomString(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func cookieKey(v string) string {
	h := sha256.Sum256([]byte(v))
	return hex.EncodeToString(h[:])
}

// create opens a session for tokenID and returns the cookie value.
func (ss *sessions) create(tokenID string) (string, *session) {
	v := randomString(32)
	now := ss.now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.m) >= maxSessions {
		for k, s := range ss.m {
			if now.After(s.expires) {
				delete(ss.m, k)
			}
		}
		if len(ss.m) >= maxSessions { // still full: drop one at random
			for k := range ss.m {
				delete(ss.m, k)
				break
			}
		}
	}
	s := &session{tokenID: tokenID, csrf: randomString(32), expires: now.Add(sessionTTL)}
	ss.m[cookieKey(v)] = s
	return v, s
}

func (ss *sessions) get(v string) (*session, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[cookieKey(v)]
	if !ok {
		return nil, false
	}
	if ss.now().After(s.expires) {
		delete(ss.m, cookieKey(v))
		return nil, false
	}
	return s, true
}

func (ss *sessions) drop(v string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, cookieKey(v))
}

// validCSRF compares a submitted CSRF token with the session's in constant
// time.
func (s *session) validCSRF(got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}

// limiter counts failed authentications per client address in a window;
// past maxFailures the address is refused until the window moves on, so a
// token cannot be guessed online (it could not anyway: 256 bits) and a
// flood of bad sign-ins costs little.
type limiter struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string][]time.Time
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, m: map[string][]time.Time{}}
}

func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (l *limiter) recent(key string, now time.Time) []time.Time {
	ts := l.m[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > failureWindow {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.m, key)
	} else {
		l.m[key] = ts
	}
	return ts
}

// blocked reports whether key has failed too often, and until when.
func (l *limiter) blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ts := l.recent(key, now)
	if len(ts) < maxFailures {
		return false, 0
	}
	return true, failureWindow - now.Sub(ts[0])
}

func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.m) >= maxFailureKeys {
		for k := range l.m {
			l.recent(k, now)
		}
	}
	ts := l.recent(key, now)
	if len(ts) < maxFailures*2 {
		l.m[key] = append(ts, now)
	}
}
