package urls

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Scope modes accepted in ScopeConfig.Mode.
const (
	// ScopeSite admits URLs whose host has the same registrable domain
	// (eTLD+1) as some seed: a seed of www.example.com admits
	// blog.example.com but not example.org.
	ScopeSite = "site"
	// ScopeHost admits URLs whose host name equals that of some seed.
	// Scheme and port are ignored: http://a.test/ and https://a.test:8443/
	// are the same host for scoping (politeness still keys on host:port).
	ScopeHost = "host"
	// ScopeAny admits every URL, subject to patterns and depth.
	ScopeAny = "any"
)

// ScopeConfig configures a Scope.
type ScopeConfig struct {
	// Mode is ScopeSite (the default when empty), ScopeHost or ScopeAny.
	Mode string
	// Seeds anchor the site and host modes; at least one is required
	// for them. They should be canonical URLs.
	Seeds []*url.URL
	// Include and Exclude are Go regular expressions matched (unanchored)
	// against the canonical URL string. If Include is non-empty a URL must
	// match at least one of them; it must match none of Exclude.
	Include, Exclude []string
	// MaxDepth is the largest link depth admitted (seeds are depth 0);
	// a negative value means unlimited. Note that 0 admits seeds only.
	MaxDepth int
}

// Scope decides whether a discovered URL belongs to the crawl. It is
// immutable after NewScope and safe for concurrent use.
type Scope struct {
	mode     string
	keys     map[string]bool // registrable domains or host names of seeds
	include  []*regexp.Regexp
	exclude  []*regexp.Regexp
	maxDepth int
}

// NewScope validates cfg and builds a Scope. An unknown mode, an invalid
// pattern, a nil seed, or a site/host mode without seeds is an error that
// names the bad value.
func NewScope(cfg ScopeConfig) (*Scope, error) {
	mode := strings.ToLower(strings.TrimSpace(cfg.Mode))
	if mode == "" {
		mode = ScopeSite
	}
	switch mode {
	case ScopeSite, ScopeHost, ScopeAny:
	default:
		return nil, fmt.Errorf("urls: unknown scope mode %q (want site, host or any)", cfg.Mode)
	}
	s := &Scope{mode: mode, keys: make(map[string]bool), maxDepth: cfg.MaxDepth}
	for i, u := range cfg.Seeds {
		if u == nil || u.Hostname() == "" {
			return nil, fmt.Errorf("urls: scope seed %d has no host", i+1)
		}
		s.keys[s.key(u)] = true
	}
	if mode != ScopeAny && len(s.keys) == 0 {
		return nil, fmt.Errorf("urls: scope mode %q needs at least one seed", mode)
	}
	var err error
	if s.include, err = compileAll("include", cfg.Include); err != nil {
		return nil, err
	}
	if s.exclude, err = compileAll("exclude", cfg.Exclude); err != nil {
		return nil, err
	}
	return s, nil
}

func compileAll(kind string, pats []string) ([]*regexp.Regexp, error) {
	out := make([]*regexp.Regexp, 0, len(pats))
	var errs []error
	for i, p := range pats {
		re, err := regexp.Compile(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("urls: invalid %s pattern %d %q: %w", kind, i+1, p, err))
			continue
		}
		out = append(out, re)
	}
	return out, errors.Join(errs...)
}

// key is what two URLs must share to be in the same scope.
func (s *Scope) key(u *url.URL) string {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if s.mode == ScopeSite {
		return RegistrableDomain(h)
	}
	return h
}

// Allows reports whether u, found at link depth depth, is in scope. When it
// is not, reason is a short stable string suitable for logs and metrics:
// "out of scope (site)", "out of scope (host)", "not included",
// "excluded by pattern N" (N counts Exclude from 1), "too deep (max N)" or
// "invalid URL". u should be canonical, since patterns see u.String().
func (s *Scope) Allows(u *url.URL, depth int) (ok bool, reason string) {
	if u == nil || u.Hostname() == "" {
		return false, "invalid URL"
	}
	if s.mode != ScopeAny && !s.keys[s.key(u)] {
		return false, "out of scope (" + s.mode + ")"
	}
	if len(s.include) > 0 || len(s.exclude) > 0 {
		str := u.String()
		if len(s.include) > 0 && !matchAny(s.include, str) {
			return false, "not included"
		}
		for i, re := range s.exclude {
			if re.MatchString(str) {
				return false, "excluded by pattern " + strconv.Itoa(i+1)
			}
		}
	}
	if s.maxDepth >= 0 && depth > s.maxDepth {
		return false, "too deep (max " + strconv.Itoa(s.maxDepth) + ")"
	}
	return true, ""
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
