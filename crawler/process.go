package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/access"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/robots"
	"github.com/scruple/scruple/urls"
)

// task carries one URL through the pipeline inside a worker.
type task struct {
	item scruple.URLItem
	u    *url.URL
	rec  *scruple.Record
	fb   feedback
	// links discovered, already canonical and in scope.
	links []scruple.URLItem
	seen  map[string]bool
	// relinks are links to URLs already known (for chainLinks).
	relinks []*url.URL
	// noAttempt marks a retry that does not count against the URL's budget.
	noAttempt bool
	// resp is the response the record was made from (for the archive).
	resp *fetch.Response
	// overlong counts the over-long links this page recorded (overlong.go).
	overlong int
	// want is the job's hostWant.
	want int
}

// process runs one URL through robots → fetch → extract → decide and sends
// its outcome to the writer. It returns the host feedback for the scheduler.
// A URL whose work was cancelled (hard stop) produces no outcome: it stays
// leased and returns to the queue on the next start.
func (c *Crawler) process(ctx context.Context, j job, out *backlog) feedback {
	t := &task{item: j.item, want: j.hostWant, fb: feedback{host: j.item.Host, prevNext: j.prevNext, setNext: j.setNext}}
	t.rec = &scruple.Record{
		URL: t.item.URL, FinalURL: t.item.URL, Depth: t.item.Depth, From: t.item.From,
		Source: t.item.Source, FetchedAt: c.s.Now().UTC(),
	}
	retry, ok := c.run(ctx, t, j.spacing)
	if !ok || t.fb.deferred {
		if t.fb.deferred {
			t.fb.item = j.item
		}
		return t.fb
	}
	o := scruple.Outcome{Item: t.item, Links: t.links}
	if retry > 0 {
		o.Retry = true
		if !t.noAttempt {
			o.Item.Attempts++
		}
		o.Item.NotBefore = c.s.Now().Add(retry)
	} else {
		t.rec.Links = len(t.links)
		c.chainLinks(t)
		o.Record = t.rec
		sent := t.resp != nil && t.resp.CredentialsSent
		var wref *provenance.WARCRef
		if c.s.Archive != nil {
			wref = c.archive(t) // the entry names the WARC record
		}
		c.prepare(&o, sent, wref)
	}
	out.send(o)
	t.fb.recorded = true
	return t.fb
}

// run fills t.rec; it returns a positive retry delay to requeue the URL, and
// ok=false when the work was cancelled and nothing may be recorded.
//
// Until the coordinator lets the request go (acquire), a URL may still be
// handed back to its host's queue untouched (another worker holds the
// host); so the per-host budget, the sitemap mark and the URL's links are
// applied only after that point, or on a path that ends the URL for good.
func (c *Crawler) run(ctx context.Context, t *task, spacing time.Duration) (retry time.Duration, ok bool) {
	u, err := url.Parse(t.item.URL)
	if err != nil {
		c.refuse(t, scruple.KindBlocked, "unparseable URL")
		return 0, true
	}
	t.u = u
	if u.User != nil {
		c.refuse(t, scruple.KindBlocked, fetch.ErrCredentials.Error())
		return 0, true
	}
	if reason := overlongReason(u); reason != "" {
		c.refuse(t, scruple.KindTrap, reason)
		return 0, true
	}
	if reason := c.s.traps.Check(u); reason != "" {
		c.refuse(t, scruple.KindTrap, reason)
		return 0, true
	}
	if reason := c.trapURL(u, &t.item); reason != "" {
		c.refuse(t, scruple.KindTrap, reason)
		return 0, true
	}
	if reason := c.health.givenUp(t.item.Host); reason != "" {
		c.refuse(t, scruple.KindDeferred, reason)
		return 0, true
	}

	// robots.txt, fetched once per origin and cached (in distributed mode,
	// once for the whole crawl).
	origin := urls.Origin(u)
	rr, fresh := c.coord.robots(ctx, origin, t.item.Host, spacing)
	if ctx.Err() != nil {
		return 0, false
	}
	if fresh {
		c.metrics.robots.WithLabelValues(robotsClass(rr)).Inc()
		t.fb.sentAt = rr.FetchedAt
		c.logRobots(ctx, rr)
	}
	if rr.Robots != nil {
		if cd := rr.Robots.CrawlDelay(c.s.token); cd > 0 {
			t.fb.crawlDelay = cd
			if cd > spacing {
				spacing = cd
			}
		}
	}
	if b, blocked := fetch.IsBlocked(rr.Err); blocked {
		// The SSRF guard refused the host's address: no retry changes that.
		c.refuse(t, scruple.KindBlocked, "ssrf guard: "+b.Reason)
		return 0, true
	}
	if unavailable(rr) {
		// RFC 9309 §2.3.1.4: an unreachable robots.txt means disallow all,
		// and the crawler tries again later: RobotsRetries more times, with
		// a doubling wait (the host waits, not the crawl). The bound counts
		// the origin's failed fetches, not time nor the URL's own retries:
		// a URL that waited for robots.txt still has all its retries for
		// its own 429s and network errors. Then the host is given up for
		// this run: its URLs are recorded as deferred, never fetched.
		fails := c.robotsDown(origin, rr.FetchedAt)
		if fails <= c.s.RobotsRetries {
			wait := c.s.RobotsBackoff << min(fails-1, 16)
			t.fb.hostWait = wait
			t.noAttempt = true
			return wait, true
		}
		t.rec.Robots = &scruple.RobotsVerdict{URL: rr.URL, Allowed: false, Rule: rr.Reason, Digest: rr.Digest}
		c.refuse(t, scruple.KindDeferred, fmt.Sprintf("%s after %d attempts: RFC 9309 disallow all, nothing of the host fetched; "+
			"run the same crawl again to retry", rr.Reason, fails))
		return 0, true
	}
	c.robotsUp(origin)
	v := rr.Robots.Test(c.s.UserAgent, pathQuery(u))
	t.rec.Robots = &scruple.RobotsVerdict{URL: rr.URL, Allowed: v.Allowed, Rule: v.Rule, Digest: rr.Digest}
	if !v.Allowed {
		c.markSitemaps(t, origin, rr)
		c.refuse(t, scruple.KindDisallowed, "robots.txt: "+v.Rule)
		return 0, true
	}

	release, wait, err := c.coord.acquire(ctx, t.item.Host, spacing, fresh, t.want)
	if ctx.Err() != nil || err != nil {
		if release != nil {
			// A slot granted as the crawl stopped goes back, not held
			// in the store until its lease expires.
			release(sendResult{})
		}
		return 0, false
	}
	if release == nil {
		// Another worker holds the host: back to the host's queue, nothing
		// counted or marked.
		t.fb.deferred, t.fb.hostWait = true, wait
		return 0, true
	}
	// From here on the URL is not handed back: budgets and marks apply.
	if reason, err := c.hostBudget(ctx, t.item.Host); err != nil {
		release(sendResult{})
		return 0, false
	} else if reason != "" {
		release(sendResult{})
		c.refuse(t, scruple.KindTrap, reason)
		return 0, true
	}
	c.markSitemaps(t, origin, rr)
	t.fb.sentAt = time.Now()
	resp, err := c.client.Get(ctx, u)
	res := sendResult{sent: true, spacing: spacing, crawlDelay: t.fb.crawlDelay}
	if resp != nil {
		st := resp.Status
		res.slowDown = st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable
		res.ok = err == nil && st >= 200 && st < 400
		if res.slowDown {
			res.retryAfter = min(retryAfter(resp.Header.Get("Retry-After"), c.s.Now()), c.s.MaxRetryWait)
		}
	}
	release(res)
	return c.fetched(ctx, t, resp, err)
}

// markSitemaps queues the origin's sitemaps with this URL's outcome, the
// first time this process sees the origin.
func (c *Crawler) markSitemaps(t *task, origin string, rr *robots.Result) {
	if !c.s.NoSitemaps && !t.item.Sitemap {
		c.queueSitemaps(t, origin, rr)
	}
}

// fetched turns a response (or a fetch error) into the task's record.
func (c *Crawler) fetched(ctx context.Context, t *task, resp *fetch.Response, err error) (time.Duration, bool) {
	t.resp = resp
	if resp != nil {
		t.rec.Status = resp.Status
		t.rec.FetchedAt = resp.FetchedAt.UTC()
		t.rec.ContentType = resp.ContentType
	}
	c.metrics.requests.WithLabelValues(statusClass(resp, err)).Inc()
	if err != nil {
		return c.fetchFailed(ctx, t, resp, err)
	}
	return c.handleResponse(t, resp), true
}

func (c *Crawler) fetchFailed(ctx context.Context, t *task, resp *fetch.Response, err error) (time.Duration, bool) {
	if ctx.Err() != nil {
		return 0, false
	}
	if b, blocked := fetch.IsBlocked(err); blocked {
		c.refuse(t, scruple.KindBlocked, "ssrf guard: "+b.Reason)
		c.s.Logger.Warn("refused address", "url", shortURL(t.item.URL), "reason", b.Reason)
		return 0, true
	}
	switch {
	case errors.Is(err, fetch.ErrTooLarge), errors.Is(err, fetch.ErrHeaderTooLarge), errors.Is(err, fetch.ErrEncoding):
		// The response, not the network: a retry would fail the same way.
		c.refuse(t, scruple.KindError, err.Error())
		return 0, true
	case errors.Is(err, fetch.ErrCredentials):
		c.refuse(t, scruple.KindBlocked, err.Error())
		return 0, true
	}
	// Network errors, timeouts, resets: transient, retried with backoff.
	if t.item.Attempts < c.s.MaxRetries {
		return backoff(t.item.Attempts), true
	}
	c.refuse(t, scruple.KindError, fmt.Sprintf("fetch failed after %d attempts: %v", t.item.Attempts+1, err))
	return 0, true
}

// handleResponse turns a response into a record and links; it returns a retry
// delay for responses that ask the crawler to come back.
func (c *Crawler) handleResponse(t *task, resp *fetch.Response) time.Duration {
	st := resp.Status
	if st != http.StatusTooManyRequests && st != http.StatusServiceUnavailable {
		c.health.ok(t.item.Host)
	}
	switch {
	case st >= 300 && st < 400:
		c.redirect(t, resp)
		return 0
	case st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable:
		// The whole host backs off (the scheduler's host clock; in
		// distributed mode the host's shared row, for every worker).
		t.fb.backoff = true
		ra := retryAfter(resp.Header.Get("Retry-After"), c.s.Now())
		t.fb.retryAfter = min(ra, c.s.MaxRetryWait)
		if reason := c.health.slowDown(t.item.Host, st, ra, c.s.MaxRetryWait, c.s.MaxRetries); reason != "" {
			c.refuse(t, scruple.KindDeferred, reason)
			return 0
		}
		if t.item.Attempts < c.s.MaxRetries {
			return max(backoff(t.item.Attempts), t.fb.retryAfter)
		}
		c.refuse(t, scruple.KindDeferred, fmt.Sprintf("http %d after %d attempts: the host asks to slow down; "+
			"run the same crawl again to retry", st, t.item.Attempts+1))
		return 0
	case st >= 500 && access.StatusReason(st) == "":
		if t.item.Attempts < c.s.MaxRetries {
			return backoff(t.item.Attempts)
		}
		c.refuse(t, scruple.KindError, fmt.Sprintf("http %d after %d attempts", st, t.item.Attempts+1))
		return 0
	case t.item.Sitemap && (st < 200 || st >= 300):
		// A missing /sitemap.xml is normal, not an error of the crawl.
		t.rec.Kind = scruple.KindSitemap
		t.rec.Reason = fmt.Sprintf("no sitemap (http %d)", st)
		c.sitemapRead(t, false, 0, nil)
		return 0
	case access.StatusReason(st) != "":
		// One list of access refusals for the crawler and the classifier
		// (402 and 511 were recorded as errors, 511 even retried).
		c.nonPublic(t, access.StatusReason(st))
		return 0
	case st >= 400 || st < 200:
		c.refuse(t, scruple.KindError, fmt.Sprintf("http %d", st))
		return 0
	}
	t.fb.ok = true
	if t.item.Sitemap {
		c.sitemap(t, resp)
		return 0
	}
	c.content(t, resp)
	return 0
}

// refuse records a non-page outcome with a reason. The page's links are
// dropped, but not the origin's sitemaps (markSitemaps queues them once per
// origin, with this URL's outcome): a refused first URL must not cost the
// host its sitemaps.
func (c *Crawler) refuse(t *task, kind scruple.Kind, reason string) {
	t.rec.Kind = kind
	t.rec.Reason = reason
	t.rec.Text, t.rec.Title = "", ""
	kept := t.links[:0]
	for _, l := range t.links {
		if l.Sitemap && l.Source == scruple.FromSitemap && l.Depth == 0 && !t.item.Sitemap {
			kept = append(kept, l)
		}
	}
	t.links = kept
}

// nonPublic records a response that is not public; its body and links are
// dropped here, before anything is stored.
func (c *Crawler) nonPublic(t *task, reason string) {
	c.refuse(t, scruple.KindNonPublic, reason)
	t.rec.Digest, t.rec.Size, t.rec.Charset, t.rec.Lang, t.rec.Canonical = "", 0, "", "", ""
	c.s.Logger.Debug("nonpublic", "url", shortURL(t.item.URL), "reason", reason)
}

func (c *Crawler) redirect(t *task, resp *fetch.Response) {
	if resp.Location == "" {
		c.refuse(t, scruple.KindError, fmt.Sprintf("http %d without Location", resp.Status))
		return
	}
	target, err := urls.Resolve(t.u, resp.Location)
	if err != nil {
		// The Location is whatever the server wrote (user:password@, a
		// token, an ID number): quoted masked, with the sentinel reason
		// only, since urls.Error names the raw path.
		why := err
		var ue *urls.Error
		if errors.As(err, &ue) {
			why = ue.Err
		}
		c.refuse(t, scruple.KindRedirect, fmt.Sprintf("redirect target %s refused: %v", c.s.safeURL(resp.Location), why))
		return
	}
	t.rec.Kind = scruple.KindRedirect
	if masked := urls.Mask(target.String()); masked != target.String() {
		// The one rule for URLs that carry secrets: well-known session
		// parameters are dropped by canonicalization (urls.Resolve, as for
		// links); whatever else urls.Mask would change (a token, a session
		// value, a key) is never requested nor stored: the redirect is
		// recorded with the masked target and not followed.
		t.rec.Location = c.s.safeURL(masked)
		t.rec.Reason = "redirect target carries a token or session value: not followed"
		return
	}
	loc, personal := c.s.Decider.URL(target.String())
	t.rec.Location = loc
	if personal {
		t.rec.Reason = "redirect target carries personal information: not followed"
		return
	}
	if t.item.Hops+1 > c.s.maxHops {
		t.rec.Reason = fmt.Sprintf("too many redirects (more than %d)", c.s.maxHops)
		return
	}
	if ok, why := c.s.scope.Allows(target, t.item.Depth); !ok {
		t.rec.Reason = "redirect target " + why
		return
	}
	it := scruple.URLItem{URL: target.String(), Host: urls.HostKey(target), Depth: t.item.Depth,
		From: t.item.URL, Source: scruple.FromRedirect, Hops: t.item.Hops + 1, Sitemap: t.item.Sitemap}
	t.links = append(t.links, it)
}

// addLink queues a discovered URL if it is in scope and not a trap.
func (c *Crawler) addLink(t *task, u *url.URL, depth int, src scruple.Source, sitemap bool) bool {
	s := u.String()
	if t.seen == nil {
		t.seen = map[string]bool{}
	}
	if t.seen[s] || s == t.item.URL {
		return false
	}
	t.seen[s] = true
	if c.known.has(s) {
		// Already offered to the frontier (and found in scope and free of
		// personal data then): the store would ignore it.
		t.relinks = append(t.relinks, u)
		return false
	}
	if ok, _ := c.s.scope.Allows(u, depth); !ok {
		return false
	}
	if _, personal := c.s.Decider.URL(s); personal {
		// A URL that carries an ID number or a phone number is personal
		// data itself: it is neither followed nor stored.
		c.metrics.personalLinks.Inc()
		return false
	}
	// Trap URLs are queued too: processing records them as blocked with the
	// bound that stopped them, without a request.
	t.links = append(t.links, scruple.URLItem{URL: s, Host: urls.HostKey(u), Depth: depth,
		From: t.item.URL, Source: src, Sitemap: sitemap})
	c.known.add(s)
	return true
}

// queueSitemaps adds an origin's sitemaps (robots.txt Sitemap: lines and the
// conventional /sitemap.xml) the first time this process sees the origin.
func (c *Crawler) queueSitemaps(t *task, origin string, rr *robots.Result) bool {
	c.sitemapsMu.Lock()
	done := c.sitemapsQueued[origin]
	c.sitemapsQueued[origin] = true
	c.sitemapsMu.Unlock()
	if done {
		return false
	}
	cands := append([]string{}, rr.Robots.Sitemaps()...)
	cands = append(cands, origin+"/sitemap.xml")
	for _, raw := range cands {
		u, err := urls.Canonicalize(raw)
		if err != nil {
			continue
		}
		// Sitemap documents are not pages: depth 0, so --max-depth counts
		// from the pages they list.
		c.addLink(t, u, 0, scruple.FromSitemap, true)
	}
	return true
}

func pathQuery(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func unavailable(rr *robots.Result) bool {
	return rr.Robots == nil || rr.Unreachable
}

func robotsClass(rr *robots.Result) string {
	switch {
	case rr.Err != nil:
		return "error"
	case rr.Status >= 500:
		return "5xx"
	case rr.Status >= 400:
		return "4xx"
	case rr.Status >= 200 && rr.Status < 300:
		return "2xx"
	}
	return "other"
}

// backoff is the delay before retry n+1 of one URL: 1s, 2s, 4s ... capped at 5m.
func backoff(attempts int) time.Duration {
	if attempts > 8 {
		attempts = 8
	}
	d := time.Second << attempts
	if d > 5*time.Minute {
		d = 5 * time.Minute
	}
	return d
}

// retryAfter parses a Retry-After header (seconds or an HTTP date), capped at
// one hour so a hostile value cannot park a host forever.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.Atoi(v); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		return 0
	}
	if d > time.Hour {
		d = time.Hour
	}
	return d
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func statusClass(resp *fetch.Response, err error) string {
	if resp == nil {
		if _, ok := fetch.IsBlocked(err); ok {
			return "blocked"
		}
		return "error"
	}
	return strconv.Itoa(resp.Status/100) + "xx"
}

// robotsDown counts the distinct failed robots.txt fetches of an origin
// (results cached by the robots cache are counted once, by their fetch time)
// and returns the count.
func (c *Crawler) robotsDown(origin string, fetchedAt time.Time) int {
	c.robotsMu.Lock()
	defer c.robotsMu.Unlock()
	f := c.robotsFails[origin]
	if !f.last.Equal(fetchedAt) {
		f.last = fetchedAt
		f.n++
		c.robotsFails[origin] = f
	}
	return f.n
}

// robotsUp forgets an origin's failures once its robots.txt is available.
func (c *Crawler) robotsUp(origin string) {
	c.robotsMu.Lock()
	delete(c.robotsFails, origin)
	c.robotsMu.Unlock()
}
