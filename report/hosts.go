package report

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// request is one request to a host as the log shows it: a response's fetch
// time, or a robots.txt fetch's start.
type request struct {
	at  int64 // Unix nanoseconds
	idx int64 // log index
}

// robotsDelay is a Crawl-delay in force from a robots.txt fetch on.
type robotsDelay struct {
	at int64
	cd time.Duration
}

// hostAgg accumulates one host.
type hostAgg struct {
	name          string
	entries       int64
	pages         int64
	kinds         map[string]int64
	digests       []string
	requests      []request
	robots        []RobotsFetch
	robotsFetches int
	delays        []robotsDelay // Crawl-delay changes, in log order
	crawlDelay    time.Duration // largest seen

	disallowed, nonpublic, traps, blocked, deferredWhy counter
	deferred                                           int64
}

// counter counts labels, keeping at most a bounded number of distinct ones;
// the rest are summed under other.
type counter struct {
	m     map[string]*Count
	order []string
	other int64
}

func (a *aggregator) host(name string) *hostAgg {
	h := a.hosts[name]
	if h == nil {
		h = &hostAgg{name: name, kinds: map[string]int64{}}
		a.hosts[name] = h
	}
	return h
}

func (h *hostAgg) robotsDigest(d string) {
	for _, x := range h.digests {
		if x == d {
			return
		}
	}
	if len(h.digests) < 8 {
		h.digests = append(h.digests, d)
	}
}

// count adds one to label; the first entry of each label is its evidence
// (it reports whether label is new, so the caller cites that entry).
func (h *hostAgg) count(c *counter, label string, idx int64, limit int) bool {
	if c.m == nil {
		c.m = map[string]*Count{}
	}
	if x := c.m[label]; x != nil {
		x.N++
		return false
	}
	if len(c.m) >= limit {
		c.other++
		return false
	}
	c.m[label] = &Count{Label: label, N: 1, Ref: fmt.Sprintf("e%d", idx)}
	c.order = append(c.order, label)
	return true
}

// list returns the counts, largest first, with "other" last.
func (c *counter) list(other string) []Count {
	out := make([]Count, 0, len(c.order)+1)
	for _, l := range c.order {
		out = append(out, *c.m[l])
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].N > out[j].N })
	if c.other > 0 {
		out = append(out, Count{Label: other, N: c.other})
	}
	return out
}

// hostOf returns the host[:port] of an absolute URL, lower-cased, without
// user info; "" when there is none. It does not parse the URL fully: the
// log's URLs are canonical.
func hostOf(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	rest := u[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if j := strings.LastIndexByte(rest, '@'); j >= 0 {
		rest = rest[j+1:]
	}
	return strings.ToLower(truncate(rest, 260)) // a DNS name is at most 253 bytes, a port 6
}

// isTrap tells, in bundles written before the trap kind, a spider-trap
// refusal (the trap guard, the per-host budget) from other blocked URLs.
func isTrap(reason string) bool {
	return strings.HasPrefix(reason, "trap:") || strings.Contains(reason, "per-host budget")
}

// nonPublicClass sorts a nonpublic refusal's reason into the classes the
// report counts: login, paywall, challenge, or the HTTP status.
func nonPublicClass(reason string) string {
	r := strings.ToLower(reason)
	switch {
	case strings.HasPrefix(r, "http "):
		if f := strings.Fields(r); len(f) > 1 {
			return "http " + f[1]
		}
		return "http"
	case strings.Contains(r, "login") || strings.Contains(r, "password") || strings.Contains(r, "sign in") ||
		strings.Contains(r, "登录"):
		return "login"
	case strings.Contains(r, "paywall") || strings.Contains(r, "subscri") || strings.Contains(r, "metered") ||
		strings.Contains(r, "付费") || strings.Contains(r, "订阅"):
		return "paywall"
	case strings.Contains(r, "captcha") || strings.Contains(r, "challenge") || strings.Contains(r, "验证"):
		return "challenge"
	}
	return "other"
}

// politeness computes a host's observed request timing against what the
// runs configured.
func (a *aggregator) politeness(h *hostAgg) Politeness {
	p := Politeness{Requests: int64(len(h.requests)), SmallestGap: -1, GapFrom: -1, GapTo: -1}
	if len(h.requests) == 0 {
		p.Status = PoliteNone
		return p
	}
	rs := h.requests
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].at != rs[j].at {
			return rs[i].at < rs[j].at
		}
		return rs[i].idx < rs[j].idx
	})
	cfg := a.runConfig()
	p.Known = cfg.known
	p.Delay, p.PerHost = cfg.delay, cfg.perHost
	p.CrawlDelay = h.crawlDelay
	if cfg.maxCrawlDelay > 0 && p.CrawlDelay > cfg.maxCrawlDelay {
		p.CrawlDelay = cfg.maxCrawlDelay
	}
	p.Spacing = max(p.Delay, p.CrawlDelay)
	tol := time.Duration(2 * time.Millisecond)
	if cfg.distributed {
		// Workers stamp fetch times with their own clocks, while the
		// database's clock spaces the requests.
		tol = 250 * time.Millisecond
	}
	sort.SliceStable(h.delays, func(i, j int) bool { return h.delays[i].at < h.delays[j].at })
	di := 0
	var cd time.Duration
	for i := 1; i < len(rs); i++ {
		gap := time.Duration(rs[i].at - rs[i-1].at)
		if p.SmallestGap < 0 || gap < p.SmallestGap {
			p.SmallestGap, p.GapFrom, p.GapTo = gap, rs[i-1].idx, rs[i].idx
		}
		for di < len(h.delays) && h.delays[di].at <= rs[i-1].at {
			cd = h.delays[di].cd
			di++
		}
		if cfg.maxCrawlDelay > 0 && cd > cfg.maxCrawlDelay {
			cd = cfg.maxCrawlDelay
		}
		need := max(p.Delay, cd)
		if p.Known && p.PerHost <= 1 && need > 0 && gap+tol < need {
			p.TooFast++
			if p.TooFast <= int64(a.lim.Examples) {
				a.anomaly("too-fast", rs[i].idx)
				a.cite(rs[i-1].idx)
			} else {
				a.anomaly("too-fast", -1)
			}
		}
	}
	// Busiest minute: the most requests in any window of 60 seconds.
	j, busiestIdx := 0, int64(-1)
	for i := range rs {
		for rs[i].at-rs[j].at >= int64(time.Minute) {
			j++
		}
		if n := i - j + 1; n > p.BusiestMinute {
			p.BusiestMinute, p.BusiestAt, busiestIdx = n, time.Unix(0, rs[j].at).UTC(), rs[j].idx
		}
	}
	switch {
	case !p.Known:
		p.Status = PoliteUnknown
	case p.Spacing <= 0:
		p.Status = PoliteOK
	default:
		// Requests are sent at least a spacing apart; with PerHost in
		// flight, responses may bunch by up to PerHost. The smallest spacing
		// ever in force bounds the count (a Crawl-delay may have changed when
		// robots.txt was fetched again).
		p.Status = PoliteOK
		if p.TooFast > 0 {
			p.Status = PoliteFast
		}
		ls := p.Spacing
		for _, d := range h.delays {
			ls = min(ls, max(p.Delay, min(d.cd, p.CrawlDelay)))
		}
		if ls <= 0 {
			break
		}
		p.Limit = int(time.Minute/ls) + 1
		if p.PerHost > 1 {
			p.Limit += p.PerHost
		}
		if p.BusiestMinute > p.Limit+int(tol/ls) {
			p.Status = PoliteFast
			a.anomaly("busy-minute", busiestIdx)
		}
	}
	return p
}

// runCfg is the politeness the runs promised: the smallest delay, the
// largest per-host and Crawl-delay cap over all runs, so that a check errs
// towards the crawler, never against it.
type runCfg struct {
	known                bool
	delay, maxCrawlDelay time.Duration
	perHost              int
	distributed          bool
}

func (a *aggregator) runConfig() runCfg {
	var c runCfg
	for i, r := range a.runs {
		if i == 0 || r.DelayD < c.delay {
			c.delay = r.DelayD
		}
		c.perHost = max(c.perHost, r.PerHost)
		c.maxCrawlDelay = max(c.maxCrawlDelay, r.MaxCrawlDelayD)
		c.distributed = c.distributed || r.Distributed
		c.known = true
	}
	return c
}
