// Package access decides whether a fetched response is public content:
// something any anonymous visitor receives, as opposed to a login page, a
// paywall, a CAPTCHA interstitial or an HTTP access refusal. The crawler
// keeps only public responses.
//
// The classifier is deliberately conservative in both directions. Site
// chrome that appears on public pages (a "登录" or "Sign in" link, a
// newsletter "subscribe" box, a quick-login form in a forum header, a
// reCAPTCHA on a comment form, the word "password" in an article) must not
// make a page nonpublic, so markup and weak phrases only count when the
// page's own prose is short, as it is on a wall or an interstitial.
package access

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/scruple/scruple/extract"
)

// Verdict is the outcome of [Classify].
type Verdict struct {
	// Public reports that the response is content an anonymous visitor
	// receives.
	Public bool
	// Reason is one of the Reason constants: ReasonPublic when Public, else
	// a stable short description of why not, suitable for logs and metrics.
	Reason string
}

// Reasons reported in Verdict.Reason. They are stable: callers may compare
// against them and count them.
const (
	ReasonPublic = "public"

	Reason401 = "http 401 (authentication required)"
	Reason402 = "http 402 (payment required)"
	Reason403 = "http 403 (forbidden)"
	Reason407 = "http 407 (proxy authentication required)"
	Reason451 = "http 451 (unavailable for legal reasons)"
	Reason511 = "http 511 (network authentication required)"

	ReasonChallenge     = "captcha/bot challenge"
	ReasonLoginURL      = "login URL"
	ReasonLoginPassword = "login form (password input)"
	ReasonLoginForm     = "login form"
	ReasonLoginWall     = "login wall: sign in to read"
	ReasonPaywall       = "paywall: subscribers only"
	ReasonMetered       = "paywall: metered limit reached"
	ReasonPaywallSchema = "paywall: not accessible for free"
	ReasonPaywallMarkup = "paywall: markup"
)

// Thresholds on AccessSignals.ContentBytes, the UTF-8 size of the visible
// text outside links and forms. A wall or interstitial carries little prose
// of its own; a public article carries a lot. Bytes rather than characters
// roughly equalise Chinese (3 bytes per character) and English.
const (
	// challengeMaxContent: challenge pages say a sentence or two.
	challengeMaxContent = 768
	// loginMaxContent: a login page's own text (welcome line, help,
	// footer) beyond its form and links.
	loginMaxContent = 800
	// loginTitleMaxContent: the same, when the title also says "login".
	loginTitleMaxContent = 4096
	// shortTeaserMaxContent: a paragraph or two in front of a wall. Below
	// it, strong phrases count even inside long lines.
	shortTeaserMaxContent = 1500
	// teaserMaxContent: a few paragraphs in front of a wall. Below it,
	// weak phrases count in short lines.
	teaserMaxContent = 4096
	// markupMaxContent: paywall class names alone are weak evidence.
	markupMaxContent = 800
)

// Phrase scanning window over Page.Text: wall messages sit near the top
// (interstitials) or right after a teaser, never deep in a long page.
const (
	scanHead = 64 << 10
	scanTail = 16 << 10
)

// Classify decides whether a response is public. status and header are the
// final response's; page is its extraction (nil for non-HTML bodies);
// finalURL is the URL after redirects (nil if unknown). It never panics on
// nil arguments and makes no network requests.
//
// Nonpublic are: HTTP 401, 402, 403, 407, 451 and 511; a Cloudflare
// "cf-mitigated: challenge" header; a final URL that looks like a login page
// when the page has a login form or little prose; a page that is mainly a
// login form; a CAPTCHA or bot-challenge interstitial; and a paywall,
// metered wall or login wall recognised by the schema.org
// isAccessibleForFree=false declaration or by the phrases in phrases.go.
// Other statuses are not access refusals and do not by themselves make a
// response nonpublic.
func Classify(status int, header http.Header, page *extract.Page, finalURL *url.URL) Verdict {
	if r := StatusReason(status); r != "" {
		return nonpublic(r)
	}
	if strings.EqualFold(strings.TrimSpace(header.Get("Cf-Mitigated")), "challenge") {
		return nonpublic(ReasonChallenge)
	}
	if page == nil {
		return Verdict{Public: true, Reason: ReasonPublic}
	}
	sig := &page.Signals
	content := sig.ContentBytes
	title := normalise(page.Title)
	loginTitle := containsAny(title, loginTitleWords)
	hasLoginForm := sig.PasswordInputs > 0 || sig.LoginForms > 0

	// Login pages. These rules come before the challenge rule so that a
	// login page with a CAPTCHA image is reported as a login page.
	if finalURL != nil && IsLoginURL(finalURL) && (hasLoginForm || content < loginMaxContent) {
		return nonpublic(ReasonLoginURL)
	}
	if sig.PasswordInputs > 0 && (content < loginMaxContent || loginTitle && content < loginTitleMaxContent) {
		return nonpublic(ReasonLoginPassword)
	}
	if sig.LoginForms > 0 && (content < loginMaxContent || loginTitle && content < loginTitleMaxContent) {
		return nonpublic(ReasonLoginForm)
	}

	// Lines are normalised (lower case, ASCII apostrophes) one at a time in
	// matchLines, after the cheap length filters: lowering a whole long page
	// was the classifier's main cost.
	prose := newLines(sig.NonLinkText)
	if content < challengeMaxContent &&
		(len(sig.CaptchaMarkers) > 0 || containsAny(title, challengeTitles) || matchLines(prose, title, kindChallenge, false, true)) {
		return nonpublic(ReasonChallenge)
	}

	if sig.NotAccessibleForFree {
		return nonpublic(ReasonPaywallSchema)
	}
	text := newLines(scanWindow(page.Text))
	for _, k := range []kind{kindMetered, kindPaywall, kindLoginWall} {
		if matchLines(text, title, k, true, content >= shortTeaserMaxContent) ||
			content < teaserMaxContent && matchLines(prose, title, k, false, true) {
			return nonpublic(kindReason(k))
		}
	}
	// Paywall markup (class="paywall" and the like) together with a strong
	// wall phrase in a block of its own is a wall whatever the teaser's
	// length: either alone is weak, the pair is not. The block may be twice
	// as wide as a bare message, since such notices often add a sentence.
	if len(sig.PaywallMarkers) > 0 {
		for i, line := range text.raw {
			if line == "" || len(line) > 8*lineMaxWidth || width(line) > 2*lineMaxWidth {
				continue
			}
			if line = text.normal(i); strings.Contains(title, line) {
				continue
			}
			for _, p := range wallPhrases {
				if p.strong && (p.kind == kindPaywall || p.kind == kindMetered) && strings.Contains(line, p.text) {
					return nonpublic(kindReason(p.kind))
				}
			}
		}
	}
	if len(sig.PaywallMarkers) > 0 && content < markupMaxContent {
		return nonpublic(ReasonPaywallMarkup)
	}
	return Verdict{Public: true, Reason: ReasonPublic}
}

func nonpublic(reason string) Verdict { return Verdict{Public: false, Reason: reason} }

// StatusReason is the nonpublic reason for an HTTP status that refuses
// access by itself (401, 402, 403, 407, 451, 511), or "" for any other
// status. Such a refusal is final: no retry turns it into public content.
func StatusReason(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return Reason401
	case http.StatusPaymentRequired:
		return Reason402
	case http.StatusForbidden:
		return Reason403
	case http.StatusProxyAuthRequired:
		return Reason407
	case http.StatusUnavailableForLegalReasons:
		return Reason451
	case http.StatusNetworkAuthenticationRequired:
		return Reason511
	}
	return ""
}

func kindReason(k kind) string {
	switch k {
	case kindMetered:
		return ReasonMetered
	case kindLoginWall:
		return ReasonLoginWall
	case kindChallenge:
		return ReasonChallenge
	}
	return ReasonPaywall
}

// Limits on the line around a phrase: see matchLines.
const (
	// lineMaxWidth is in display columns (a CJK character is two), so
	// that it means about 40 Chinese characters or 80 Latin ones: a wall
	// message of a sentence or two, shorter than nearly every article
	// paragraph in either script.
	lineMaxWidth = 80
	// labelMinExtra is how many runes a line must have beyond a weak
	// phrase for it to be a message rather than a bare button label.
	labelMinExtra = 4
)

// matchLines reports whether a phrase of kind k appears in one of lines in
// a way that reads like a wall message rather than a mention:
//
//   - lines contained in the title are skipped (a headline about 付费阅读);
//   - with shortOnly, the line must be a short block of its own
//     (lineMaxWidth), since articles that discuss walls mention the phrases
//     inside long paragraphs;
//   - with strongOnly, only strong phrases are tried; a weak phrase must
//     also come with a few more characters than itself, since a bare
//     "开通会员" or "Subscribers only" is a button or badge in site chrome.
func matchLines(ls *lines, title string, k kind, strongOnly, shortOnly bool) bool {
	for i, line := range ls.raw {
		if line == "" {
			continue
		}
		if shortOnly && (len(line) > 4*lineMaxWidth || width(line) > lineMaxWidth) {
			continue
		}
		if line = ls.normal(i); strings.Contains(title, line) {
			continue
		}
		for _, p := range wallPhrases {
			if p.kind != k || strongOnly && !p.strong || !strings.Contains(line, p.text) {
				continue
			}
			if !p.strong && utf8.RuneCountInString(line) < utf8.RuneCountInString(p.text)+labelMinExtra {
				continue
			}
			return true
		}
	}
	return false
}

// width returns the display width of s: two columns for East Asian wide
// characters, one for the rest.
func width(s string) int {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x1100 && (r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 ||
			r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 ||
			r >= 0xFFE0 && r <= 0xFFE6 || r >= 0x20000 && r <= 0x3FFFD) {
			w++
		}
	}
	return w
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// scanWindow returns the head and tail of a long text, cut at character
// boundaries.
func scanWindow(s string) string {
	if len(s) <= scanHead+scanTail {
		return s
	}
	head, tail := scanHead, len(s)-scanTail
	for head > 0 && !isRuneStart(s[head]) {
		head--
	}
	for tail < len(s) && !isRuneStart(s[tail]) {
		tail++
	}
	return s[:head] + "\n" + s[tail:]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// normaliser prepares text for phrase matching: typographic apostrophes
// become ASCII and line breaks become spaces.
var normaliser = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\n", " ")

// lineNormaliser is normaliser keeping line breaks.
var lineNormaliser = strings.NewReplacer("\u2019", "'", "\u2018", "'")

func normalise(s string) string { return normaliser.Replace(strings.ToLower(s)) }

func normaliseLines(s string) string {
	s = strings.ToLower(s)
	if !strings.Contains(s, "\u2019") && !strings.Contains(s, "\u2018") {
		return s // the Replacer would copy it unchanged
	}
	return lineNormaliser.Replace(s)
}

// lines are a text's lines, trimmed, each normalised (normaliseLines) at
// most once however many phrase kinds look at it: Classify tries up to
// seven (kind, text) pairs, and lowering and replacing the same lines again
// for each was most of its allocations.
type lines struct {
	raw  []string
	norm []string // norm[i] is raw[i] normalised, once done[i]
	done []bool
}

func newLines(s string) *lines {
	raw := strings.Split(s, "\n")
	for i := range raw {
		raw[i] = strings.TrimSpace(raw[i])
	}
	return &lines{raw: raw, norm: make([]string, len(raw)), done: make([]bool, len(raw))}
}

// normal returns line i normalised.
func (l *lines) normal(i int) string {
	if !l.done[i] {
		l.norm[i], l.done[i] = normaliseLines(l.raw[i]), true
	}
	return l.norm[i]
}
