// Package pii detects personal information in UTF-8 text in one pass over
// the bytes, for the "detect" stage of the scruple pipeline (DESIGN §2).
//
// The scanner never uses regular expressions: it walks the bytes once and
// stops only at candidate starts (ASCII or full-width digits and letters, '@',
// ':' and a handful of Han trigger characters), then validates the candidate
// with the check digit, date, region or list rule of its type. Context words
// within about 24 runes before a value raise or lower confidence; types whose
// format carries no check (passport, permits, Macau ID, plates) are reported
// only with context.
//
// Findings carry the normalised value in Subject so that the caller can match
// subjects against consent records; callers must never log it.
package pii

import (
	"slices"
	"time"
)

// Type names a kind of personal information. The string values are part of
// the interface: policies and stored records refer to them.
type Type string

// The types detected. See DESIGN §2 for the validation rules.
const (
	ResidentID   Type = "cn_resident_id"    // 18-digit PRC resident ID (GB 11643-1999)
	ResidentID15 Type = "cn_resident_id_15" // legacy 15-digit resident ID
	Mobile       Type = "cn_mobile"         // mainland mobile number
	Landline     Type = "cn_landline"       // fixed-line number with area code
	BankCard     Type = "bank_card"         // payment card number (Luhn)
	Credential   Type = "credential"        // password, PIN, CVV, OTP value
	Passport     Type = "cn_passport"       // PRC passport
	PermitHKMO   Type = "cn_permit_hkmo"    // Mainland travel permit for HK/Macau
	HKID         Type = "hk_id"             // Hong Kong identity card
	TWID         Type = "tw_id"             // Taiwan national ID
	MOID         Type = "mo_id"             // Macau resident identity card
	Plate        Type = "cn_plate"          // vehicle licence plate
	PersonName   Type = "person_name"       // a person's name
	Address      Type = "address"           // precise postal address
	Email        Type = "email"             // e-mail address
	IPAddress    Type = "ip_address"        // IPv4 or IPv6 address
	IBAN         Type = "iban"              // international bank account number
	USSSN        Type = "us_ssn"            // US social security number
	USCC         Type = "cn_uscc"           // unified social credit code (organisation)
)

// Types returns every type in a stable order (a new slice each call).
func Types() []Type { return append([]Type(nil), allTypes[:]...) }

// Indices of the types in allTypes: the scanner asks d.enabled[iX] on every
// candidate, which a string switch would make slow.
const (
	iResidentID = iota
	iResidentID15
	iMobile
	iLandline
	iBankCard
	iCredential
	iPassport
	iPermitHKMO
	iHKID
	iTWID
	iMOID
	iPlate
	iPersonName
	iAddress
	iEmail
	iIPAddress
	iIBAN
	iUSSSN
	iUSCC
)

// allTypes lists every type; the order is the index used internally.
var allTypes = [...]Type{ResidentID, ResidentID15, Mobile, Landline, BankCard, Credential,
	Passport, PermitHKMO, HKID, TWID, MOID, Plate, PersonName, Address, Email, IPAddress,
	IBAN, USSSN, USCC}

// Level is a JR/T 0171-2020 financial data class: C3 authentication data, C2
// identity and account data, C1 institution-internal data; "" when the
// standard does not classify the type.
type Level string

// JR/T 0171-2020 levels.
const (
	C3 Level = "C3"
	C2 Level = "C2"
	C1 Level = "C1"
)

// Finding is one detected value.
type Finding struct {
	Type Type
	// Start and End are byte offsets into the scanned text, End exclusive;
	// both fall on UTF-8 rune boundaries.
	Start, End int
	// Confidence is in 0..1: validated values with context score highest.
	Confidence float64
	// Sensitive marks PIPL Art. 28 sensitive personal information.
	Sensitive bool
	// Level is the JR/T 0171-2020 class.
	Level Level
	// Personal is false for organisation identifiers (cn_uscc) and business
	// hotlines (400/800 numbers reported as cn_landline).
	Personal bool
	// Subject is the normalised value (digits only, upper-case letters,
	// lower-case e-mail) used for subject identity and consent matching.
	// Callers must never log it.
	Subject string
}

// Signals are page-level facts that matter as much as single findings.
type Signals struct {
	// Bulk is set when the page holds identifiers of at least
	// Options.BulkThreshold distinct subjects (a contact list, a leaked table).
	Bulk bool
	// Subjects counts distinct subjects of personal identifiers.
	Subjects int
	// Minor is set when a resident ID's holder is under 14 at Options.Now
	// (PIPL Art. 28 and 31: a minor's data is sensitive and needs guardian consent).
	Minor bool
	// Credential is set when any credential was found (JR/T 0171 C3).
	Credential bool
}

// TypeInfo describes a type's classes.
type TypeInfo struct {
	Type        Type
	Sensitive   bool   // PIPL sensitive personal information
	Level       Level  // JR/T 0171-2020 class
	Personal    bool   // identifies a natural person
	Description string // short English description
}

var infos = map[Type]TypeInfo{
	ResidentID:   {ResidentID, true, C2, true, "18-digit PRC resident identity number"},
	ResidentID15: {ResidentID15, true, C2, true, "legacy 15-digit PRC resident identity number"},
	Mobile:       {Mobile, false, C2, true, "mainland China mobile number"},
	Landline:     {Landline, false, C2, true, "mainland China fixed-line number"},
	BankCard:     {BankCard, true, C2, true, "payment card number"},
	Credential:   {Credential, true, C3, true, "password, PIN, CVV or one-time code"},
	Passport:     {Passport, true, C2, true, "PRC passport number"},
	PermitHKMO:   {PermitHKMO, true, C2, true, "Mainland travel permit for Hong Kong and Macau"},
	HKID:         {HKID, true, C2, true, "Hong Kong identity card number"},
	TWID:         {TWID, true, C2, true, "Taiwan national identification number"},
	MOID:         {MOID, true, C2, true, "Macau resident identity card number"},
	Plate:        {Plate, false, "", true, "vehicle licence plate"},
	PersonName:   {PersonName, false, C2, true, "person name"},
	Address:      {Address, true, C2, true, "precise address (PIPL: precise location is sensitive)"},
	Email:        {Email, false, "", true, "e-mail address"},
	IPAddress:    {IPAddress, false, "", true, "IP address"},
	IBAN:         {IBAN, true, C2, true, "international bank account number"},
	USSSN:        {USSSN, true, C2, true, "US social security number"},
	USCC:         {USCC, false, "", false, "unified social credit code of an organisation (GB 32100-2015)"},
}

// Info returns the classes of t; the zero TypeInfo for an unknown type.
func Info(t Type) TypeInfo { return infos[t] }

// Options configure a Detector.
type Options struct {
	// Types restricts detection to these types; nil means all.
	Types []Type
	// MinConfidence drops findings below it; values under the built-in floor
	// (0.5) are raised to it.
	MinConfidence float64
	// BulkThreshold is the number of distinct subjects that makes a page bulk
	// personal data; 0 means 10.
	BulkThreshold int
	// Now is the reference time for birth-date checks (future dates, minors);
	// zero means the time of each Scan.
	Now time.Time
}

// confFloor is the confidence below which nothing is reported: format-only
// matches without context score under it.
const confFloor = 0.5

// Detector scans text. It is immutable after New and safe for concurrent use.
type Detector struct {
	enabled  [len(allTypes)]bool
	minConf  float64
	bulk     int
	now      time.Time
	needName bool
}

// New returns a Detector for opt.
func New(opt Options) *Detector {
	d := &Detector{minConf: max(opt.MinConfidence, confFloor), bulk: opt.BulkThreshold, now: opt.Now}
	if d.bulk <= 0 {
		d.bulk = 10
	}
	for i, t := range allTypes {
		d.enabled[i] = opt.Types == nil
		for _, u := range opt.Types {
			if u == t {
				d.enabled[i] = true
			}
		}
	}
	d.needName = d.enabled[iPersonName]
	return d
}

// typeIndex is the position of t in allTypes, or -1. A switch compiles to a
// binary search; the validators ask this on every candidate.
func typeIndex(t Type) int {
	switch t {
	case ResidentID:
		return 0
	case ResidentID15:
		return 1
	case Mobile:
		return 2
	case Landline:
		return 3
	case BankCard:
		return 4
	case Credential:
		return 5
	case Passport:
		return 6
	case PermitHKMO:
		return 7
	case HKID:
		return 8
	case TWID:
		return 9
	case MOID:
		return 10
	case Plate:
		return 11
	case PersonName:
		return 12
	case Address:
		return 13
	case Email:
		return 14
	case IPAddress:
		return 15
	case IBAN:
		return 16
	case USSSN:
		return 17
	case USCC:
		return 18
	}
	return -1
}

// ScanString is Scan for a string.
func (d *Detector) ScanString(s string) ([]Finding, Signals) {
	return d.Scan([]byte(s))
}

// Scan returns the findings in text, sorted by Start and non-overlapping,
// and the page signals. text should be UTF-8; invalid bytes are skipped.
func (d *Detector) Scan(text []byte) ([]Finding, Signals) {
	now := d.now
	if now.IsZero() {
		now = time.Now()
	}
	s := scanner{d: d, text: text, now: now}
	s.run()
	fs := resolve(s.found)
	if d.needName {
		fs = s.adjacentNames(fs)
	}
	n := 0
	for _, f := range fs {
		if f.confidence() >= d.minConf && d.enabled[f.typ] {
			n++
		}
	}
	if n == 0 {
		return nil, Signals{}
	}
	subj := string(s.subj)
	out := make([]Finding, 0, n)
	for _, f := range fs {
		if f.confidence() < d.minConf || !d.enabled[f.typ] {
			continue
		}
		inf := infos[f.typeOf()]
		out = append(out, Finding{Type: inf.Type, Start: f.Start, End: f.End,
			Confidence: f.confidence(),
			Sensitive:  inf.Sensitive, Level: inf.Level, Personal: inf.Personal && !f.business,
			Subject: subj[f.so:f.se]})
	}
	return out, d.signals(out, s.now)
}

// resolve sorts candidates and removes overlaps: a span that contains
// another wins (an e-mail holding a phone number), otherwise the higher
// confidence, then the longer span.
func resolve(fs []raw) []raw {
	if len(fs) < 2 {
		return fs
	}
	// Candidates arrive almost in order (only e-mails and names found from
	// their end go back), which the merge sort handles in near-linear time.
	slices.SortStableFunc(fs, byStart)
	return dropOverlaps(fs)
}

func byStart(a, b raw) int {
	if a.Start != b.Start {
		return a.Start - b.Start
	}
	return b.End - a.End
}

func dropOverlaps(fs []raw) []raw {
	out := fs[:1]
	for _, f := range fs[1:] {
		last := &out[len(out)-1]
		if f.Start >= last.End {
			out = append(out, f)
			continue
		}
		if better(f, *last) {
			*last = f
		}
	}
	return out
}

func better(a, b raw) bool {
	aIn := a.Start >= b.Start && a.End <= b.End
	bIn := b.Start >= a.Start && b.End <= a.End
	switch {
	case bIn && !aIn && a.conf >= b.conf-0.3:
		return true
	case aIn && !bIn && b.conf >= a.conf-0.3:
		return false
	case a.conf != b.conf:
		return a.conf > b.conf
	}
	return a.End-a.Start > b.End-b.Start
}

// subjectTypes are the identifiers that name one person; names, addresses,
// IPs, plates and credentials are not counted because many people share them
// or they identify a device, not a person.
func subjectType(t Type) bool {
	switch t {
	case ResidentID, ResidentID15, Mobile, Landline, BankCard, Passport, PermitHKMO,
		HKID, TWID, MOID, Email, IBAN, USSSN:
		return true
	}
	return false
}

func (d *Detector) signals(fs []Finding, now time.Time) Signals {
	var sig Signals
	var buf [64]uint64
	hs := buf[:0] // slices.Sort keeps it on the stack for small pages
	for _, f := range fs {
		if f.Type == Credential {
			sig.Credential = true
		}
		if f.Type == ResidentID && minorAt(f.Subject, now) {
			sig.Minor = true
		}
		if f.Personal && subjectType(f.Type) {
			hs = append(hs, fnv(string(f.Type), f.Subject))
		}
	}
	slices.Sort(hs)
	for i, h := range hs {
		if i == 0 || h != hs[i-1] {
			sig.Subjects++
		}
	}
	sig.Bulk = sig.Subjects >= d.bulk
	return sig
}

func fnv(a, b string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * 1099511628211
	}
	h = (h ^ 0xff) * 1099511628211
	for i := 0; i < len(b); i++ {
		h = (h ^ uint64(b[i])) * 1099511628211
	}
	return h
}

// minorAt reports whether the holder of an 18-character resident ID subject is
// under 14 at now (PIPL Art. 28: personal information of minors under 14 is
// sensitive).
func minorAt(id string, now time.Time) bool {
	if len(id) != 18 {
		return false
	}
	y, m, dd := atoi(id[6:10]), atoi(id[10:12]), atoi(id[12:14])
	fourteenth := time.Date(y+14, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
	return now.Before(fourteenth)
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
