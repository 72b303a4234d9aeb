package crawler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/urls"
)

// Links longer than maxLinkLength are not resolved into the frontier (they
// could not be fetched anyway, and a URL of megabytes would be kept in the
// store, the log and the export). Each distinct one still gets a record of
// its own: a trap naming its length, under a bounded key made of its
// canonical form's scheme, host and first path bytes, and a query
// "scruple-too-long=N-HASH" giving its length and the first 16 hex digits
// of the SHA-256 of its canonical form. The key is never requested: run
// records it as a trap at once. (A site that links to such a key itself
// only gets that URL refused.)
//
// A page records at most maxOverlongPerPage such links and a host (of the
// linking pages, per process) maxOverlongPerHost; the page's record counts
// the rest in OverlongUnrecorded, so a page with 10,000 huge links costs a
// handful of records.
const (
	maxLinkLength      = 8 << 10
	maxOverlongPerPage = 16
	maxOverlongPerHost = 64
	// overlongPath bounds the path bytes kept in the key.
	overlongPath  = 200
	overlongParam = "scruple-too-long"
)

// overlongLink handles a link refused with urls.ErrTooLong on page t.
func (c *Crawler) overlongLink(t *task, base *url.URL, ref string) {
	// A canonicaliser large enough for this link (escaping can triple a
	// byte; the base adds its path).
	full, err := urls.Canonicalizer{MaxLength: 3*len(ref) + len(base.String()) + 64}.Resolve(base, ref)
	if err != nil {
		return // not a URL at all, too long or not: like any bad link
	}
	s := full.String()
	sum := sha256.Sum256([]byte(s))
	key, err := overlongKey(full, len(s), hex.EncodeToString(sum[:8]))
	if err != nil {
		return
	}
	ks := key.String()
	if t.seen[ks] || c.known.has(ks) {
		return // this page or another already queued it
	}
	if t.overlong >= maxOverlongPerPage || !c.traps.takeOverlong(t.item.Host) {
		if t.seen == nil {
			t.seen = map[string]bool{}
		}
		t.seen[ks] = true
		t.rec.OverlongUnrecorded++
		c.metrics.overlongUnrecorded.Inc()
		return
	}
	if _, personal := c.s.Decider.URL(s); personal {
		// Like any link whose URL carries an ID or phone number.
		c.traps.returnOverlong(t.item.Host)
		c.metrics.personalLinks.Inc()
		return
	}
	if !c.addLink(t, key, t.item.Depth+1, scruple.FromLink, false) {
		c.traps.returnOverlong(t.item.Host)
		return
	}
	t.overlong++
}

// overlongKey is the bounded URL an over-long link is recorded under.
func overlongKey(full *url.URL, n int, hash string) (*url.URL, error) {
	p := full.EscapedPath()
	if len(p) > overlongPath {
		p = p[:overlongPath]
		// Do not cut a percent-escape in two.
		if i := strings.LastIndexByte(p, '%'); i >= len(p)-2 {
			p = p[:i]
		}
	}
	return urls.Canonicalize(full.Scheme + "://" + full.Host + p + "?" + overlongParam + "=" + strconv.Itoa(n) + "-" + hash)
}

// overlongReason returns the trap reason for a key made by overlongKey, or
// "" for any other URL.
func overlongReason(u *url.URL) string {
	v, ok := strings.CutPrefix(u.RawQuery, overlongParam+"=")
	if !ok {
		return ""
	}
	ns, hash, ok := strings.Cut(v, "-")
	n, err := strconv.Atoi(ns)
	if !ok || err != nil || n <= maxLinkLength || len(hash) != 16 {
		return ""
	}
	return fmt.Sprintf("trap: URL length %d exceeds %d (not requested; recorded under its first %d path bytes and the start of its SHA-256)",
		n, maxLinkLength, overlongPath)
}

// takeOverlong reserves one over-long record for the linking host, or
// reports that the host has had maxOverlongPerHost.
func (s *trapState) takeOverlong(host string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.overlong == nil || len(s.overlong) >= maxTrapHosts {
		s.overlong = map[string]int{}
	}
	if s.overlong[host] >= maxOverlongPerHost {
		return false
	}
	s.overlong[host]++
	return true
}

// returnOverlong gives back a reservation that recorded nothing.
func (s *trapState) returnOverlong(host string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.overlong[host] > 0 {
		s.overlong[host]--
	}
}
