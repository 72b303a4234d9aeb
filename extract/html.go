package extract

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// HTML extracts a [Page] from doc, which must already be UTF-8 (see
// [Decode]; invalid bytes are tolerated and become U+FFFD). base is the
// document's URL, used only to compute Page.BaseURL; links are returned raw.
//
// HTML makes one pass over the streaming tokenizer, so its time is linear in
// len(doc) and its memory is bounded by len(doc) plus the limits in opt. It
// never panics, whatever the input: malformed or unclosed markup, NUL bytes
// and binary garbage produce a best-effort Page.
func HTML(doc []byte, base *url.URL, opt Options) *Page {
	opt = opt.withDefaults()
	s := &scanner{
		opt:  opt,
		page: &Page{BaseURL: base},
		text: textBuilder{max: opt.MaxTextBytes},
		prose: textBuilder{
			max:     nonLinkTextMax,
			noCount: true,
		},
	}
	// Both builders start with room for the whole document's text (it is
	// rarely longer than the markup): growing them by doubling was a fifth of
	// extraction's time on the benchmark's text-heavy pages.
	s.text.buf.Grow(min(len(doc)+64, opt.MaxTextBytes))
	s.prose.buf.Grow(min(len(doc)+64, nonLinkTextMax))
	z := html.NewTokenizer(bytes.NewReader(doc))
	z.SetMaxBuf(opt.MaxBuf)
	for {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				s.page.Truncated = true
			}
			return s.finish()
		case html.TextToken:
			s.onText(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken:
			s.onStart(z, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			name, _ := z.TagName()
			s.onEnd(name)
		}
	}
}

// scanner is the per-call state of HTML.
type scanner struct {
	opt   Options
	page  *Page
	text  textBuilder // Page.Text
	prose textBuilder // Signals.NonLinkText

	raw        string // open raw-text element whose contents come next
	ldJSON     bool   // the open script is JSON-LD
	foreign    int    // depth inside <svg>/<math>
	template   int    // depth inside <template>
	inForm     bool
	inLink     bool
	titleDone  bool
	refreshSet bool
	langSet    bool

	attrs   attrs
	scratch []byte // reused for lower-casing attribute values
}

// attrs holds the attributes of the current tag that HTML cares about.
// Values alias the tokenizer's buffer and are valid until the next token.
type attrs struct {
	href, src, rel, name, content, httpEquiv, id, class, action, typ, lang, itemprop []byte
	seen                                                                             uint32 // bit per field, so that the first duplicate wins
}

const (
	aHref = 1 << iota
	aSrc
	aRel
	aName
	aContent
	aHTTPEquiv
	aID
	aClass
	aAction
	aType
	aLang
	aItemprop
)

// read collects the wanted attributes of the current tag.
func (a *attrs) read(z *html.Tokenizer, more bool) {
	*a = attrs{}
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		var bit uint32
		var dst *[]byte
		switch string(k) {
		case "href":
			bit, dst = aHref, &a.href
		case "src":
			bit, dst = aSrc, &a.src
		case "rel":
			bit, dst = aRel, &a.rel
		case "name":
			bit, dst = aName, &a.name
		case "content":
			bit, dst = aContent, &a.content
		case "http-equiv":
			bit, dst = aHTTPEquiv, &a.httpEquiv
		case "id":
			bit, dst = aID, &a.id
		case "class":
			bit, dst = aClass, &a.class
		case "action":
			bit, dst = aAction, &a.action
		case "type":
			bit, dst = aType, &a.typ
		case "lang":
			bit, dst = aLang, &a.lang
		case "itemprop":
			bit, dst = aItemprop, &a.itemprop
		default:
			continue
		}
		if a.seen&bit == 0 {
			a.seen |= bit
			*dst = v
		}
	}
}

func (a *attrs) has(bit uint32) bool { return a.seen&bit != 0 }

// hidden reports whether text is currently invisible.
func (s *scanner) hidden() bool { return s.foreign > 0 || s.template > 0 }

func (s *scanner) onText(b []byte) {
	switch s.raw {
	case "":
		if !s.hidden() {
			s.text.write(b, s.inForm, s.inLink)
			if !s.inLink {
				s.prose.write(b, false, false)
			}
		}
	case "title":
		if !s.titleDone && s.foreign == 0 {
			s.titleDone = true
			s.page.Title = collapse(b)
			s.breakLine()
			s.text.write(b, false, false)
			s.prose.write(b, false, false)
			s.breakLine()
		}
	case "script":
		s.scanScript(b)
	case "xmp", "plaintext":
		// Displayed verbatim by browsers.
		if !s.hidden() {
			s.text.write(b, s.inForm, s.inLink)
			s.prose.write(b, false, false)
		}
	}
	// style, noscript, textarea, iframe, noembed, noframes: not page text.
}

func (s *scanner) breakLine() {
	s.text.breakLine()
	s.prose.breakLine()
}

func (s *scanner) onStart(z *html.Tokenizer, selfClosing bool) {
	nameB, more := z.TagName()
	s.attrs.read(z, more)
	a := &s.attrs
	name := knownTags[string(nameB)] // "" for tags nothing below cares about
	if s.foreign > 0 && breaksOutOfForeign(name) {
		// The HTML parser closes <svg>/<math> at these tags, so an unclosed
		// <svg> cannot hide the rest of the page.
		s.foreign = 0
	}
	if a.has(aID) {
		s.markers(a.id)
	}
	if a.has(aClass) {
		s.markers(a.class)
	}
	switch name {
	case "a", "area":
		if name == "a" {
			// <a> cannot nest: a new one implicitly ends the previous.
			s.inLink = true
		}
		if a.has(aHref) {
			s.addLink(a.href, a.rel, name)
		}
	case "link":
		if a.has(aHref) && a.has(aRel) {
			s.linkElement(a)
		}
	case "iframe", "frame":
		if a.has(aSrc) {
			s.addLink(a.src, a.rel, name)
		}
	case "base":
		if a.has(aHref) && s.page.Base == "" {
			s.page.Base = trimURL(a.href)
		}
	case "meta":
		s.meta(a)
	case "html":
		if a.has(aLang) && !s.langSet {
			if l := cleanString(bytes.TrimSpace(a.lang)); l != "" {
				s.page.Lang, s.langSet = l, true
			}
		}
	case "form":
		s.page.Signals.Forms++
		s.inForm = true
		if mentionsLogin(s.lower(a.action)) || mentionsLogin(s.lower(a.id)) ||
			mentionsLogin(s.lower(a.class)) || mentionsLogin(s.lower(a.name)) {
			s.page.Signals.LoginForms++
		}
	case "input":
		if a.has(aType) && asciiEqualFold(bytes.TrimSpace(a.typ), "password") {
			s.page.Signals.PasswordInputs++
		}
	case "script":
		if a.has(aSrc) {
			s.scriptSrc(a.src)
		}
		s.ldJSON = a.has(aType) && asciiEqualFold(bytes.TrimSpace(a.typ), "application/ld+json")
	case "svg", "math":
		if !selfClosing {
			s.foreign++
		}
	case "template":
		if !selfClosing {
			s.template++
		}
	}
	switch name {
	case "iframe", "noembed", "noframes", "noscript", "plaintext", "script",
		"style", "textarea", "title", "xmp":
		// The tokenizer returns these elements' contents as one raw text
		// token, even for a self-closing tag.
		s.raw = name
	}
	s.boundary(name)
}

func (s *scanner) onEnd(nameB []byte) {
	s.raw = ""
	name := knownTags[string(nameB)]
	switch name {
	case "a":
		s.inLink = false
	case "form":
		s.inForm = false
	case "svg", "math":
		if s.foreign > 0 {
			s.foreign--
		}
	case "template":
		if s.template > 0 {
			s.template--
		}
	}
	s.boundary(name)
}

// boundary inserts the separator an element implies in rendered text.
func (s *scanner) boundary(name string) {
	if s.hidden() {
		return
	}
	switch name {
	case "td", "th":
		s.text.space()
		s.prose.space()
	case "address", "article", "aside", "blockquote", "body", "br", "caption",
		"center", "dd", "details", "dialog", "dir", "div", "dl", "dt",
		"fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
		"h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li",
		"listing", "main", "menu", "nav", "ol", "option", "p", "pre",
		"section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
		"button", "select":
		s.breakLine()
	}
}

// knownTags interns the tag names HTML acts on, so that looking a name up
// does not allocate. It is never modified.
var knownTags = func() map[string]string {
	m := make(map[string]string)
	for _, t := range strings.Fields(`a area link iframe frame base meta html form
		input script svg math template noembed noframes noscript plaintext style
		textarea title xmp td th address article aside blockquote body br
		caption center dd details dialog dir div dl dt fieldset figcaption
		figure footer h1 h2 h3 h4 h5 h6 header hgroup hr legend li listing main
		menu nav ol option p pre section summary table tbody tfoot thead tr ul
		button select b big code em embed head i img nobr ruby s small span
		strong strike sub sup tt u var`) {
		m[t] = t
	}
	return m
}()

// breaksOutOfForeign reports whether an HTML start tag ends foreign
// (SVG/MathML) content, per the HTML parsing rules.
func breaksOutOfForeign(name string) bool {
	switch name {
	case "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div",
		"dl", "dt", "em", "embed", "h1", "h2", "h3", "h4", "h5", "h6", "head",
		"hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p",
		"pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup",
		"table", "tt", "u", "ul", "var":
		return true
	}
	return false
}

func (s *scanner) finish() *Page {
	p := s.page
	p.Text = s.text.String()
	p.TextTruncated = s.text.truncated
	p.Signals.TextBytes = s.text.total
	p.Signals.ContentBytes = s.text.content
	p.Signals.NonLinkText = s.prose.String()
	if p.Base != "" && p.BaseURL != nil {
		if u, err := p.BaseURL.Parse(p.Base); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			p.BaseURL = u
		}
	} else if p.Base != "" {
		if u, err := url.Parse(p.Base); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			p.BaseURL = u
		}
	}
	return p
}

// lower returns an ASCII-lower-cased copy of b in the scanner's scratch
// buffer, valid until the next call.
func (s *scanner) lower(b []byte) []byte {
	s.scratch = append(s.scratch[:0], b...)
	for i, c := range s.scratch {
		if 'A' <= c && c <= 'Z' {
			s.scratch[i] = c + ('a' - 'A')
		}
	}
	return s.scratch
}

// cleanString converts b to a string that is valid UTF-8 and free of NULs.
func cleanString(b []byte) string {
	if utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 {
		return string(b)
	}
	return strings.ToValidUTF8(strings.ReplaceAll(string(b), "\x00", ""), "\uFFFD")
}

// asciiEqualFold is strings.EqualFold for an ASCII-lowercase target.
func asciiEqualFold(b []byte, lowerTarget string) bool {
	if len(b) != len(lowerTarget) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lowerTarget[i] {
			return false
		}
	}
	return true
}
