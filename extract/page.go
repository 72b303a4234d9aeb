package extract

import "net/url"

// Default limits used when the corresponding [Options] field is zero or
// negative.
const (
	DefaultMaxLinks     = 10_000
	DefaultMaxTextBytes = 10 << 20
	DefaultMaxBuf       = 4 << 20
	DefaultAgentToken   = "scruple"
)

// nonLinkTextMax bounds AccessSignals.NonLinkText: enough for any page short
// enough to be a wall or an interstitial, which is all it is used for.
const nonLinkTextMax = 64 << 10

// Options bounds the work and memory of [HTML]. The zero value is ready to
// use and means the defaults.
type Options struct {
	// MaxLinks is the most links collected; further links are dropped and
	// Page.LinksTruncated is set. Default DefaultMaxLinks.
	MaxLinks int
	// MaxTextBytes is the most bytes of Page.Text kept; the text is cut at a
	// character boundary and Page.TextTruncated is set. Default
	// DefaultMaxTextBytes.
	MaxTextBytes int
	// MaxBuf is the largest single token (tag or text run) the tokenizer
	// buffers; a longer token ends extraction and sets Page.Truncated.
	// Default DefaultMaxBuf.
	MaxBuf int
	// AgentToken is the crawler's robots product token; <meta name=TOKEN>
	// is collected into Page.MetaRobots alongside <meta name=robots>.
	// Matching is case-insensitive. Default DefaultAgentToken.
	AgentToken string
}

func (o Options) withDefaults() Options {
	if o.MaxLinks <= 0 {
		o.MaxLinks = DefaultMaxLinks
	}
	if o.MaxTextBytes <= 0 {
		o.MaxTextBytes = DefaultMaxTextBytes
	}
	if o.MaxBuf <= 0 {
		o.MaxBuf = DefaultMaxBuf
	}
	if o.AgentToken == "" {
		o.AgentToken = DefaultAgentToken
	}
	return o
}

// Link is one outgoing reference found in a document. URL is the raw
// attribute value with surrounding whitespace trimmed; resolving it against
// Page.BaseURL and canonicalising it is the caller's job.
type Link struct {
	URL      string // raw href/src value, trimmed; never empty
	Rel      string // raw rel attribute, "" if absent
	Tag      string // "a", "area", "link", "iframe" or "frame"
	NoFollow bool   // rel contains the token "nofollow"
}

// Page is what [HTML] extracts from a document. All strings are valid UTF-8.
type Page struct {
	// Title is the first <title> outside SVG, whitespace-collapsed.
	Title string
	// Lang is <html lang>, else <meta http-equiv=content-language>, raw
	// but trimmed.
	Lang string
	// Text is the visible text: the title and the body text, without the
	// contents of script, style, noscript, template, svg, math, textarea and
	// iframe elements. Block boundaries become "\n", other whitespace runs a
	// single space, and entities are decoded.
	Text string
	// TextTruncated reports that Text was cut at Options.MaxTextBytes.
	TextTruncated bool
	// Links are the followable references in document order: a[href],
	// area[href], link[rel~=alternate|next|prev][href], iframe[src] and
	// frame[src], minus empty, fragment-only, javascript:, vbscript:,
	// mailto:, tel:, data: and about: values.
	Links []Link
	// LinksTruncated reports that more than Options.MaxLinks links existed.
	LinksTruncated bool
	// Canonical is the first <link rel=canonical href>, raw but trimmed.
	Canonical string
	// Base is the first <base href>, raw but trimmed.
	Base string
	// BaseURL is the URL relative links resolve against: Base resolved
	// against the document URL when it is a valid http(s) URL, else the
	// document URL passed to HTML (which may be nil).
	BaseURL *url.URL
	// MetaRobots holds the content of every <meta name=robots> and
	// <meta name=AgentToken>, raw, in document order.
	MetaRobots []string
	// Refresh is the target URL of the first <meta http-equiv=refresh>
	// that names one, raw; "" for a plain reload.
	Refresh string
	// Signals are structural hints for the public-access classifier.
	Signals AccessSignals
	// Truncated reports that extraction stopped early because a single
	// token exceeded Options.MaxBuf; everything before it was processed.
	Truncated bool
}

// AccessSignals are markup facts gathered in the same pass as the text, for
// deciding whether a page is public (see package access). Phrase matching is
// left to the classifier, which reads Page.Text and NonLinkText.
type AccessSignals struct {
	// Forms is the number of <form> elements.
	Forms int
	// LoginForms counts forms whose action, id, class or name mentions
	// login, log-in, signin, sign-in, logon, auth (not "author"), session,
	// 登录 or 登入.
	LoginForms int
	// PasswordInputs counts <input type=password> anywhere in the page.
	PasswordInputs int
	// CaptchaMarkers lists, once each, the CAPTCHA or bot-challenge markers
	// seen in ids, classes and scripts: "g-recaptcha", "h-captcha",
	// "cf-challenge", "cf-turnstile", "geetest", "captcha".
	CaptchaMarkers []string
	// PaywallMarkers lists, once each, paywall words seen in ids and
	// classes, e.g. "paywall", "subscriber-only", "premium-content",
	// "metered", "regwall".
	PaywallMarkers []string
	// NotAccessibleForFree reports schema.org isAccessibleForFree=false,
	// in JSON-LD or microdata: the publisher's own paywall declaration.
	NotAccessibleForFree bool
	// TextBytes is the UTF-8 size of all visible non-whitespace text,
	// counted over the whole document even if Text was truncated. Bytes
	// rather than characters roughly equalise dense CJK and Latin text.
	TextBytes int
	// ContentBytes is the part of TextBytes outside <a> and <form>
	// elements: the page's own prose, without navigation and form labels.
	ContentBytes int
	// NonLinkText is the visible text outside <a> elements, formatted like
	// Page.Text and cut at 64 KiB: navigation links such as "登录" or
	// "Sign in" are absent, so weak phrases found here are page content.
	NonLinkText string
}
