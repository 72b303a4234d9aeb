package robots

import (
	"strings"
	"time"
)

// Robots is a parsed robots.txt, or a synthetic allow-all / disallow-all
// policy (see AllowAll and DisallowAll). It is immutable and safe for
// concurrent use. A nil *Robots behaves like an empty robots.txt: it allows
// everything.
type Robots struct {
	groups   map[string]*Group // by lower-cased product token; "*" is the default group
	sitemaps []string
	fixed    *Group // non-nil for AllowAll/DisallowAll
}

// Group is the merged set of rules that applies to one product token. A nil
// *Group allows everything.
type Group struct {
	agent    string
	rules    []rule
	delay    time.Duration
	hasDelay bool
	fixed    *Verdict // if non-nil, every Test (except /robots.txt) returns it
}

type rule struct {
	allow bool
	pat   pattern
	text  string // e.g. "Disallow: /private", as written in the file
	line  int    // 1-based line number in the robots.txt
}

// Verdict is the outcome of testing a URL path against robots rules.
type Verdict struct {
	// Allowed reports whether the crawler may fetch the URL.
	Allowed bool
	// Rule is the deciding rule as written (e.g. "Disallow: /private"),
	// an explanation for synthetic policies (e.g.
	// "no robots.txt (404): allow all"), or "" when no rule matched.
	Rule string
	// Line is the 1-based line of Rule in robots.txt, or 0.
	Line int
}

// robotsTxtVerdict is returned for /robots.txt itself, which RFC 9309
// §2.2.2 says is implicitly allowed.
var robotsTxtVerdict = Verdict{Allowed: true, Rule: "implicit: /robots.txt is always allowed"}

// ProductToken returns the product token of a User-Agent string: the text
// before the first "/" or white space, so "scruple/1.0 (+https://x)" gives
// "scruple" (RFC 9309 §2.2.1). Leading and trailing space is ignored; the
// case is preserved (matching is case-insensitive).
func ProductToken(userAgent string) string {
	s := strings.TrimSpace(userAgent)
	if i := strings.IndexAny(s, "/ \t"); i >= 0 {
		s = s[:i]
	}
	return s
}

// AllowAll returns a policy that allows every path. Its verdicts carry
// Rule = reason + ": allow all" (or "allow all" if reason is empty), e.g.
// AllowAll("no robots.txt (404)"). It is what RFC 9309 §2.3.1.3 prescribes
// when robots.txt is unavailable (4xx).
func AllowAll(reason string) *Robots {
	return fixedPolicy(true, reason, "allow all")
}

// DisallowAll returns a policy that disallows every path except
// /robots.txt. Its verdicts carry Rule = reason + ": disallow all", e.g.
// DisallowAll("robots.txt unavailable (503)"). It is what RFC 9309
// §2.3.1.4 prescribes when robots.txt is unreachable (5xx, network error).
func DisallowAll(reason string) *Robots {
	return fixedPolicy(false, reason, "disallow all")
}

func fixedPolicy(allowed bool, reason, what string) *Robots {
	if reason != "" {
		what = reason + ": " + what
	}
	return &Robots{fixed: &Group{agent: "*", fixed: &Verdict{Allowed: allowed, Rule: what}}}
}

// Group returns the group that applies to productToken (a full User-Agent
// string is reduced with ProductToken first): the group naming it,
// compared case-insensitively, or else the "*" group, or nil when neither
// exists (which allows everything). For AllowAll/DisallowAll policies it
// returns a group that applies the fixed verdict. Group is nil-safe.
func (r *Robots) Group(productToken string) *Group {
	if r == nil {
		return nil
	}
	if r.fixed != nil {
		return r.fixed
	}
	if tok := strings.ToLower(ProductToken(productToken)); tok != "" {
		if g := r.groups[tok]; g != nil {
			return g
		}
	}
	return r.groups["*"]
}

// Test reports whether the crawler identified by userAgent (a User-Agent
// string or bare product token) may fetch pathQuery. It is shorthand for
// r.Group(userAgent).Test(pathQuery).
func (r *Robots) Test(userAgent, pathQuery string) Verdict {
	return r.Group(userAgent).Test(pathQuery)
}

// CrawlDelay returns the Crawl-delay of the group that applies to
// productToken, or 0 if none is set. The value is not capped.
func (r *Robots) CrawlDelay(productToken string) time.Duration {
	return r.Group(productToken).CrawlDelay()
}

// Sitemaps returns the absolute sitemap URLs listed in the file, in file
// order without duplicates. The slice is a copy.
func (r *Robots) Sitemaps() []string {
	if r == nil || len(r.sitemaps) == 0 {
		return nil
	}
	return append([]string(nil), r.sitemaps...)
}

// Agent returns the lower-cased product token the group was selected by
// ("*" for the default group), or "" for a nil group.
func (g *Group) Agent() string {
	if g == nil {
		return ""
	}
	return g.agent
}

// CrawlDelay returns the group's Crawl-delay, or 0 if none is set.
func (g *Group) CrawlDelay() time.Duration {
	if g == nil {
		return 0
	}
	return g.delay
}

// Test reports whether pathQuery may be fetched under this group.
//
// pathQuery is the URL's path plus "?" and query, as returned by
// (*url.URL).RequestURI; a fragment is ignored, an absolute URL is reduced
// to its request URI, and a missing leading "/" is added. Both the rules
// and pathQuery are normalised (see normalize) before matching.
//
// The longest matching rule decides; if an Allow and a Disallow rule of
// equal length match, Allow wins; among equal rules of the same kind the
// earliest in the file is reported (RFC 9309 §2.2.2). No matching rule
// means allowed, with Verdict.Rule "". "/robots.txt" is always allowed.
// The result is deterministic and g may be nil.
func (g *Group) Test(pathQuery string) Verdict {
	target := normalizeTarget(pathQuery)
	if path, _, _ := strings.Cut(target, "?"); path == "/robots.txt" {
		return robotsTxtVerdict
	}
	if g == nil {
		return Verdict{Allowed: true}
	}
	if g.fixed != nil {
		return *g.fixed
	}
	var best *rule
	for i := range g.rules {
		r := &g.rules[i]
		if !r.pat.match(target) {
			continue
		}
		if best == nil {
			best = r
			continue
		}
		n, bn := r.pat.length(), best.pat.length()
		if n > bn || n == bn && r.allow && !best.allow {
			best = r
		}
	}
	if best == nil {
		return Verdict{Allowed: true}
	}
	return Verdict{Allowed: best.allow, Rule: best.text, Line: best.line}
}
