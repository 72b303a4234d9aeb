package robots

import "strings"

// Directives are the page-level robots directives that affect a crawler
// (not an indexer's snippet controls).
type Directives struct {
	// NoIndex: the page should not be indexed/stored.
	NoIndex bool
	// NoFollow: links on the page should not be followed.
	NoFollow bool
}

// valueDirectives are directive names that take a value after a colon, so a
// "name:" prefix with one of these names is not a user-agent prefix.
var valueDirectives = map[string]bool{
	"unavailable_after": true, "max-snippet": true, "max-image-preview": true,
	"max-video-preview": true,
}

// ParseDirectives combines robots directives from the content of
// <meta name="robots"> / <meta name="scruple"> tags and from X-Robots-Tag
// header values. Each value is a comma-separated, case-insensitive list;
// "noindex" and "nofollow" set the fields, "none" sets both, and "all",
// "index", "follow" and unknown directives change nothing (the most
// restrictive directive wins, so a later "index" cannot undo "noindex").
//
// An X-Robots-Tag item may be prefixed by a user agent
// ("googlebot: noindex"); the prefix applies to it and to the following
// items of the same value until another prefix appears, and such items
// count only if the agent equals ProductToken(productToken)
// case-insensitively. Unprefixed items apply to every crawler. A prefix
// is recognised only if it looks like a product token (letters, digits,
// "_", "-") and is not a directive that takes a value, such as
// "unavailable_after: <date>".
//
// Callers pass only meta tags whose name is "robots" or the crawler's own
// product token; the name selects the agent for meta tags.
func ParseDirectives(values []string, productToken string) Directives {
	token := ProductToken(productToken)
	var d Directives
	for _, v := range values {
		applies := true
		for _, item := range strings.Split(v, ",") {
			item = strings.TrimSpace(item)
			if name, rest, ok := strings.Cut(item, ":"); ok {
				name = strings.TrimSpace(name)
				if isAgentPrefix(name) {
					applies = strings.EqualFold(name, token)
					item = strings.TrimSpace(rest)
				}
			}
			if !applies {
				continue
			}
			switch strings.ToLower(item) {
			case "noindex":
				d.NoIndex = true
			case "nofollow":
				d.NoFollow = true
			case "none":
				d.NoIndex, d.NoFollow = true, true
			}
		}
	}
	return d
}

// isAgentPrefix reports whether s, the text before a colon, names a user
// agent rather than a directive with a value.
func isAgentPrefix(s string) bool {
	if s == "" || valueDirectives[strings.ToLower(s)] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isUnreserved(c) && c != '.' && c != '~') {
			return false
		}
	}
	return true
}
