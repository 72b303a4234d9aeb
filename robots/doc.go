// Package robots implements the Robots Exclusion Protocol (RFC 9309):
// parsing robots.txt, choosing the group that applies to a crawler,
// matching URL paths against its rules, fetching robots.txt with the
// status-code semantics of RFC 9309 §2.3, and caching the result per
// origin. It also parses the page-level robots directives of
// <meta name="robots"> and the X-Robots-Tag header (directives.go).
//
// # Why hand-written
//
// The commonly used Go library (github.com/temoto/robotstxt) deviates from
// RFC 9309 in ways that matter to a polite crawler: when an Allow and a
// Disallow rule match with the same length, the first one in the file wins,
// whereas RFC 9309 §2.2.2 says the least restrictive (Allow) SHOULD be used;
// and rules written with raw UTF-8 (e.g. "Disallow: /ü") are compared
// byte-for-byte with the URL, so they never match the percent-encoded URL a
// crawler actually requests. This package normalises both the rule and the
// URL (see normalize) and breaks ties in favour of Allow.
//
// # Behaviour in brief
//
//   - Parse is lenient and never fails; it reads at most MaxSize bytes
//     (RFC 9309 §2.5).
//   - A group is one or more consecutive User-agent lines followed by rules.
//     Groups naming the same product token are merged (§2.2.1). The "*"
//     group applies only when no group names the crawler.
//   - The longest matching rule wins, measured in octets of the normalised
//     pattern (including "*" and "$"); Allow wins a tie (§2.2.2).
//   - "/robots.txt" is always allowed (§2.2.2).
//   - Fetcher maps HTTP outcomes to AllowAll / DisallowAll (§2.3.1), and
//     Cache keeps results for at most 24 hours (§2.4).
//
// # Deliberate differences from Google's robotstxt library
//
// Google's reference parser does not normalise the URL it is given, so a
// rule "Allow: /ツ" does not match the raw URL path "/ツ", and a rule
// "Allow: /%62az" does not match "/baz". This package normalises both sides
// as RFC 9309 §2.2.2 describes, so both of those match here. Google-only
// extensions (treating "/index.html" as "/", line-length limits) are not
// implemented.
//
// No package-level mutable state exists; all values are safe for concurrent
// use once constructed (Robots and Group are immutable after Parse).
package robots
