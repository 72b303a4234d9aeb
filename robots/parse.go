package robots

import (
	"bytes"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxSize is the number of bytes of a robots.txt that are parsed. RFC 9309
// §2.5 requires crawlers to parse at least 500 kibibytes; content after the
// limit is ignored.
const MaxSize = 500 << 10

var utf8BOM = []byte("\xef\xbb\xbf")

// Parse parses a robots.txt body. It never fails: lines it does not
// understand are skipped (RFC 9309 §2.2 asks crawlers to be lenient).
//
// Guarantees:
//   - at most MaxSize bytes are examined; if body is longer, the line cut by
//     the limit is dropped, so a truncated rule can never be applied;
//   - a leading UTF-8 byte-order mark is ignored; lines may end in LF, CR or
//     CRLF; "#" starts a comment; keys are case-insensitive and a few common
//     misspellings ("useragent", "dissallow", ...) are accepted; a line with
//     no colon but exactly two words ("disallow /x") is read as key and value,
//     as Google's parser does;
//   - rules before the first User-agent line are ignored; groups naming the
//     same product token are merged in file order (§2.2.1);
//   - Sitemap lines are collected wherever they appear, if they are absolute
//     http(s) URLs;
//   - Crawl-delay (not part of RFC 9309) is kept per group: the first valid,
//     finite, non-negative value in seconds, possibly fractional. It is not
//     capped; callers should apply their own bounds.
//
// A User-agent line after a rule (Allow, Disallow or Crawl-delay) starts a
// new group; Sitemap and unknown lines do not end a run of User-agent lines.
func Parse(body []byte) *Robots {
	body = truncate(body)
	body = bytes.TrimPrefix(body, utf8BOM)
	var p parser
	for n := 1; len(body) > 0; n++ {
		var line []byte
		i := bytes.IndexAny(body, "\r\n")
		switch {
		case i < 0:
			line, body = body, nil
		case body[i] == '\r' && i+1 < len(body) && body[i+1] == '\n':
			line, body = body[:i], body[i+2:]
		default:
			line, body = body[:i], body[i+1:]
		}
		p.line(n, string(line))
	}
	return p.finish()
}

// truncate applies MaxSize, dropping a partial last line at the cut.
func truncate(body []byte) []byte {
	if len(body) <= MaxSize {
		return body
	}
	if c := body[MaxSize]; c == '\n' || c == '\r' {
		return body[:MaxSize] // the cut falls exactly on a line end
	}
	i := bytes.LastIndexAny(body[:MaxSize], "\r\n")
	if i < 0 {
		return nil
	}
	return body[:i+1]
}

type rawGroup struct {
	agents   []string // lower-cased product tokens
	rules    []rule
	delay    time.Duration
	hasDelay bool
}

type parser struct {
	groups   []*rawGroup
	cur      *rawGroup
	inAgents bool // the last group line was a User-agent line
	sitemaps []string
	seenMap  map[string]bool
}

type lineKind int

const (
	kindUnknown lineKind = iota
	kindUserAgent
	kindAllow
	kindDisallow
	kindSitemap
	kindCrawlDelay
)

// keys maps lower-cased keys, including misspellings seen in the wild, to
// their meaning.
var keys = map[string]lineKind{
	"user-agent": kindUserAgent, "useragent": kindUserAgent, "user agent": kindUserAgent,
	"user-agents": kindUserAgent,
	"allow":       kindAllow,
	"disallow":    kindDisallow, "dissallow": kindDisallow, "dissalow": kindDisallow,
	"disalow": kindDisallow, "diasllow": kindDisallow, "disallaw": kindDisallow,
	"sitemap": kindSitemap, "site-map": kindSitemap,
	"crawl-delay": kindCrawlDelay, "crawldelay": kindCrawlDelay, "crawl delay": kindCrawlDelay,
}

// splitLine extracts the key and value of one line.
func splitLine(line string) (key, value string, ok bool) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", "", false
	}
	if i := strings.IndexByte(line, ':'); i >= 0 {
		key, value = line[:i], line[i+1:]
	} else {
		f := strings.Fields(line)
		if len(f) != 2 {
			return "", "", false
		}
		key, value = f[0], f[1]
	}
	key = strings.ToLower(strings.TrimSpace(key))
	return key, strings.TrimSpace(value), key != ""
}

func (p *parser) line(n int, line string) {
	key, value, ok := splitLine(line)
	if !ok {
		return
	}
	switch keys[key] {
	case kindUserAgent:
		if p.cur == nil || !p.inAgents {
			p.cur = &rawGroup{}
			p.groups = append(p.groups, p.cur)
			p.inAgents = true
		}
		if tok := strings.ToLower(ProductToken(value)); tok != "" && !contains(p.cur.agents, tok) {
			p.cur.agents = append(p.cur.agents, tok)
		}
	case kindAllow, kindDisallow:
		if p.cur == nil {
			return // rules outside any group are ignored (§2.1)
		}
		p.inAgents = false
		allow := keys[key] == kindAllow
		name := "Disallow"
		if allow {
			name = "Allow"
		}
		p.cur.rules = append(p.cur.rules, rule{
			allow: allow,
			pat:   compilePattern(value),
			text:  name + ": " + value,
			line:  n,
		})
	case kindCrawlDelay:
		if p.cur == nil {
			return
		}
		p.inAgents = false
		if d, ok := parseDelay(value); ok && !p.cur.hasDelay {
			p.cur.delay, p.cur.hasDelay = d, true
		}
	case kindSitemap:
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return
		}
		if p.seenMap == nil {
			p.seenMap = make(map[string]bool)
		}
		if !p.seenMap[value] {
			p.seenMap[value] = true
			p.sitemaps = append(p.sitemaps, value)
		}
	}
}

// parseDelay parses a Crawl-delay value in seconds. NaN, infinities and
// negative values are invalid; finite values that would overflow a
// time.Duration are clamped to the largest Duration.
func parseDelay(s string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	if f >= float64(math.MaxInt64)/float64(time.Second) {
		return time.Duration(math.MaxInt64), true
	}
	return time.Duration(f * float64(time.Second)), true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// finish merges raw groups by agent (RFC 9309 §2.2.1).
func (p *parser) finish() *Robots {
	r := &Robots{sitemaps: p.sitemaps}
	for _, rg := range p.groups {
		for _, a := range rg.agents {
			if r.groups == nil {
				r.groups = make(map[string]*Group)
			}
			g := r.groups[a]
			if g == nil {
				g = &Group{agent: a}
				r.groups[a] = g
			}
			g.rules = append(g.rules, rg.rules...)
			if rg.hasDelay && !g.hasDelay {
				g.delay, g.hasDelay = rg.delay, true
			}
		}
	}
	return r
}
