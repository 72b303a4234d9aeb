package urls

import "strings"

// Session identifiers in URLs make one page reachable under endless URLs:
// servers that cannot set a cookie put the session in every link, and a
// crawler without cookies is given a fresh one on every visit. They carry
// nothing about the page, so the canonical URL drops them: the well-known
// query parameters and path parameters (;jsessionid=), and ASP.NET's
// cookieless session segment /(S(...))/. Parameters with other names whose
// value changes on every visit are found by the crawler from the pages'
// text (see crawler/traps.go).

// sessionParams are the well-known session parameter names, lower-cased.
// "sid" is dropped only when its value looks like a token (6 or more
// characters), since short sid values are often site or section ids.
var sessionParams = map[string]int{
	"jsessionid": 0, "phpsessid": 0, "sessionid": 0, "session_id": 0, "sessid": 0,
	"asp.net_sessionid": 0, "aspsessionid": 0, "cfid": 0, "cftoken": 0, "sid": 6,
	"zenid": 0, "oscsid": 0, "s_sid": 0,
}

// IsSessionParam reports whether a query parameter name=value is a
// well-known session identifier.
func IsSessionParam(name, value string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "aspsessionid") { // ASPSESSIONIDQQGGQGPB=...
		n = "aspsessionid"
	}
	minLen, ok := sessionParams[n]
	return ok && len(value) >= minLen
}

// stripSessionQuery drops session parameters from a raw query.
func stripSessionQuery(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	out := parts[:0]
	for _, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		if IsSessionParam(unescapeName(k), v) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "&")
}

func unescapeName(k string) string {
	if strings.IndexByte(k, '%') < 0 && strings.IndexByte(k, '+') < 0 {
		return k
	}
	return strings.NewReplacer("%2E", ".", "%2e", ".", "%5F", "_", "%5f", "_", "+", " ").Replace(k)
}

// stripSessionPath drops ;name=value path parameters that name a session
// (;jsessionid=..., ;phpsessid=...) from every segment, and ASP.NET
// cookieless session segments such as (S(lit3py55t21z5v55vlm25s55)).
func stripSessionPath(p string) string {
	if strings.IndexByte(p, ';') < 0 && !strings.Contains(p, "(S(") && !strings.Contains(p, "(s(") {
		return p
	}
	segs := strings.Split(p, "/")
	out := segs[:0]
	for i, s := range segs {
		if i > 0 && isCookielessSegment(s) {
			continue
		}
		if j := strings.IndexByte(s, ';'); j >= 0 {
			params := strings.Split(s[j+1:], ";")
			kept := []string{s[:j]}
			for _, prm := range params {
				k, v, _ := strings.Cut(prm, "=")
				if !IsSessionParam(k, v) {
					kept = append(kept, prm)
				}
			}
			s = strings.Join(kept, ";")
		}
		out = append(out, s)
	}
	return strings.Join(out, "/")
}

// isCookielessSegment matches ASP.NET's (S(id)) and (X(1)S(id)) segments.
func isCookielessSegment(s string) bool {
	if len(s) < 6 || s[0] != '(' || s[len(s)-1] != ')' {
		return false
	}
	return strings.Contains(strings.ToUpper(s), "S(")
}
