package serve

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
)

//go:embed console/*.html
var templateFS embed.FS

//go:embed console/static
var staticFS embed.FS

// console renders the server-side pages: usable without JavaScript; the
// one script only refreshes the status figures.
type console struct {
	pages  map[string]*template.Template
	static http.Handler
}

var consolePages = []string{"signin", "status", "records", "consents", "lookup", "verify", "error"}

func newConsole() (*console, error) {
	funcs := template.FuncMap{
		"join": func(s []string) string { return strings.Join(s, ", ") },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02")
		},
		"excerpt": func(s string) string {
			if len(s) <= 160 {
				return s
			}
			n := 160
			for n > 0 && !utf8.RuneStart(s[n]) {
				n--
			}
			return s[:n] + "…"
		},
		"state": func(c ConsentView) string { return string(c.State) },
	}
	c := &console{pages: map[string]*template.Template{}}
	for _, p := range consolePages {
		t, err := template.New(p).Funcs(funcs).ParseFS(templateFS, "console/layout.html", "console/"+p+".html")
		if err != nil {
			return nil, err
		}
		c.pages[p] = t
	}
	sub, err := fs.Sub(staticFS, "console/static")
	if err != nil {
		return nil, err
	}
	c.static = http.StripPrefix("/static/", http.FileServerFS(sub))
	return c, nil
}

// pageData is what every page template gets.
type pageData struct {
	L          map[string]string
	Lang       string
	Title      string
	Active     string
	CSRF       string
	Label      string
	Role       string
	CanOperate bool
	Flash      string
	Errors     []FieldError
	Form       map[string]string
	Filter     url.Values
	// NextQuery is the query of the next page's link, typed so that
	// html/template keeps its = and & (a string is escaped whole into one
	// key, and the link led back to the first page).
	NextQuery template.URL
	Status    *StatusView
	Records   *RecordsView
	Consents  *ConsentsView
	Lookup    *LookupView
}

const langCookie = "scruple_lang"

// pageLang picks the console language: ?lang=, then the cookie a ?lang=
// set, then Accept-Language.
func pageLang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", SameSite: http.SameSiteStrictMode, HttpOnly: true})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "zh") {
		return "zh"
	}
	return "en"
}

func (s *Server) page(w http.ResponseWriter, r *http.Request, name string, status int, d *pageData) {
	lang := pageLang(w, r)
	d.Lang, d.L = lang, messages[lang]
	d.Errors = maskErrors(d.Errors)
	if d.Title == "" {
		d.Title = d.L[name]
	}
	if p := who(r); p != nil {
		d.Label, d.Role, d.CanOperate = p.token.Label, p.token.Role.String(), p.token.Role >= RoleOperator
		if p.session != nil {
			d.CSRF = p.session.csrf
		}
	}
	var buf bytes.Buffer
	if err := s.console.pages[name].ExecuteTemplate(&buf, "layout", d); err != nil {
		s.log.Error("template", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (c *console) errorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	lang := pageLang(w, r)
	d := &pageData{L: messages[lang], Lang: lang, Title: http.StatusText(status),
		Errors: []FieldError{{Rule: map[int]string{401: "unauthenticated", 403: "forbidden", 429: "rate_limited"}[status], Message: msg}}}
	var buf bytes.Buffer
	if err := c.pages["error"].ExecuteTemplate(&buf, "layout", d); err != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) consoleRoutes() []route {
	return []route{
		{method: "GET", path: "/static/", role: RoleNone, h: s.console.static.ServeHTTP},
		{method: "GET", path: "/signin", role: RoleNone, page: true, h: s.pageSignin},
		{method: "POST", path: "/signin", role: RoleNone, page: true, h: s.pageSigninPost},
		{method: "POST", path: "/signout", role: RoleViewer, page: true, h: s.pageSignout},
		{method: "GET", path: "/{$}", role: RoleViewer, page: true, h: s.pageStatus},
		{method: "GET", path: "/records", role: RoleViewer, page: true, h: s.pageRecords},
		{method: "GET", path: "/consents", role: RoleViewer, page: true, h: s.pageConsents},
		{method: "POST", path: "/consents", role: RoleOperator, page: true, h: s.pageGrant},
		{method: "POST", path: "/consents/{id}/withdraw", role: RoleOperator, page: true, h: s.pageWithdraw},
		{method: "POST", path: "/refusals", role: RoleOperator, page: true, h: s.pageRefuse},
		{method: "GET", path: "/lookup", role: RoleOperator, page: true, h: s.pageLookup},
		{method: "POST", path: "/lookup", role: RoleOperator, page: true, h: s.pageLookupPost},
		{method: "GET", path: "/verify", role: RoleViewer, page: true, h: s.pageVerify},
		{method: "POST", path: "/verify", role: RoleViewer, page: true, upload: true, h: s.pageVerifyPost},
	}
}

func (s *Server) pageSignin(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "signin", http.StatusOK, &pageData{})
}

// pageSigninPost exchanges a token for a session. There is no session yet
// to hold a CSRF token, so a cross-site sign-in is refused by Origin; the
// attacker would need a valid token anyway.
//
// The token is checked before the failure limit (as in authenticate): a
// valid token signs in whatever its address's neighbours sent.
func (s *Server) pageSigninPost(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.page(w, r, "signin", http.StatusForbidden, &pageData{Errors: []FieldError{{"", "forbidden", "cross-site sign-in refused"}}})
		return
	}
	info, ok := s.cfg.Tokens.Authenticate(strings.TrimSpace(r.PostFormValue("token")))
	if !ok {
		_, status, msg := s.authFailed(r, "unknown or revoked token")
		rule := "unauthenticated"
		if status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", strconv.Itoa(int(failureWindow.Seconds())))
			rule = "rate_limited"
		}
		s.page(w, r, "signin", status, &pageData{Errors: []FieldError{{"token", rule, msg}}})
		return
	}
	v, _ := s.sessions.create(info.ID)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: v, Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL.Seconds())})
	s.log.Info("signed in", "token", info.Label)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) pageSignout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.drop(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) pageStatus(w http.ResponseWriter, r *http.Request) {
	v, err := s.status(r.Context())
	if err != nil {
		s.log.Error("status", "err", err)
		s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
		return
	}
	s.page(w, r, "status", http.StatusOK, &pageData{Active: "status", Status: v})
}

func (s *Server) pageRecords(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	q.Del("lang")
	v, fes := s.records(r.Context(), q)
	d := &pageData{Active: "records", Filter: q, Errors: fes, Records: v}
	if v != nil && v.Next != "" {
		nq := url.Values{}
		for _, k := range []string{"host", "kind", "type", "limit"} {
			if q.Get(k) != "" {
				nq.Set(k, q.Get(k))
			}
		}
		nq.Set("cursor", v.Next)
		d.NextQuery = template.URL(nq.Encode())
	}
	status := http.StatusOK
	if fes != nil {
		status = http.StatusBadRequest
	}
	s.page(w, r, "records", status, d)
}

func (s *Server) consentsPage(w http.ResponseWriter, r *http.Request, status int, d *pageData) {
	// A page of the ledger: the cursor of a GET, else (after a form) the
	// first page.
	after, limit := int64(0), defaultConsentPage
	if safeMethod(r.Method) {
		if a, l, fes := consentPage(r.URL.Query()); fes == nil {
			after, limit = a, l
		}
	}
	v, err := s.consents(r.Context(), nil, after, limit)
	if err != nil {
		s.log.Error("consents", "err", err)
		s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
		return
	}
	d.Active, d.Consents = "consents", v
	if v.Next != "" {
		d.NextQuery = template.URL(url.Values{"cursor": {v.Next}, "limit": {strconv.Itoa(limit)}}.Encode())
	}
	s.page(w, r, "consents", status, d)
}

func (s *Server) pageConsents(w http.ResponseWriter, r *http.Request) {
	s.consentsPage(w, r, http.StatusOK, &pageData{})
}

// splitList reads a list typed into one field: commas, 、 or new lines.
func splitList(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' || r == '、' || r == '，' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) pageGrant(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	f := r.PostForm
	g := consent.Grant{SubjectType: pii.Type(strings.TrimSpace(f.Get("subject_type"))), Subject: f.Get("subject"),
		Purpose: f.Get("purpose"), Processor: f.Get("processor"), Method: f.Get("method"), Evidence: strings.TrimSpace(f.Get("evidence")),
		Recipients: splitList(f.Get("recipients")), Separate: f.Get("separate") != "", Guardian: f.Get("guardian") != "",
		GrantedAt: s.now().UTC()}
	for _, t := range splitList(f.Get("types")) {
		g.Types = append(g.Types, pii.Type(t))
	}
	var fes []FieldError
	if e := f.Get("expires_at"); e != "" {
		t, err := time.Parse("2006-01-02", e)
		if err != nil {
			fes = append(fes, FieldError{"expires_at", "format", "a date (YYYY-MM-DD)"})
		}
		g.ExpiresAt = t.UTC()
	}
	// The form is shown again with what was typed, except the subject and
	// any field holding a personal value: such a field comes back empty,
	// not masked, so that a resubmitted form never records "[cn_mobile]"
	// as the terms the subject agreed to (the field's error says to type
	// it again).
	form := map[string]string{}
	var retype []FieldError
	for _, k := range []string{"subject_type", "types", "purpose", "processor", "recipients", "method", "evidence", "expires_at", "separate", "guardian"} {
		v := f.Get(k)
		if m := maskText(v); m != v {
			retype = append(retype, FieldError{k, "retype", "held a personal value, which is not shown again: type this field again"})
			continue
		}
		form[k] = v
	}
	if fes == nil {
		c, created, err := s.grant(r.Context(), r, g)
		if err == nil {
			msg := "granted"
			if !created {
				msg = "already_granted"
			}
			s.consentsPage(w, r, http.StatusOK, &pageData{Flash: messages[pageLang(w, r)][msg] + " " + c.ID})
			return
		}
		if cfs, ok := conflictErrors(err); ok {
			s.consentsPage(w, r, http.StatusConflict, &pageData{Errors: append(cfs, retype...), Form: form})
			return
		}
		var ok bool
		if fes, ok = ruleErrors(err); !ok {
			s.log.Error("grant", "err", err)
			s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
			return
		}
	}
	s.consentsPage(w, r, http.StatusUnprocessableEntity, &pageData{Errors: append(fes, retype...), Form: form})
}

func (s *Server) pageWithdraw(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := s.withdraw(r.Context(), r, id)
	if err != nil {
		if scruple.ErrorCode(err) == scruple.ENOTFOUND {
			s.consentsPage(w, r, http.StatusNotFound, &pageData{Errors: []FieldError{{"id", "not_found", "no such consent"}}})
			return
		}
		if cfs, ok := conflictErrors(err); ok {
			s.consentsPage(w, r, http.StatusConflict, &pageData{Errors: cfs})
			return
		}
		s.log.Error("withdraw", "err", err)
		s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
		return
	}
	L := messages[pageLang(w, r)]
	s.consentsPage(w, r, http.StatusOK, &pageData{Flash: strings.NewReplacer("{id}", id, "{n}", strconv.Itoa(n)).Replace(L["withdrawn"])})
}

func (s *Server) pageRefuse(w http.ResponseWriter, r *http.Request) {
	req := subjectRequest{SubjectType: pii.Type(strings.TrimSpace(r.PostFormValue("subject_type"))), Subject: r.PostFormValue("subject")}
	c, n, err := s.refuse(r.Context(), r, req)
	if err != nil {
		if fes, ok := ruleErrors(err); ok {
			s.consentsPage(w, r, http.StatusUnprocessableEntity, &pageData{Errors: fes})
			return
		}
		if cfs, ok := conflictErrors(err); ok {
			s.consentsPage(w, r, http.StatusConflict, &pageData{Errors: cfs})
			return
		}
		s.log.Error("refuse", "err", err)
		s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
		return
	}
	L := messages[pageLang(w, r)]
	s.consentsPage(w, r, http.StatusOK, &pageData{Flash: strings.NewReplacer("{id}", c.ID, "{n}", strconv.Itoa(n)).Replace(L["refused_done"])})
}

func (s *Server) pageLookup(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "lookup", http.StatusOK, &pageData{Active: "lookup"})
}

func (s *Server) pageLookupPost(w http.ResponseWriter, r *http.Request) {
	req := subjectRequest{SubjectType: pii.Type(strings.TrimSpace(r.PostFormValue("subject_type"))), Subject: r.PostFormValue("subject")}
	v, err := s.lookup(r.Context(), req)
	if err != nil {
		if fes, ok := ruleErrors(err); ok {
			s.page(w, r, "lookup", http.StatusUnprocessableEntity, &pageData{Active: "lookup", Errors: fes})
			return
		}
		s.log.Error("lookup", "err", err)
		s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
		return
	}
	s.page(w, r, "lookup", http.StatusOK, &pageData{Active: "lookup", Lookup: v})
}

func (s *Server) pageVerify(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "verify", http.StatusOK, &pageData{Active: "verify"})
}

func (s *Server) pageVerifyPost(w http.ResponseWriter, r *http.Request) {
	lang, _ := langOf(r)
	body, err := uploadBody(r)
	if err == nil {
		rp, verr := s.verifyUpload(r.Context(), body, lang)
		if verr == nil {
			var buf bytes.Buffer
			if err := rp.WriteHTML(&buf); err == nil {
				w.Header().Set("Content-Security-Policy", reportCSP)
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				_, _ = w.Write(buf.Bytes())
				return
			}
		}
		err = verr
	}
	if ue, ok := err.(*uploadError); ok {
		s.page(w, r, "verify", ue.status, &pageData{Active: "verify", Errors: []FieldError{ue.fe}})
		return
	}
	s.log.Error("verify", "err", err)
	s.console.errorPage(w, r, http.StatusInternalServerError, "internal error (logged on the server)")
}
