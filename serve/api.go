package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// buildRoutes lists every route. The OpenAPI test walks this list, so a
// route cannot be added without being described.
func (s *Server) buildRoutes() []route {
	rs := []route{
		{method: "GET", path: "/api/openapi.yaml", role: RoleNone, h: s.openAPI},
		{method: "GET", path: "/metrics", role: RoleViewer, h: s.metricsHandler()},
		{method: "GET", path: "/api/v1/status", role: RoleViewer, h: s.apiStatus},
		{method: "GET", path: "/api/v1/records", role: RoleViewer, h: s.apiRecords},
		{method: "GET", path: "/api/v1/consents", role: RoleViewer, h: s.apiConsents},
		{method: "GET", path: "/api/v1/consents/{id}", role: RoleViewer, h: s.apiConsent},
		{method: "POST", path: "/api/v1/consents", role: RoleOperator, h: s.apiGrant},
		{method: "POST", path: "/api/v1/consents/{id}/withdraw", role: RoleOperator, h: s.apiWithdraw},
		{method: "POST", path: "/api/v1/refusals", role: RoleOperator, h: s.apiRefuse},
		{method: "POST", path: "/api/v1/subjects/lookup", role: RoleOperator, h: s.apiLookup},
		{method: "GET", path: "/api/v1/report", role: RoleViewer, h: s.apiReport},
		{method: "POST", path: "/api/v1/verify", role: RoleViewer, upload: true, h: s.apiVerify},
		{method: "GET", path: "/api/v1/tokens", role: RoleAdmin, h: s.apiTokens},
		{method: "POST", path: "/api/v1/tokens", role: RoleAdmin, h: s.apiTokenCreate},
		{method: "POST", path: "/api/v1/tokens/{id}/revoke", role: RoleAdmin, h: s.apiTokenRevoke},
	}
	return append(rs, s.consoleRoutes()...)
}

// decodeJSON reads one JSON object into v, refusing unknown fields (a
// misspelt "expires_at" must not mean "no expiry") and trailing data. It
// answers the request itself when the body is bad.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "", "content_type", "send application/json")
		return false
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			err = errors.New("more than one JSON value")
		}
	}
	if err == nil {
		return true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, "", "body_too_large", fmt.Sprintf("request body over the limit of %d bytes", mbe.Limit))
		return false
	}
	writeError(w, http.StatusBadRequest, jsonField(err), "json", jsonMessage(err))
	return false
}

// jsonField names the field a decoding error is about, when it says.
func jsonField(err error) string {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return ute.Field
	}
	if m := unknownFieldRe.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return ""
}

var unknownFieldRe = regexp.MustCompile(`unknown field "([a-z_]{1,40})"`)

// jsonMessage explains a decoding error without quoting the input: a time
// parse error, for one, repeats the text it could not parse.
func jsonMessage(err error) string {
	var te *time.ParseError
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return "not an RFC 3339 time (e.g. 2027-01-31T00:00:00+08:00)"
	case errors.As(err, &ute):
		return "wrong JSON type: want " + ute.Type.String()
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d", se.Offset)
	case unknownFieldRe.MatchString(err.Error()):
		return "unknown field"
	case errors.Is(err, io.EOF):
		return "empty body: send a JSON object"
	}
	return "not a valid JSON object for this endpoint"
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	if storeError(w, err) {
		// Store errors name tables and files, never a subject: the ledger
		// and stores keep values out of their messages.
		s.log.Error("internal error", "route", r.Pattern, "err", err)
	}
}

// StatusView is GET /api/v1/status.
type StatusView struct {
	Time         time.Time              `json:"time"`
	Frontier     FrontierView           `json:"frontier"`
	Progress     float64                `json:"progress"`
	Records      map[scruple.Kind]int64 `json:"records"`
	RecordsTotal int64                  `json:"records_total"`
	Refusals     RefusalsView           `json:"refusals"`
	Deferred     int64                  `json:"deferred"`
	LogEntries   int64                  `json:"log_entries"`
	Hosts        []scruple.HostState    `json:"hosts"`
}

// FrontierView counts the frontier's URLs by state.
type FrontierView struct {
	Queued int64 `json:"queued"`
	Leased int64 `json:"leased"`
	Done   int64 `json:"done"`
}

// RefusalsView counts the URLs the crawl refused or was refused.
type RefusalsView struct {
	Robots    int64 `json:"robots"`
	NonPublic int64 `json:"nonpublic"`
	Blocked   int64 `json:"blocked"`
	Traps     int64 `json:"traps"`
}

// maxHosts bounds the per-host table of the status.
const maxHosts = 200

// statusTTL is how long a computed status is reused. Record counts scan
// the records table (no index by kind), so each open console polling
// every 2 s would otherwise cost a scan; with the cache every console
// together costs at most one computation per second.
const statusTTL = time.Second

func (s *Server) status(ctx context.Context) (*StatusView, error) {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	if s.statusView != nil && s.now().Sub(s.statusAt) < statusTTL && s.now().After(s.statusAt) {
		return s.statusView, nil
	}
	v, err := s.computeStatus(ctx)
	if err != nil {
		return nil, err
	}
	s.statusView, s.statusAt = v, s.now()
	return v, nil
}

func (s *Server) computeStatus(ctx context.Context) (*StatusView, error) {
	fc, err := s.cfg.Store.Counts(ctx)
	if err != nil {
		return nil, err
	}
	rc, err := s.cfg.Store.RecordCounts(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.cfg.Store.LogSize(ctx)
	if err != nil {
		return nil, err
	}
	v := &StatusView{Time: s.now().UTC(), Frontier: FrontierView{fc.Queued, fc.Leased, fc.Done},
		Records: rc, LogEntries: n, Hosts: []scruple.HostState{},
		Refusals: RefusalsView{Robots: rc[scruple.KindDisallowed], NonPublic: rc[scruple.KindNonPublic],
			Blocked: rc[scruple.KindBlocked], Traps: rc[scruple.KindTrap]},
		Deferred: rc[scruple.KindDeferred]}
	for _, c := range rc {
		v.RecordsTotal += c
	}
	if all := fc.Queued + fc.Leased + fc.Done; all > 0 {
		v.Progress = float64(fc.Done) / float64(all)
	}
	if hl, ok := s.cfg.Store.(scruple.HostLister); ok {
		hs, err := hl.HostStates(ctx, maxHosts)
		if err != nil {
			return nil, err
		}
		if hs != nil {
			v.Hosts = hs
		}
	}
	return v, nil
}

func (s *Server) apiStatus(w http.ResponseWriter, r *http.Request) {
	v, err := s.status(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// Record page bounds: a page is at most maxPage records, and a filtered
// query reads at most maxScan records before answering with a cursor, so
// one request costs a bounded amount however rare the match.
const (
	defaultPage = 50
	maxPage     = 200
	maxScan     = 5000
)

// RecordsView is GET /api/v1/records: a page and the cursor of the next
// ("" at the end).
type RecordsView struct {
	Records []*scruple.Record `json:"records"`
	Next    string            `json:"next"`
}

var typeRe = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

type recordFilter struct {
	host, typ string
	kind      scruple.Kind
}

func (f recordFilter) match(r *scruple.Record) bool {
	if f.kind != "" && r.Kind != f.kind {
		return false
	}
	if f.host != "" {
		u, err := url.Parse(r.URL)
		if err != nil || (u.Host != f.host && u.Hostname() != f.host) {
			return false
		}
	}
	if f.typ != "" {
		for _, fd := range r.Findings {
			if fd.Type == f.typ {
				return true
			}
		}
		return false
	}
	return true
}

func (s *Server) apiRecords(w http.ResponseWriter, r *http.Request) {
	v, fes := s.records(r.Context(), r.URL.Query())
	if fes != nil {
		writeErrors(w, http.StatusBadRequest, fes...)
		return
	}
	if v == nil {
		writeError(w, http.StatusInternalServerError, "", "internal", "internal error (logged on the server)")
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) records(ctx context.Context, q url.Values) (*RecordsView, []FieldError) {
	var fes []FieldError
	f := recordFilter{host: q.Get("host"), typ: q.Get("type"), kind: scruple.Kind(q.Get("kind"))}
	if f.kind != "" {
		if err := (&scruple.Record{URL: "x", Kind: f.kind}).Validate(); err != nil {
			fes = append(fes, FieldError{"kind", "enum", "unknown record kind"})
		}
	}
	if f.typ != "" && !typeRe.MatchString(f.typ) {
		fes = append(fes, FieldError{"type", "pattern", "a finding type id such as cn_mobile"})
	}
	if len(f.host) > 255 {
		fes = append(fes, FieldError{"host", "max_length", "a host name of at most 255 bytes"})
	}
	limit := defaultPage
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxPage {
			fes = append(fes, FieldError{"limit", "range", fmt.Sprintf("an integer from 1 to %d", maxPage)})
		}
		limit = n
	}
	var after int64
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			fes = append(fes, FieldError{"cursor", "format", "a cursor from a previous page's next"})
		}
		after = n
	}
	if fes != nil {
		return nil, fes
	}
	pager, ok := s.cfg.Store.(scruple.RecordPager)
	if !ok {
		return nil, []FieldError{{"", "unsupported", "this store cannot page records"}}
	}
	out := &RecordsView{Records: []*scruple.Record{}}
	scanned := 0
	for len(out.Records) < limit && scanned < maxScan {
		page, err := pager.RecordsAfter(ctx, after, min(maxPage, maxScan-scanned))
		if err != nil {
			s.log.Error("records page", "err", err)
			return nil, nil
		}
		if len(page) == 0 {
			return out, nil
		}
		for _, rec := range page {
			scanned++
			after = rec.ID
			if f.match(rec) {
				out.Records = append(out.Records, maskRecord(rec))
				if len(out.Records) == limit {
					break
				}
			}
		}
	}
	out.Next = strconv.FormatInt(after, 10)
	return out, nil
}

// ConsentView is a consent as the API shows it: without the subject's
// HMAC, which is a pseudonym of a person and of no use to a client.
type ConsentView struct {
	ID          string     `json:"id"`
	SubjectType string     `json:"subject_type"`
	Types       []string   `json:"types"`
	Purpose     string     `json:"purpose"`
	Processor   string     `json:"processor"`
	Recipients  []string   `json:"recipients"`
	Method      string     `json:"method"`
	Evidence    string     `json:"evidence"`
	Separate    bool       `json:"separate"`
	Guardian    bool       `json:"guardian"`
	GrantedAt   time.Time  `json:"granted_at"`
	ExpiresAt   time.Time  `json:"expires_at"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	Refused     bool       `json:"refused"`
	// State is scruple.Consent.State now: live, not yet, expired,
	// withdrawn or refused.
	State scruple.ConsentState `json:"state"`
	// Live says whether the consent allows processing now.
	Live bool `json:"live"`
}

// consentView is c as the API shows it at now; refusals are its subject's
// refusals, which end the grants dated at or before them (StateAmong).
func consentView(c *scruple.Consent, now time.Time, refusals []*scruple.Consent) ConsentView {
	st := c.StateAmong(now, refusals)
	// Free text is served masked: a purpose or recipient naming someone's
	// number (not the subject's own: the ledger refuses that) is stored as
	// typed, for the log's sake, but shown only as "[cn_mobile]".
	return ConsentView{ID: c.ID, SubjectType: c.SubjectType, Types: nonNil(c.Types), Purpose: maskText(c.Purpose),
		Processor: maskText(c.Processor), Recipients: maskTexts(c.Recipients), Method: maskText(c.Method), Evidence: c.Evidence,
		Separate: c.Separate, Guardian: c.Guardian, GrantedAt: c.GrantedAt, ExpiresAt: c.ExpiresAt,
		WithdrawnAt: c.WithdrawnAt, Refused: c.Refused, State: st, Live: st == scruple.ConsentLive}
}

// refusals returns the stored refusals by subject.
func (s *Server) refusals(ctx context.Context) (map[string][]*scruple.Consent, error) {
	out := map[string][]*scruple.Consent{}
	err := s.cfg.Store.Consents(ctx, func(c *scruple.Consent) error {
		if c.Refused {
			out[c.Subject] = append(out[c.Subject], c)
		}
		return nil
	})
	return out, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Consent page bounds: GET /api/v1/consents returns at most
// maxConsentPage consents and the cursor of the next page.
const (
	defaultConsentPage = 100
	maxConsentPage     = 1000
	// maxConsentsListed bounds a subject lookup's consents (one subject
	// has a handful; the bound only keeps an answer finite).
	maxConsentsListed = 5000
)

// ConsentsView is GET /api/v1/consents: a page of the ledger, in grant
// order, and the cursor of the next page ("" after the last). A cursor
// counts the consents before its page; consents are never deleted and a
// new one comes last, so a client following next sees each once.
type ConsentsView struct {
	Consents []ConsentView `json:"consents"`
	Next     string        `json:"next"`
}

var errEnough = errors.New("enough")

// consents returns up to limit consents keep accepts (nil: all), from the
// after'th consent of the ledger on, with the cursor of the next page.
func (s *Server) consents(ctx context.Context, keep func(*scruple.Consent) bool, after int64, limit int) (*ConsentsView, error) {
	now := s.now()
	refusals, err := s.refusals(ctx)
	if err != nil {
		return nil, err
	}
	v := &ConsentsView{Consents: []ConsentView{}}
	var pos int64
	err = s.cfg.Store.Consents(ctx, func(c *scruple.Consent) error {
		pos++
		if pos <= after || keep != nil && !keep(c) {
			return nil
		}
		if len(v.Consents) == limit {
			v.Next = strconv.FormatInt(pos-1, 10)
			return errEnough
		}
		v.Consents = append(v.Consents, consentView(c, now, refusals[c.Subject]))
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return nil, err
	}
	return v, nil
}

// consentPage reads GET /api/v1/consents' cursor and limit.
func consentPage(q url.Values) (after int64, limit int, fes []FieldError) {
	limit = defaultConsentPage
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxConsentPage {
			fes = append(fes, FieldError{"limit", "range", fmt.Sprintf("an integer from 1 to %d", maxConsentPage)})
		}
		limit = n
	}
	if c := q.Get("cursor"); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil || n < 0 {
			fes = append(fes, FieldError{"cursor", "format", "a cursor from a previous page's next"})
		}
		after = n
	}
	return after, limit, fes
}

func (s *Server) apiConsents(w http.ResponseWriter, r *http.Request) {
	after, limit, fes := consentPage(r.URL.Query())
	if fes != nil {
		writeErrors(w, http.StatusBadRequest, fes...)
		return
	}
	v, err := s.consents(r.Context(), nil, after, limit)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiConsent(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Store.Consent(r.Context(), r.PathValue("id"))
	if err != nil {
		s.internal(w, r, err)
		return
	}
	refusals, err := s.refusals(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, consentView(c, s.now(), refusals[c.Subject]))
}

// grantRequest is the body of POST /api/v1/consents: the consent import
// line's fields (consent.Grant), except evidence_file, which would make the
// server read a file of the client's choosing.
type grantRequest struct {
	SubjectType pii.Type   `json:"subject_type"`
	Subject     string     `json:"subject"`
	Types       []pii.Type `json:"types"`
	Purpose     string     `json:"purpose"`
	Processor   string     `json:"processor"`
	Recipients  []string   `json:"recipients"`
	Method      string     `json:"method"`
	Evidence    string     `json:"evidence"`
	GrantedAt   time.Time  `json:"granted_at"`
	ExpiresAt   time.Time  `json:"expires_at"`
	Separate    bool       `json:"separate"`
	Guardian    bool       `json:"guardian"`
}

func (g grantRequest) grant() consent.Grant {
	return consent.Grant{SubjectType: g.SubjectType, Subject: g.Subject, Types: g.Types, Purpose: g.Purpose,
		Processor: g.Processor, Recipients: g.Recipients, Method: g.Method, Evidence: g.Evidence,
		GrantedAt: g.GrantedAt, ExpiresAt: g.ExpiresAt, Separate: g.Separate, Guardian: g.Guardian}
}

// GrantView answers a grant: 201 with the consent's id, or 200 when the
// same consent was already granted (Created false).
type GrantView struct {
	ID      string      `json:"id"`
	Created bool        `json:"created"`
	Consent ConsentView `json:"consent"`
}

// actor names the token that made request r.
func actor(r *http.Request) Actor {
	if p := who(r); p != nil {
		return Actor{Label: p.token.Label, TokenID: p.token.ID}
	}
	return Actor{}
}

// grant grants g; created is false when the ledger already held the same
// consent live (an idempotent repeat: nothing written, nothing logged).
func (s *Server) grant(ctx context.Context, r *http.Request, g consent.Grant) (c *scruple.Consent, created bool, err error) {
	c, created, err = s.cfg.Ledger.Grant(ctx, g, actor(r))
	if err != nil {
		if _, ok := ruleErrors(err); ok {
			s.metrics.refused.Inc()
		}
		return nil, false, err
	}
	if created {
		s.metrics.grants.Inc()
		s.log.Info("consent granted", "consent", c.ID, "token", label(r))
	} else {
		s.log.Info("consent already granted", "consent", c.ID, "token", label(r))
	}
	return c, created, nil
}

func (s *Server) apiGrant(w http.ResponseWriter, r *http.Request) {
	var req grantRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	c, created, err := s.grant(r.Context(), r, req.grant())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	// A grant the ledger already held comes back as stored: a refusal may
	// have ended it since.
	refusals, err := s.refusals(r.Context())
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/consents/"+url.PathEscape(c.ID))
	status := http.StatusCreated
	if !created {
		// A client retrying a grant whose answer it lost gets the same
		// consent, not a second one: 200, nothing created.
		status = http.StatusOK
	}
	writeJSON(w, status, GrantView{ID: c.ID, Created: created, Consent: consentView(c, s.now(), refusals[c.Subject])})
}

// WithdrawView answers a withdrawal.
type WithdrawView struct {
	ID     string `json:"id"`
	Purged int    `json:"purged"`
}

func (s *Server) withdraw(ctx context.Context, r *http.Request, id string) (int, error) {
	n, err := s.cfg.Ledger.Withdraw(ctx, id, actor(r))
	if err != nil {
		return 0, err
	}
	s.metrics.withdrawals.Inc()
	s.metrics.purged.Add(float64(n))
	s.log.Info("consent withdrawn", "consent", id, "purged", n, "token", label(r))
	return n, nil
}

func (s *Server) apiWithdraw(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	n, err := s.withdraw(r.Context(), r, id)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, WithdrawView{ID: id, Purged: n})
}

// subjectRequest names a subject: POST refusals and subjects/lookup.
type subjectRequest struct {
	SubjectType pii.Type `json:"subject_type"`
	Subject     string   `json:"subject"`
}

func (s *Server) refuse(ctx context.Context, r *http.Request, req subjectRequest) (*scruple.Consent, int, error) {
	c, n, err := s.cfg.Ledger.Refuse(ctx, req.SubjectType, req.Subject, actor(r))
	if err != nil {
		return nil, 0, err
	}
	s.metrics.purged.Add(float64(n))
	s.log.Info("refusal recorded", "consent", c.ID, "purged", n, "token", label(r))
	return c, n, nil
}

func (s *Server) apiRefuse(w http.ResponseWriter, r *http.Request) {
	var req subjectRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	c, n, err := s.refuse(r.Context(), r, req)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, WithdrawView{ID: c.ID, Purged: n})
}

// LookupView answers a subject access request: the subject's consents and
// how many stored records hold values of theirs (kept under consent; every
// other value was redacted before storage).
type LookupView struct {
	SubjectType string        `json:"subject_type"`
	Consents    []ConsentView `json:"consents"`
	Records     int           `json:"records"`
}

func (s *Server) lookup(ctx context.Context, req subjectRequest) (*LookupView, error) {
	subject, err := s.cfg.Ledger.Subject(req.SubjectType, req.Subject)
	if err != nil {
		return nil, err
	}
	cv, err := s.consents(ctx, func(c *scruple.Consent) bool { return c.Subject == subject }, 0, maxConsentsListed)
	if err != nil {
		return nil, err
	}
	n := 0
	if err := s.cfg.Store.RecordsWithSubject(ctx, subject, func(*scruple.Record) error { n++; return nil }); err != nil {
		return nil, err
	}
	return &LookupView{SubjectType: string(req.SubjectType), Consents: cv.Consents, Records: n}, nil
}

func (s *Server) apiLookup(w http.ResponseWriter, r *http.Request) {
	var req subjectRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	v, err := s.lookup(r.Context(), req)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// reportCSP lets the report's own inline CSS and SVG render and nothing
// else: the report holds no script.
const reportCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Report == nil {
		writeError(w, http.StatusNotImplemented, "", "unsupported", "this server was started without a report")
		return
	}
	lang := r.URL.Query().Get("lang")
	if lang != "" && lang != "en" && lang != "zh" {
		writeError(w, http.StatusBadRequest, "lang", "enum", "zh or en")
		return
	}
	if lang == "" {
		lang = "en"
	}
	// Render into memory first: an error half-way must not leave a
	// half-written page with a 200.
	var buf bytes.Buffer
	if err := s.cfg.Report(r.Context(), &buf, lang); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", reportCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

// TokenView is a token as the API lists it: never its hash.
type TokenView struct {
	ID      string     `json:"id"`
	Label   string     `json:"label"`
	Role    Role       `json:"role"`
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
	// Token is the token itself, in the answer to its creation only.
	Token string `json:"token,omitempty"`
}

func tokenView(t TokenInfo) TokenView {
	return TokenView{ID: t.ID, Label: t.Label, Role: t.Role, Created: t.Created, Revoked: t.Revoked}
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	list, err := s.cfg.Tokens.List()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := []TokenView{}
	for _, t := range list {
		out = append(out, tokenView(t))
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": out})
}

func (s *Server) apiTokenCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Role  string `json:"role"`
		Label string `json:"label"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	role, err := ParseRole(req.Role)
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, "role", "enum", "viewer, operator or admin")
		return
	}
	tok, info, err := s.cfg.Tokens.Create(role, req.Label, s.now())
	if err != nil {
		if scruple.ErrorCode(err) == scruple.EINVALID {
			writeError(w, http.StatusUnprocessableEntity, "label", "length", "1 to 64 bytes naming the holder")
			return
		}
		s.internal(w, r, err)
		return
	}
	s.audit(r.Context(), r, provenance.APIAction{Action: provenance.ActionTokenCreate, Target: info.ID, Role: info.Role.String()})
	s.log.Info("token created", "id", info.ID, "role", info.Role.String(), "token", label(r))
	v := tokenView(info)
	v.Token = tok
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := s.cfg.Tokens.Revoke(id, s.now()); err != nil {
		s.internal(w, r, err)
		return
	}
	s.audit(r.Context(), r, provenance.APIAction{Action: provenance.ActionTokenRevoke, Target: id})
	s.log.Info("token revoked", "id", id, "token", label(r))
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}
