package serve

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// route is one endpoint: its method and ServeMux pattern, the least role
// that may call it, and whether it answers with HTML pages (redirect to
// sign-in) or JSON (401).
type route struct {
	method, path string
	role         Role
	page         bool
	// upload marks a route whose body is a bundle (MaxUpload, not MaxBody).
	upload bool
	h      http.HandlerFunc
}

// principal is who made a request.
type principal struct {
	token TokenInfo
	// session is nil for a bearer token.
	session *session
}

type principalKey struct{}

func who(r *http.Request) *principal {
	p, _ := r.Context().Value(principalKey{}).(*principal)
	return p
}

// label names the caller for logs and provenance: the token's label.
func label(r *http.Request) string {
	if p := who(r); p != nil {
		return p.token.Label
	}
	return ""
}

// csp allows scripts, styles and images from the server only: no inline
// script, so an injected tag cannot run.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func setSecurityHeaders(w http.ResponseWriter, secure bool) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// same-origin, not no-referrer: with no-referrer a browser sends
	// "Origin: null" on its own form posts, which sameOrigin must refuse.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// statusWriter records the status for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// guard wraps a route with everything a request passes before its handler:
// security headers, the body limit, authentication, the role check and,
// for a state change made with a session cookie, the CSRF check.
func (s *Server) guard(rt route) http.Handler {
	pattern := rt.method + " " + rt.path
	return http.HandlerFunc(func(w0 http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: w0}
		setSecurityHeaders(w, s.cfg.Secure)
		defer func() {
			s.metrics.observe(pattern, w.status, time.Since(start))
			s.log.Info("request", "route", pattern, "status", w.status, "token", label(r))
		}()
		limit := s.cfg.MaxBody
		if rt.upload {
			limit = s.cfg.MaxUpload
		}
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, "", "body_too_large",
				fmt.Sprintf("request body over the limit of %d bytes", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)

		p, status, msg := s.authenticate(r)
		if status != 0 {
			s.deny(w, r, rt, status, msg)
			return
		}
		if rt.role > RoleNone {
			if p == nil {
				msg := "sign in or send a bearer token"
				if _, err := r.Cookie(sessionCookie); err == nil {
					// Sessions are in memory: a restart or 12 hours end them.
					msg = "your session has ended (the server restarted, or 12 hours passed): sign in again and resend the form; nothing was changed"
				}
				s.deny(w, r, rt, http.StatusUnauthorized, msg)
				return
			}
			if p.token.Role < rt.role {
				s.deny(w, r, rt, http.StatusForbidden, fmt.Sprintf("this needs the %s role; the token is %s", rt.role, p.token.Role))
				return
			}
		}
		if p != nil && p.session != nil && !safeMethod(r.Method) {
			if !sameOrigin(r) || !p.session.validCSRF(csrfFrom(r)) {
				s.deny(w, r, rt, http.StatusForbidden, "missing or wrong CSRF token: reload the page and try again")
				return
			}
		}
		if p != nil {
			r = r.WithContext(context.WithValue(r.Context(), principalKey{}, p))
		}
		rt.h(w, r)
	})
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// authenticate finds the principal: a bearer token, else a session cookie.
// A bad bearer token is a 401 (and counts as a failure), or a 429 once its
// address has failed too often; no credentials at all is not an error here
// (the route may be open).
//
// The token is checked before the limiter: a valid token is never refused
// for its address's failures, or anyone sharing the address (a proxy, a
// NAT) could block a CRM's withdrawals (PIPL Art. 15, 47) by sending ten
// bad tokens. Tokens hold 256 random bits, so the limit is not what stops
// guessing; it keeps failures cheap and quiet.
func (s *Server) authenticate(r *http.Request) (*principal, int, string) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return s.authFailed(r, "Authorization must be a Bearer token")
		}
		info, ok := s.cfg.Tokens.Authenticate(strings.TrimSpace(tok))
		if !ok {
			return s.authFailed(r, "unknown or revoked token")
		}
		return &principal{token: info}, 0, ""
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, 0, ""
	}
	ss, ok := s.sessions.get(c.Value)
	if !ok {
		return nil, 0, ""
	}
	info, ok := s.cfg.Tokens.lookup(ss.tokenID)
	if !ok { // revoked since sign-in
		s.sessions.drop(c.Value)
		return nil, 0, ""
	}
	return &principal{token: info, session: ss}, 0, ""
}

// authFailed counts a failed authentication from r's address and answers
// 401 with msg, or 429 once the address is over the limit (that failure is
// not counted again).
func (s *Server) authFailed(r *http.Request, msg string) (*principal, int, string) {
	key := clientKey(r)
	s.metrics.authFailures.Inc()
	if blocked, wait := s.limiter.blocked(key); blocked {
		return nil, http.StatusTooManyRequests, retryMsg(wait)
	}
	s.limiter.fail(key)
	return nil, http.StatusUnauthorized, msg
}

func retryMsg(wait time.Duration) string {
	return fmt.Sprintf("too many failed sign-ins from this address; retry in %d s", int(math.Ceil(wait.Seconds())))
}

// deny answers an unauthenticated, forbidden or rate-limited request: JSON
// for the API, the sign-in page for a console page.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, rt route, status int, msg string) {
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(int(failureWindow.Seconds())))
	}
	if rt.page && status == http.StatusUnauthorized && safeMethod(r.Method) {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="scruple"`)
	}
	rule := map[int]string{401: "unauthenticated", 403: "forbidden", 429: "rate_limited"}[status]
	if rt.page {
		s.console.errorPage(w, r, status, msg)
		return
	}
	writeError(w, status, "", rule, msg)
}

// csrfFrom reads the CSRF token from the X-CSRF-Token header (scripts), the
// csrf query parameter (multipart uploads, whose body is not parsed before
// the check) or the csrf form field.
func csrfFrom(r *http.Request) string {
	if v := r.Header.Get("X-CSRF-Token"); v != "" {
		return v
	}
	if v := r.URL.Query().Get("csrf"); v != "" {
		return v
	}
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		if err := r.ParseForm(); err != nil {
			return ""
		}
		return r.PostForm.Get("csrf")
	}
	return ""
}

// sameOrigin accepts a state change only when its Origin names this
// server: a second line behind SameSite=Strict and the CSRF token (and the
// only one at sign-in, before there is a session). Browsers send Origin
// with every POST, same-origin ones included, so a request without it did
// not come from the console's forms or script; it is refused, as is
// "null" (a sandboxed or privacy-redirected context).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return false
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

var errBodyTooLarge = errors.New("body too large")
