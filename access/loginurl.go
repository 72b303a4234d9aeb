package access

import (
	"net/url"
	"path"
	"strings"
)

// loginSegments are path segments (lower-cased, extension removed) that name
// a login or single-sign-on endpoint.
var loginSegments = map[string]bool{
	"login": true, "log-in": true, "log_in": true, "logon": true,
	"signin": true, "sign-in": true, "sign_in": true,
	"passport": true, "sso": true, "auth": true, "cas": true,
	"authorize": true, "authenticate": true, "servicelogin": true,
}

// loginHostLabels are first host labels of dedicated login hosts, as in
// passport.example.cn or login.example.com.
var loginHostLabels = map[string]bool{
	"login": true, "signin": true, "passport": true, "sso": true,
	"auth": true, "cas": true,
}

// loginQueryValues are query values that route a generic script to its
// login action, as in member.php?mod=logging&action=login.
var loginQueryValues = map[string]bool{
	"login": true, "signin": true, "logon": true, "logging": true,
}

// IsLoginURL reports whether u looks like a login page: a path segment such
// as /login, /signin, /user/login, /passport, /sso, /auth or login.php, a
// segment that begins or ends with "login" (userlogin, login_form), a host
// such as passport.example.com, or a query routing to a login action. It
// looks only at the URL and never fetches it; /blog/how-to-login-safely is
// not a login URL because no segment is a login word.
func IsLoginURL(u *url.URL) bool {
	if u == nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if i := strings.IndexByte(host, '.'); i > 0 && loginHostLabels[host[:i]] {
		return true
	}
	for _, seg := range strings.Split(strings.ToLower(u.Path), "/") {
		seg = strings.TrimSuffix(seg, path.Ext(seg))
		if seg == "" {
			continue
		}
		if loginSegments[seg] {
			return true
		}
		if len(seg) <= 20 && (strings.HasPrefix(seg, "login") || strings.HasSuffix(seg, "login")) {
			return true
		}
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if loginQueryValues[strings.ToLower(v)] {
				return true
			}
		}
	}
	return false
}
