package decide

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
)

const purpose = "credit risk assessment for loan applicants"

func phoneConsent(t *testing.T, key []byte, now time.Time) *scruple.Consent {
	t.Helper()
	g := consent.Grant{
		SubjectType: "cn_mobile", Subject: "138 1234 5678", Types: []pii.Type{"cn_mobile"},
		Purpose: purpose, Processor: "Example Data Ltd", Recipients: []string{"none"},
		Method: "signed paper form", Evidence: strings.Repeat("ab", 32),
		GrantedAt: now.Add(-time.Hour), ExpiresAt: now.Add(30 * 24 * time.Hour),
	}
	c, err := g.Consent(key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConsentKeepsOnlyForItsPurpose(t *testing.T) {
	key := make([]byte, 32)
	now := time.Now()
	c := phoneConsent(t, key, now)
	text := "联系人手机13812345678，另一位手机13912345678"
	for _, tc := range []struct {
		purpose string
		kept    bool
	}{{purpose, true}, {"marketing campaigns for new products", false}, {"", false}} {
		r := NewPolicyRules(policy.Default(), key, tc.purpose, func() time.Time { return now })
		r.SetConsents([]*scruple.Consent{c})
		p := New(pii.New(pii.Options{}), r).Page("", text)
		if strings.Contains(p.Text, "13812345678") != tc.kept {
			t.Errorf("purpose %q: consented number kept=%v, want %v", tc.purpose, !tc.kept, tc.kept)
		}
		if strings.Contains(p.Text, "13912345678") {
			t.Errorf("purpose %q: a number without consent was kept", tc.purpose)
		}
		for _, f := range p.Findings {
			if f.Action == "keep" && (f.Consent != c.ID || f.Subject != c.Subject) {
				t.Errorf("kept finding lacks its consent and subject: %+v", f)
			}
		}
	}
	// Withdrawn: redacted again.
	w := *c
	at := now.Add(-time.Minute)
	w.WithdrawnAt = &at
	r := NewPolicyRules(policy.Default(), key, purpose, func() time.Time { return now })
	r.SetConsents([]*scruple.Consent{&w})
	if p := New(pii.New(pii.Options{}), r).Page("", text); strings.Contains(p.Text, "13812345678") {
		t.Error("withdrawn consent still keeps the value")
	}
}

func TestBulkPageDropped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "借款人%d 手机 1381234%04d\n", i, 5000+i)
	}
	p := New(pii.New(pii.Options{}), nil).Page("借款人名单", b.String())
	if !p.Drop || p.Text != "" || !strings.Contains(p.Reason, "dropped") {
		t.Fatalf("bulk page: drop=%v reason=%q", p.Drop, p.Reason)
	}
}

func TestCredentialNeverKept(t *testing.T) {
	r := NewPolicyRules(policy.Default(), make([]byte, 32), purpose, nil)
	p := New(pii.New(pii.Options{}), r).Page("", "登录密码：Abc123xyz")
	if strings.Contains(p.Text, "Abc123xyz") {
		t.Fatal("credential stored")
	}
}

func TestRedactSubjectMovesSpans(t *testing.T) {
	key := make([]byte, 32)
	now := time.Now()
	c := phoneConsent(t, key, now)
	r := NewPolicyRules(policy.Default(), key, purpose, func() time.Time { return now })
	r.SetConsents([]*scruple.Consent{c})
	p := New(pii.New(pii.Options{}), r).Page("", "手机13812345678，身份证11010519491231002X，邮箱 zhang.san@example.com 结束")
	rec := &scruple.Record{URL: "http://a.test/", Kind: scruple.KindPage, Text: p.Text, Findings: p.Findings}
	if !strings.Contains(rec.Text, "13812345678") {
		t.Fatal("consented value not kept")
	}
	if !RedactSubject(rec, c.Subject, c.ID) {
		t.Fatal("nothing purged")
	}
	if strings.Contains(rec.Text, "13812345678") {
		t.Fatal("value survives the purge")
	}
	for _, f := range rec.Findings {
		got := rec.Text[f.Start:f.End]
		if got != "["+f.Type+"]" {
			t.Errorf("%s: span after purge covers %q", f.Type, strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return '#'
				}
				return r
			}, got))
		}
	}
	if RedactSubject(rec, c.Subject, c.ID) {
		t.Error("second purge changed the record again")
	}
}

func TestMinorNeedsGuardianConsent(t *testing.T) {
	key := make([]byte, 32)
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	// A resident ID of a child born 2018-05-01 (region 110105, valid check
	// digit computed below) and the child's guardian's phone number.
	id := withCheck("11010520180501001")
	text := "学生身份证号" + id + "，家长手机13812345678"
	for _, guardian := range []bool{false, true} {
		g := consent.Grant{
			SubjectType: "cn_mobile", Subject: "13812345678", Types: []pii.Type{"cn_mobile"},
			Purpose: purpose, Processor: "Example Data Ltd", Recipients: []string{"none"},
			Method: "signed paper form", Evidence: strings.Repeat("ab", 32), Guardian: guardian,
			GrantedAt: now.Add(-time.Hour), ExpiresAt: now.Add(30 * 24 * time.Hour),
		}
		c, err := g.Consent(key)
		if err != nil {
			t.Fatal(err)
		}
		r := NewPolicyRules(policy.Default(), key, purpose, func() time.Time { return now })
		r.SetConsents([]*scruple.Consent{c})
		p := New(pii.New(pii.Options{Now: now}), r).Page("", text)
		if !p.Signals.Minor {
			t.Fatal("minor signal not raised")
		}
		if strings.Contains(p.Text, id) {
			t.Fatal("a minor's ID was kept")
		}
		if kept := strings.Contains(p.Text, "13812345678"); kept != guardian {
			t.Errorf("guardian=%v: phone kept=%v on a page with a minor's data", guardian, kept)
		}
	}
}

// withCheck appends the ISO 7064 MOD 11-2 check character to 17 digits.
func withCheck(d17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range d17 {
		sum += int(c-'0') * w[i]
	}
	return d17 + string("10X98765432"[sum%11])
}
