package extract

import (
	"reflect"
	"testing"
)

func TestSignals(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want AccessSignals // NonLinkText and byte counts are checked only if set
	}{
		{
			name: "login form by action",
			doc:  `<form action="/user/login" method=post><input name=u><input type="Password" name=p></form>`,
			want: AccessSignals{Forms: 1, LoginForms: 1, PasswordInputs: 1},
		},
		{
			name: "login form by id, class, name, chinese",
			doc: `<form id="signin-form"></form><form class="LoginBox"></form><form name="logon"></form>` +
				`<form action="/oauth/authorize"></form><form class="登录框"></form><form action="/session"></form>`,
			want: AccessSignals{Forms: 6, LoginForms: 6},
		},
		{
			name: "author and search forms are not login forms",
			doc:  `<form id="author-search" action="/authors"></form><form action="/search" class="search"><input type=text></form>`,
			want: AccessSignals{Forms: 2},
		},
		{
			name: "password input outside a form",
			doc:  `<div><input type=password><input type=" password "></div>`,
			want: AccessSignals{PasswordInputs: 2},
		},
		{
			name: "captcha widgets",
			doc: `<div class="g-recaptcha" data-sitekey=x></div><div class="h-captcha"></div><div id="cf-turnstile-1"></div>` +
				`<img id="captcha_img"><div class="geetest_holder"></div>`,
			want: AccessSignals{CaptchaMarkers: []string{"g-recaptcha", "captcha", "h-captcha", "cf-turnstile", "geetest"}},
		},
		{
			name: "cloudflare challenge page",
			doc:  `<title>Just a moment...</title><div id="challenge-form"></div><script>window._cf_chl_opt={cvId:'3'};</script>`,
			want: AccessSignals{CaptchaMarkers: []string{"cf-challenge"}},
		},
		{
			name: "captcha scripts",
			doc:  `<script src="https://www.google.com/recaptcha/api.js"></script><script src="https://js.hcaptcha.com/1/api.js"></script><script src="https://static.geetest.com/v4/gt4.js"></script>`,
			want: AccessSignals{CaptchaMarkers: []string{"g-recaptcha", "h-captcha", "geetest"}},
		},
		{
			name: "paywall classes",
			doc:  `<div class="article paywall-overlay"></div><section id="subscriber-only-body"></section><div class="Premium-Content metered-gate"></div><div class="regwall"></div>`,
			want: AccessSignals{PaywallMarkers: []string{"paywall", "subscriber-only", "premium-content", "metered", "regwall"}},
		},
		{
			name: "schema.org json-ld",
			doc:  `<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree": "False","hasPart":{}}</script>`,
			want: AccessSignals{NotAccessibleForFree: true},
		},
		{
			name: "schema.org json-ld free",
			doc:  `<script type="application/ld+json">{"isAccessibleForFree": true}</script>`,
			want: AccessSignals{},
		},
		{
			name: "isAccessibleForFree in ordinary script is ignored",
			doc:  `<script>var related=[{"isAccessibleForFree":false}]</script>`,
			want: AccessSignals{},
		},
		{
			name: "schema.org microdata",
			doc:  `<div itemscope><meta itemprop="isAccessibleForFree" content="false"></div>`,
			want: AccessSignals{NotAccessibleForFree: true},
		},
		{
			name: "text accounting",
			doc:  `<title>T</title><nav><a href=/>Home</a> <a href=/login>登录</a></nav><p>Body text</p><form><label>Name</label></form>`,
			want: AccessSignals{Forms: 1, TextBytes: 1 + 4 + 6 + 8 + 4, ContentBytes: 1 + 8, NonLinkText: "T\nBody text\nName"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := HTML([]byte(tc.doc), nil, Options{}).Signals
			if tc.want.TextBytes == 0 {
				got.TextBytes, got.ContentBytes, got.NonLinkText = 0, 0, ""
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Signals =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestMentionsLogin(t *testing.T) {
	tests := map[string]bool{
		"/login": true, "/accounts/signin": true, "sign_in": true, "/auth": true,
		"/oauth2/token": true, "loginform": true, "用户登录": true, "登入": true,
		"author": false, "/authors/list": false, "/search": false, "": false,
		"authority author auth": true, "newsletter": false,
	}
	for in, want := range tests {
		if got := mentionsLogin([]byte(in)); got != want {
			t.Errorf("mentionsLogin(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"\uFEFFstart", "start"},
		{"a\x00b\x01c\x1bd\x7fe", "abcde"},
		{"tab\there", "tab\there"},
		{"c1\u0085\u009fctl", "c1ctl"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"中文\r\n", "中文\n"},
		{"keep  two  spaces", "keep  two  spaces"},
		{"mid\uFEFFbom", "mid\uFEFFbom"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Text([]byte(tc.in)); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
