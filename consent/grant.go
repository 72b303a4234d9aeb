package consent

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
)

// DefaultMaxTTL is the longest consent accepted when no maximum is
// configured: one year. Consent is for a purpose at a time; a grant that
// never has to be renewed drifts into blanket consent.
const DefaultMaxTTL = 365 * 24 * time.Hour

// Grant is a consent as given by an operator (scruple consent grant) or one
// line of an import. Its JSON names are the JSON Lines import format.
type Grant struct {
	// SubjectType is the PI type of the identifier that names the subject.
	SubjectType pii.Type `json:"subject_type"`
	// Subject is the raw identifier (e.g. "+86 138 1234 5678"). It is only
	// normalised and HMACed; it is never stored or printed.
	Subject string `json:"subject"`
	// Types are the PI types covered; they must include SubjectType.
	Types []pii.Type `json:"types"`
	// Purpose is the specific purpose consented to.
	Purpose string `json:"purpose"`
	// Processor names the party processing the data (PIPL Art. 17).
	Processor string `json:"processor"`
	// Recipients names every third party the data goes to (Art. 23), or is
	// ["none"] when it goes to none. Nil or empty is refused: silence about
	// recipients is not consent to "no one", it is an unnamed recipient.
	Recipients []string `json:"recipients"`
	// Method says how consent was collected (e.g. "signed paper form").
	Method string `json:"method"`
	// Evidence is the hex SHA-256 of the consent evidence.
	Evidence string `json:"evidence,omitempty"`
	// EvidenceFile, when set, is hashed into Evidence by HashEvidence.
	EvidenceFile string `json:"evidence_file,omitempty"`
	// GrantedAt and ExpiresAt bound the consent (RFC 3339 in JSON).
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Separate records separate consent, required for sensitive types (Art. 29).
	Separate bool `json:"separate"`
	// Guardian records a parent's or guardian's consent, required when the
	// subject is under 14 (Art. 31).
	Guardian bool `json:"guardian"`
}

// RuleError is one consent rule a grant breaks.
type RuleError struct {
	Field string // the Grant field's JSON name
	Msg   string // the rule, with its PIPL article; never the raw subject
}

// Error formats the rule as field: message.
func (e *RuleError) Error() string { return e.Field + ": " + e.Msg }

// Errors are all the rules a grant breaks, so that an operator fixes a grant
// in one go.
type Errors []*RuleError

// Error joins the broken rules with "; ".
func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// HashEvidence reads EvidenceFile, if set, and stores its SHA-256 in
// Evidence; a given Evidence must then match it.
func (g *Grant) HashEvidence() error {
	if g.EvidenceFile == "" {
		return nil
	}
	d, err := FileDigest(g.EvidenceFile)
	if err != nil {
		return &RuleError{"evidence_file", err.Error()}
	}
	if g.Evidence != "" && !strings.EqualFold(g.Evidence, d) {
		return &RuleError{"evidence", "does not match the SHA-256 of evidence_file"}
	}
	g.Evidence = d
	return nil
}

// FileDigest returns the hex SHA-256 of a file (--evidence FILE).
func FileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Validate checks a grant against the consent rules at now and returns
// Errors naming every rule it breaks, or nil. Blanket consent is refused:
// missing or wildcard types, a vague or too short purpose, an unnamed
// processor or recipient, no expiry or one beyond maxTTL (<= 0 means
// DefaultMaxTTL), sensitive types without separate consent, a minor without
// guardian consent, no method or evidence.
func Validate(g Grant, now time.Time, maxTTL time.Duration) error {
	if maxTTL <= 0 {
		maxTTL = DefaultMaxTTL
	}
	var es Errors
	add := func(field, format string, args ...any) {
		es = append(es, &RuleError{field, fmt.Sprintf(format, args...)})
	}
	subject, err := normalise(g.SubjectType, g.Subject, now)
	if err != nil {
		field := "subject"
		if errNotSubject(g.SubjectType) != nil {
			field = "subject_type"
		}
		add(field, "%v", err)
	}
	checkTypes(g, add)
	if err := CheckPurpose(g.Purpose); err != nil {
		add("purpose", "%v", err)
	}
	switch p := strings.TrimSpace(g.Processor); {
	case p == "":
		add("processor", "missing: name the processor (PIPL Art. 17: the processor's name and contact must be disclosed)")
	case contains(vagueProcessors, strings.ToLower(p)):
		add("processor", "%s does not name the processor: give its legal name (PIPL Art. 17)", quoteMasked(p))
	case len(p) > maxFieldLen:
		add("processor", "longer than %d bytes", maxFieldLen)
	}
	checkRecipients(g.Recipients, add)
	switch m := strings.TrimSpace(g.Method); {
	case m == "":
		add("method", "missing: record how consent was collected, e.g. \"signed paper form\" (PIPL Art. 14: voluntary, explicit, informed)")
	case wordIn(strings.ToLower(m), vagueMethods) != "" || hasHan(m) && hanIn(m, vagueMethods):
		add("method", "%s is not consent: silence, defaults and pre-ticked boxes do not express it (PIPL Art. 14)", quoteMasked(m))
	case len(m) > maxFieldLen:
		add("method", "longer than %d bytes", maxFieldLen)
	}
	switch e := g.Evidence; {
	case e == "" && g.EvidenceFile != "":
		add("evidence", "evidence_file is not hashed yet (HashEvidence)")
	case e == "":
		add("evidence", "missing: give the SHA-256 of the consent evidence (a signed form, a recording), so consent can be proven")
	case !isHexDigest(e):
		add("evidence", "not a hex SHA-256 digest (64 hex digits)")
	}
	checkTimes(g, now, maxTTL, add)
	if err == nil {
		checkSubjectNotInText(g, subject, add)
	}
	if err == nil && g.SubjectType == pii.ResidentID && !g.Guardian && underFourteen(subject, now) {
		add("guardian", "the subject is under 14: a parent's or guardian's consent is required (PIPL Art. 31)")
	}
	if len(es) > 0 {
		return es
	}
	return nil
}

// wildcardTypes are the spellings of "every type".
var wildcardTypes = []string{"*", "all", "any", "every", "everything", "全部", "所有", "任何"}

func checkTypes(g Grant, add func(field, format string, args ...any)) {
	if len(g.Types) == 0 {
		add("types", "missing: name the personal information types covered; blanket consent is refused (PIPL Art. 14: specific consent)")
		return
	}
	var sensitive []string
	hasSubject := false
	for _, t := range g.Types {
		switch {
		case contains(wildcardTypes, strings.ToLower(strings.TrimSpace(string(t)))):
			add("types", "%q is a wildcard: blanket consent is refused (PIPL Art. 14: consent names the specific information)", t)
			continue
		case pii.Info(t).Type != t || t == "":
			if typeIDShape(string(t)) {
				add("types", "unknown type id %q", t)
			} else {
				// A value where a type id belongs ("types":["138…"]) is
				// not repeated: errors reach logs and API responses.
				add("types", "unknown type id (not of the form cn_mobile; not repeated, it may be a personal value)")
			}
			continue
		case t == pii.Credential:
			add("types", "credential is authentication data (JR/T 0171-2020 C3): never stored, not even with consent")
			continue
		case !pii.Info(t).Personal:
			add("types", "%s identifies an organisation, not a natural person: PIPL consent does not apply (Art. 4)", t)
			continue
		}
		hasSubject = hasSubject || t == g.SubjectType
		if pii.Info(t).Sensitive {
			sensitive = append(sensitive, string(t))
		}
	}
	if !hasSubject && errNotSubject(g.SubjectType) == nil {
		add("types", "must include the subject's own type %s: a crawl matches each finding by its own value, so a consent that does not cover it covers nothing", g.SubjectType)
	}
	if len(sensitive) > 0 && !g.Separate {
		add("separate", "%s %s sensitive personal information: separate consent is required (PIPL Art. 29)",
			strings.Join(sensitive, ", "), map[bool]string{true: "is", false: "are"}[len(sensitive) == 1])
	}
}

func checkRecipients(rs []string, add func(field, format string, args ...any)) {
	if len(rs) == 0 {
		add("recipients", `missing: name every third-party recipient, or give ["none"] when the data goes to no third party (PIPL Art. 23)`)
		return
	}
	for i, r := range rs {
		if noRecipient(r) {
			if len(rs) > 1 {
				add("recipients", "none is given with other recipients: either no third party or named ones")
			}
			continue
		}
		if why := vagueRecipient(r); why != "" {
			add(fmt.Sprintf("recipients[%d]", i), "%s: name each third party (PIPL Art. 23: name, contact, purpose and kind of data of every recipient)", why)
		} else if len(r) > maxFieldLen {
			add(fmt.Sprintf("recipients[%d]", i), "longer than %d bytes", maxFieldLen)
		}
	}
}

func checkTimes(g Grant, now time.Time, maxTTL time.Duration, add func(field, format string, args ...any)) {
	if g.GrantedAt.IsZero() {
		add("granted_at", "missing: when consent was given")
	}
	switch {
	case g.ExpiresAt.IsZero():
		add("expires_at", "missing: consent without an expiry is blanket consent (PIPL Art. 14); at most %s", ttlString(maxTTL))
	case g.GrantedAt.IsZero():
	case !g.ExpiresAt.After(g.GrantedAt):
		add("expires_at", "not after granted_at")
	case g.ExpiresAt.Sub(g.GrantedAt) > maxTTL:
		add("expires_at", "%s after granted_at, beyond the maximum of %s: consent must be renewed for a purpose, not given for ever (PIPL Art. 14)",
			ttlString(g.ExpiresAt.Sub(g.GrantedAt)), ttlString(maxTTL))
	case !g.ExpiresAt.After(now):
		add("expires_at", "already past: an expired consent covers nothing")
	}
}

// ttlString writes a duration in days, the unit consents are thought in.
func ttlString(d time.Duration) string {
	days := d.Hours() / 24
	if days == float64(int64(days)) {
		return fmt.Sprintf("%d days", int64(days))
	}
	return fmt.Sprintf("%.1f days", days)
}

func hanIn(s string, list []string) bool {
	for _, w := range list {
		if hasHan(w) && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// underFourteen reports whether the holder of a normalised 18-character
// resident ID is under 14 at now (PIPL Art. 28, 31), as pii's minor signal
// computes it.
func underFourteen(id string, now time.Time) bool {
	if len(id) != 18 {
		return false
	}
	n := func(s string) int {
		v := 0
		for _, c := range s {
			v = v*10 + int(c-'0')
		}
		return v
	}
	birth14 := time.Date(n(id[6:10])+14, time.Month(n(id[10:12])), n(id[12:14]), 0, 0, 0, 0, time.UTC)
	return now.Before(birth14)
}

// Consent builds the ledger record of a grant: the subject replaced by its
// HMAC under key, types and recipients de-duplicated (["none"] becomes an
// empty list), times in UTC, and a deterministic ID (32 hex digits of a
// SHA-256 over the record), so importing the same grant twice yields the
// same record. Call Validate first: Consent checks only what it needs.
func (g Grant) Consent(key []byte) (*scruple.Consent, error) {
	if len(key) < KeySize {
		return nil, fmt.Errorf("consent key of %d bytes: at least %d are needed", len(key), KeySize)
	}
	v, err := Normalise(g.SubjectType, g.Subject)
	if err != nil {
		return nil, &RuleError{"subject", err.Error()}
	}
	c := &scruple.Consent{
		Subject:     SubjectHMAC(key, g.SubjectType, v),
		SubjectType: string(g.SubjectType),
		Types:       []string{},
		Purpose:     strings.TrimSpace(g.Purpose),
		Processor:   strings.TrimSpace(g.Processor),
		Recipients:  []string{},
		Method:      strings.TrimSpace(g.Method),
		Evidence:    strings.ToLower(g.Evidence),
		Separate:    g.Separate,
		Guardian:    g.Guardian,
		GrantedAt:   g.GrantedAt.UTC(),
		ExpiresAt:   g.ExpiresAt.UTC(),
	}
	for _, t := range g.Types {
		if !contains(c.Types, string(t)) {
			c.Types = append(c.Types, string(t))
		}
	}
	for _, r := range g.Recipients {
		if r = strings.TrimSpace(r); !noRecipient(r) && !contains(c.Recipients, r) {
			c.Recipients = append(c.Recipients, r)
		}
	}
	c.ID = recordID(c)
	return c, nil
}

// Refuse builds the record of a subject who declined (PIPL Art. 27): it
// blocks every consent for that subject in an Index, as a withdrawal does.
func Refuse(key []byte, t pii.Type, raw string, at time.Time) (*scruple.Consent, error) {
	if len(key) < KeySize {
		return nil, fmt.Errorf("consent key of %d bytes: at least %d are needed", len(key), KeySize)
	}
	v, err := Normalise(t, raw)
	if err != nil {
		return nil, &RuleError{"subject", err.Error()}
	}
	c := &scruple.Consent{Subject: SubjectHMAC(key, t, v), SubjectType: string(t), Types: []string{},
		Recipients: []string{}, Refused: true, GrantedAt: at.UTC()}
	c.ID = recordID(c)
	return c, nil
}

// Withdraw marks c withdrawn at t (PIPL Art. 15: withdrawal takes effect at
// once) and reports whether it changed; an earlier withdrawal stands.
func Withdraw(c *scruple.Consent, t time.Time) bool {
	if c.WithdrawnAt != nil {
		return false
	}
	t = t.UTC()
	c.WithdrawnAt = &t
	return true
}

// recordID hashes the record without its ID and withdrawal: every field,
// each written unambiguously (strings JSON-quoted, lists counted).
func recordID(c *scruple.Consent) string {
	h := sha256.New()
	w := func(s string) {
		b, _ := json.Marshal(s) // a string always marshals
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	w("scruple/consent-id/v1")
	for _, s := range []string{c.Subject, c.SubjectType, c.Purpose, c.Processor, c.Method, c.Evidence,
		fmt.Sprint(c.Separate, c.Guardian, c.Refused),
		c.GrantedAt.UTC().Format(time.RFC3339Nano), c.ExpiresAt.UTC().Format(time.RFC3339Nano)} {
		w(s)
	}
	for _, l := range [][]string{c.Types, c.Recipients} {
		w(fmt.Sprint(len(l)))
		for _, s := range l {
			w(s)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// checkSubjectNotInText refuses a grant whose purpose, processor, method or
// recipients hold its subject's value: the ledger and the append-only log
// keep those in clear for good (only the subject is HMACed), so the value
// would outlive the withdrawal. Letters and digits are compared, so that
// separators ("138 1234 5678", "+86-138…") do not hide it. The message never
// repeats the value.
func checkSubjectNotInText(g Grant, subject string, add func(field, format string, args ...any)) {
	v := squash(subject)
	if v == "" {
		return
	}
	fields := map[string][]string{"purpose": {g.Purpose}, "processor": {g.Processor}, "method": {g.Method}, "recipients": g.Recipients}
	for _, name := range []string{"purpose", "processor", "method", "recipients"} {
		for _, text := range fields[name] {
			if strings.Contains(squash(text), v) {
				add(name, "holds the subject's own value, which would stay in clear in the ledger and the log after a withdrawal: name the subject only in subject")
				break
			}
		}
	}
}

// squash keeps the letters and digits of s, full-width folded to ASCII,
// lower-cased.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// typeIDShape reports whether s looks like a type id (cn_mobile): lower-case
// ASCII letters, digits and underscores, starting with a letter.
func typeIDShape(s string) bool {
	if s == "" || len(s) > 40 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
