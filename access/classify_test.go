package access

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/scruple/scruple/extract"
)

func TestClassifyStatus(t *testing.T) {
	tests := []struct {
		status int
		want   Verdict
	}{
		{200, Verdict{true, ReasonPublic}},
		{203, Verdict{true, ReasonPublic}},
		{401, Verdict{false, Reason401}},
		{402, Verdict{false, Reason402}},
		{403, Verdict{false, Reason403}},
		{407, Verdict{false, Reason407}},
		{451, Verdict{false, Reason451}},
		{511, Verdict{false, Reason511}},
		// Not access refusals: the caller handles errors and redirects.
		{404, Verdict{true, ReasonPublic}},
		{429, Verdict{true, ReasonPublic}},
		{500, Verdict{true, ReasonPublic}},
		{301, Verdict{true, ReasonPublic}},
	}
	article := extract.HTML([]byte("<title>News</title><p>"+strings.Repeat("Plain public article text. ", 100)), nil, extract.Options{})
	for _, tc := range tests {
		for _, page := range []*extract.Page{nil, article} {
			if got := Classify(tc.status, nil, page, nil); got != tc.want {
				t.Errorf("Classify(%d, page=%v) = %+v, want %+v", tc.status, page != nil, got, tc.want)
			}
		}
	}
	if !strings.HasPrefix(Reason401, "http 401") || !strings.HasPrefix(Reason451, "http 451") {
		t.Error("status reasons must start with the status code")
	}
}

func TestClassifyHeader(t *testing.T) {
	h := http.Header{}
	h.Set("Cf-Mitigated", "challenge")
	if got := Classify(200, h, nil, nil); got.Public || got.Reason != ReasonChallenge {
		t.Errorf("cf-mitigated: got %+v", got)
	}
	if got := Classify(503, h, nil, nil); got.Public || got.Reason != ReasonChallenge {
		t.Errorf("cf-mitigated 503: got %+v", got)
	}
}

// classifyHTML is Classify on an HTML string served at rawURL.
func classifyHTML(t *testing.T, doc, rawURL string) Verdict {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return Classify(200, nil, extract.HTML([]byte(doc), u, extract.Options{}), u)
}

func TestClassifyRules(t *testing.T) {
	long := "<p>" + strings.Repeat("The council approved the budget for the new bridge on Tuesday. ", 40) + "</p>"
	longZH := "<p>" + strings.Repeat("市政府周二批准了新大桥的建设预算，工程预计明年春季完工。", 60) + "</p>"
	const article = "https://example.com/news/1.html"
	tests := []struct {
		name, doc, url string
		want           string // reason
	}{
		{"password form alone", `<title>Account</title><form><input type=password></form>`, article, ReasonLoginPassword},
		{"password form in header of long article", `<form action=/login><input type=password></form>` + long, article, ReasonPublic},
		{"password with login title and some prose", `<title>Sign in</title>` + long[:1500] + `<form><input type=password></form>`, article, ReasonLoginPassword},
		{"login form without password", `<form id=login><input name=phone></form><p>短信登录</p>`, article, ReasonLoginForm},
		{"login URL with password form", `<form><input type=password></form>` + long, "https://example.com/user/login?next=/a", ReasonLoginURL},
		{"login URL with little text", `<div id=app></div>`, "https://sso.example.com/x", ReasonLoginURL},
		{"login-ish URL with long article", long, "https://example.com/auth/guide", ReasonPublic},
		{"challenge title", `<title>Just a moment...</title><p>Checking your browser</p>`, article, ReasonChallenge},
		{"challenge title on a real article", `<title>Just a moment... a short story</title>` + long, article, ReasonPublic},
		{"recaptcha on comment form", long + `<form><div class=g-recaptcha></div></form>`, article, ReasonPublic},
		{"recaptcha interstitial", `<p>Please complete the check.</p><div class=g-recaptcha></div>`, article, ReasonChallenge},
		{"captcha text phrase", `<p>请完成下方安全验证后继续访问</p>`, article, ReasonChallenge},
		{"schema paywall", long + `<script type="application/ld+json">{"isAccessibleForFree":"false"}</script>`, article, ReasonPaywallSchema},
		{"strong phrase as button", long + `<a href=/sub class=btn>Subscribe to continue reading</a>`, article, ReasonPaywall},
		{"strong phrase in long paragraph", "<p>" + strings.Repeat("Publishers now show messages such as subscribe to continue reading. ", 5) + "</p>" + long, article, ReasonPublic},
		{"strong phrase in short teaser paragraph", "<p>" + strings.Repeat("The bridge budget grew again this year. ", 4) + "Subscribe to continue reading and get full access today, from one dollar a week, cancel anytime you like.</p>", article, ReasonPaywall},
		{"metered curly apostrophe", `<p>You’ve reached your limit of free articles.</p>` + long, article, ReasonMetered},
		{"weak phrase as sentence on teaser", `<p>市政府周二批准了新大桥的建设预算。</p><div>以下为付费内容，开通会员后阅读</div>`, article, ReasonPaywall},
		{"weak phrase as header link", `<a href=/vip>开通会员</a>` + longZH[:900], article, ReasonPublic},
		{"weak phrase as bare button", `<button>开通会员</button><p>市政府周二批准了新大桥的建设预算。</p>`, article, ReasonPublic},
		{"weak phrase on long page", `<div>以下为付费内容，开通会员后阅读</div>` + longZH, article, ReasonPublic},
		{"weak phrase in title", `<title>付费阅读的未来</title><h1>付费阅读的未来</h1><p>市政府周二批准了新大桥的建设预算。</p>`, article, ReasonPublic},
		{"login wall zh", `<p>大桥工程最新进展。</p><p>本帖内容登录后可见，请先登录</p>`, article, ReasonLoginWall},
		{"comment hint stays public", longZH[:1200] + `<p>登录后评论，文明发言</p>`, article, ReasonPublic},
		{"paywall markup on short page", `<h1>Budget</h1><div class="paywall-overlay"></div>`, article, ReasonPaywallMarkup},
		{"paywall markup on long page", `<div class="paywall">` + long + `</div>`, article, ReasonPublic},
		{"password article", "<title>Password tips</title>" + strings.Repeat("<p>Use a password manager and a long password; log in to continue only on sites you trust, and never reuse a password.</p>", 3) + long, article, ReasonPublic},
		{"empty page", ``, article, ReasonPublic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := classifyHTML(t, tc.doc, tc.url)
			if got.Reason != tc.want || got.Public != (tc.want == ReasonPublic) {
				t.Errorf("got %+v, want reason %q", got, tc.want)
			}
		})
	}
}

func TestIsLoginURL(t *testing.T) {
	tests := map[string]bool{
		"https://example.com/login":                               true,
		"https://example.com/Login?next=/a":                       true,
		"https://example.com/user/login":                          true,
		"https://example.com/users/sign_in":                       true,
		"https://example.com/signin.html":                         true,
		"https://example.com/wp-login.php":                        true,
		"https://example.com/accounts/ServiceLogin":               true,
		"https://example.com/passport/":                           true,
		"https://example.com/sso/start":                           true,
		"https://example.com/auth":                                true,
		"https://passport.example.cn/x":                           true,
		"https://login.example.com/":                              true,
		"https://example.com/member.php?mod=logging&action=login": true,
		"https://example.com/":                                    false,
		"https://example.com/news/2024/login-tips-for-seniors":    false,
		"https://example.com/blog/how-to-log-in-safely":           false,
		"https://example.com/authors/jane":                        false,
		"https://example.com/passports/renewal":                   false,
		"https://loginexample.com/news":                           false,
	}
	for raw, want := range tests {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := IsLoginURL(u); got != want {
			t.Errorf("IsLoginURL(%s) = %v, want %v", raw, got, want)
		}
	}
	if IsLoginURL(nil) {
		t.Error("IsLoginURL(nil) = true")
	}
}

// TestPhraseTable guards the table's invariants: lower case (matching
// lower-cases the text) and no duplicates.
func TestPhraseTable(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range wallPhrases {
		if p.text != strings.ToLower(p.text) || strings.TrimSpace(p.text) != p.text || p.text == "" {
			t.Errorf("phrase %q must be trimmed lower case", p.text)
		}
		if seen[p.text] {
			t.Errorf("duplicate phrase %q", p.text)
		}
		seen[p.text] = true
	}
	for _, list := range [][]string{challengeTitles, loginTitleWords} {
		for _, s := range list {
			if s != strings.ToLower(s) {
				t.Errorf("title word %q must be lower case", s)
			}
		}
	}
}
