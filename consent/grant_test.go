package consent

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple/pii"
)

var (
	now     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testKey = []byte("0123456789abcdef0123456789abcdef")
	digest  = strings.Repeat("ab", 32)
)

// good is a valid grant for a (synthetic) mobile number.
func good() Grant {
	return Grant{
		SubjectType: pii.Mobile, Subject: "+86 138 1234 5678",
		Types:     []pii.Type{pii.Mobile},
		Purpose:   "order delivery notices by SMS",
		Processor: "Example Trading Co., Ltd.", Recipients: []string{"none"},
		Method: "signed paper form", Evidence: digest,
		GrantedAt: now.Add(-24 * time.Hour), ExpiresAt: now.Add(90 * 24 * time.Hour),
	}
}

func TestValidateGood(t *testing.T) {
	for name, g := range map[string]Grant{
		"mobile": good(),
		"named recipients": func() Grant {
			g := good()
			g.Recipients = []string{"SF Express", "顺丰速运有限公司", "Acme Partners LLC"}
			return g
		}(),
		"sensitive with separate": func() Grant {
			g := good()
			g.SubjectType, g.Subject, g.Types, g.Separate = pii.ResidentID, "11010519491231002X", []pii.Type{pii.ResidentID, pii.Mobile}, true
			return g
		}(),
		"chinese purpose":      func() Grant { g := good(); g.Purpose = "订单配送短信通知"; return g }(),
		"equal-rights purpose": func() Grant { g := good(); g.Purpose = "保障会员平等"; return g }(),
		"exactly max ttl":      func() Grant { g := good(); g.ExpiresAt = g.GrantedAt.Add(DefaultMaxTTL); return g }(),
	} {
		if err := Validate(g, now, 0); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestBlanketRules: each rule refused with its message.
func TestBlanketRules(t *testing.T) {
	minor := "110105201501010017" // born 2015-01-01: under 14 in 2026 (synthetic, valid check digit)
	tests := []struct {
		name   string
		edit   func(*Grant)
		maxTTL time.Duration
		field  string
		msg    string
	}{
		{"no types", func(g *Grant) { g.Types = nil }, 0, "types", "missing: name the personal information types covered; blanket consent is refused (PIPL Art. 14"},
		{"wildcard *", func(g *Grant) { g.Types = []pii.Type{"*"} }, 0, "types", `"*" is a wildcard: blanket consent is refused (PIPL Art. 14`},
		{"wildcard all", func(g *Grant) { g.Types = []pii.Type{pii.Mobile, "ALL"} }, 0, "types", `"ALL" is a wildcard`},
		{"wildcard any", func(g *Grant) { g.Types = []pii.Type{pii.Mobile, "any"} }, 0, "types", `"any" is a wildcard`},
		{"unknown type", func(g *Grant) { g.Types = []pii.Type{pii.Mobile, "phone"} }, 0, "types", `unknown type id "phone"`},
		{"credential type", func(g *Grant) { g.Types = []pii.Type{pii.Mobile, pii.Credential} }, 0, "types", "credential is authentication data (JR/T 0171-2020 C3)"},
		{"organisation type", func(g *Grant) { g.Types = []pii.Type{pii.Mobile, pii.USCC} }, 0, "types", "cn_uscc identifies an organisation"},
		{"subject type not covered", func(g *Grant) { g.Types = []pii.Type{pii.Email} }, 0, "types", "must include the subject's own type cn_mobile"},
		{"no purpose", func(g *Grant) { g.Purpose = " " }, 0, "purpose", "missing: consent is for a specific, explicit purpose (PIPL Art. 6, 14)"},
		{"purpose any", func(g *Grant) { g.Purpose = "any purpose we see fit" }, 0, "purpose", `"any" names no specific purpose (PIPL Art. 6, 14`},
		{"purpose ALL", func(g *Grant) { g.Purpose = "For ALL business needs" }, 0, "purpose", `"all" names no specific purpose`},
		{"purpose everything", func(g *Grant) { g.Purpose = "everything related to sales" }, 0, "purpose", `"everything"`},
		{"purpose anything", func(g *Grant) { g.Purpose = "anything the company needs" }, 0, "purpose", `"anything"`},
		{"purpose general", func(g *Grant) { g.Purpose = "general business purposes" }, 0, "purpose", `"general"`},
		{"purpose various", func(g *Grant) { g.Purpose = "various marketing activities" }, 0, "purpose", `"various"`},
		{"purpose etc", func(g *Grant) { g.Purpose = "delivery, marketing, etc." }, 0, "purpose", `"etc"`},
		{"purpose 一切", func(g *Grant) { g.Purpose = "用于一切合法业务" }, 0, "purpose", `"一切"`},
		{"purpose 所有用途", func(g *Grant) { g.Purpose = "本公司所有用途" }, 0, "purpose", `"所有用途"`},
		{"purpose 任何用途", func(g *Grant) { g.Purpose = "可用于任何用途" }, 0, "purpose", `"任何用途"`},
		{"purpose 全部", func(g *Grant) { g.Purpose = "全部" }, 0, "purpose", "too short"},
		{"purpose 全部用途", func(g *Grant) { g.Purpose = "公司的全部用途" }, 0, "purpose", `"全部用途"`},
		{"purpose 等", func(g *Grant) { g.Purpose = "订单配送、营销推广等" }, 0, "purpose", `"等"`},
		{"purpose 等 comma", func(g *Grant) { g.Purpose = "营销推广等，以及数据分析" }, 0, "purpose", `"等"`},
		{"purpose too short", func(g *Grant) { g.Purpose = "ads" }, 0, "purpose", `"ads" is too short to be a specific purpose`},
		{"purpose short han", func(g *Grant) { g.Purpose = "营销" }, 0, "purpose", "too short"},
		{"purpose punctuation", func(g *Grant) { g.Purpose = "........." }, 0, "purpose", "too short"},
		{"no processor", func(g *Grant) { g.Processor = "" }, 0, "processor", "missing: name the processor (PIPL Art. 17"},
		{"vague processor", func(g *Grant) { g.Processor = "We" }, 0, "processor", `"We" does not name the processor`},
		{"no recipients", func(g *Grant) { g.Recipients = nil }, 0, "recipients", `missing: name every third-party recipient, or give ["none"]`},
		{"empty recipients list", func(g *Grant) { g.Recipients = []string{} }, 0, "recipients", "missing"},
		{"empty recipient", func(g *Grant) { g.Recipients = []string{"SF Express", " "} }, 0, "recipients[1]", "empty: name each third party (PIPL Art. 23"},
		{"recipient *", func(g *Grant) { g.Recipients = []string{"*"} }, 0, "recipients[0]", `"*" is a wildcard`},
		{"recipient partners", func(g *Grant) { g.Recipients = []string{"our trusted partners"} }, 0, "recipients[0]", `"our trusted partners" does not name a recipient`},
		{"recipient third parties", func(g *Grant) { g.Recipients = []string{"Third Parties"} }, 0, "recipients[0]", "does not name a recipient"},
		{"recipient affiliates", func(g *Grant) { g.Recipients = []string{"SF Express", "affiliates"} }, 0, "recipients[1]", "does not name a recipient"},
		{"recipient 合作伙伴", func(g *Grant) { g.Recipients = []string{"我们的合作伙伴"} }, 0, "recipients[0]", "does not name a recipient"},
		{"recipient 第三方", func(g *Grant) { g.Recipients = []string{"第三方"} }, 0, "recipients[0]", "does not name a recipient"},
		{"recipient 等", func(g *Grant) { g.Recipients = []string{"顺丰速运等"} }, 0, "recipients[0]", "does not name a recipient"},
		{"none with others", func(g *Grant) { g.Recipients = []string{"none", "SF Express"} }, 0, "recipients", "none is given with other recipients"},
		{"no expiry", func(g *Grant) { g.ExpiresAt = time.Time{} }, 0, "expires_at", "missing: consent without an expiry is blanket consent (PIPL Art. 14); at most 365 days"},
		{"expiry before grant", func(g *Grant) { g.ExpiresAt = g.GrantedAt.Add(-time.Hour) }, 0, "expires_at", "not after granted_at"},
		{"expiry beyond default max", func(g *Grant) { g.ExpiresAt = g.GrantedAt.Add(DefaultMaxTTL + 24*time.Hour) }, 0, "expires_at", "366 days after granted_at, beyond the maximum of 365 days"},
		{"expiry beyond configured max", func(g *Grant) {}, 30 * 24 * time.Hour, "expires_at", "91 days after granted_at, beyond the maximum of 30 days"},
		{"expired", func(g *Grant) { g.GrantedAt, g.ExpiresAt = now.Add(-48*time.Hour), now.Add(-time.Hour) }, 0, "expires_at", "already past"},
		{"no grant time", func(g *Grant) { g.GrantedAt = time.Time{} }, 0, "granted_at", "missing"},
		{"sensitive without separate", func(g *Grant) {
			g.SubjectType, g.Subject, g.Types = pii.ResidentID, "11010519491231002X", []pii.Type{pii.ResidentID, pii.BankCard}
		}, 0, "separate", "cn_resident_id, bank_card are sensitive personal information: separate consent is required (PIPL Art. 29)"},
		{"minor without guardian", func(g *Grant) {
			g.SubjectType, g.Subject, g.Types, g.Separate = pii.ResidentID, minor, []pii.Type{pii.ResidentID}, true
		}, 0, "guardian", "the subject is under 14: a parent's or guardian's consent is required (PIPL Art. 31)"},
		{"no method", func(g *Grant) { g.Method = "" }, 0, "method", "missing: record how consent was collected"},
		{"pre-ticked", func(g *Grant) { g.Method = "Pre-ticked checkbox" }, 0, "method", "is not consent: silence, defaults and pre-ticked boxes do not express it (PIPL Art. 14)"},
		{"默认勾选", func(g *Grant) { g.Method = "注册页默认勾选" }, 0, "method", "is not consent"},
		{"no evidence", func(g *Grant) { g.Evidence = "" }, 0, "evidence", "missing: give the SHA-256 of the consent evidence"},
		{"bad evidence", func(g *Grant) { g.Evidence = "abc" }, 0, "evidence", "not a hex SHA-256 digest"},
		{"unhashed evidence file", func(g *Grant) { g.Evidence, g.EvidenceFile = "", "form.pdf" }, 0, "evidence", "evidence_file is not hashed yet"},
		{"invalid subject", func(g *Grant) { g.Subject = "15412345678" }, 0, "subject", "not a valid cn_mobile"},
		{"credential subject", func(g *Grant) { g.SubjectType = pii.Credential }, 0, "subject_type", "credential is authentication data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := good()
			tc.edit(&g)
			err := Validate(g, now, tc.maxTTL)
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("Validate = %v, want Errors", err)
			}
			found := false
			for _, e := range es {
				if e.Field == tc.field && strings.Contains(e.Msg, tc.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s error containing %q in:\n%v", tc.field, tc.msg, err)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(g.Subject)) {
				t.Errorf("error message contains the raw subject")
			}
		})
	}
}

func TestValidateAllAtOnce(t *testing.T) {
	err := Validate(Grant{}, now, 0)
	var es Errors
	if !errors.As(err, &es) {
		t.Fatal(err)
	}
	fields := map[string]bool{}
	for _, e := range es {
		fields[e.Field] = true
	}
	for _, f := range []string{"subject_type", "types", "purpose", "processor", "recipients", "method", "evidence", "granted_at", "expires_at"} {
		if !fields[f] {
			t.Errorf("no %s error for an empty grant: %v", f, err)
		}
	}
}

func TestConsent(t *testing.T) {
	g := good()
	g.Types = []pii.Type{pii.Mobile, pii.Mobile}
	g.Recipients = []string{" SF Express", "SF Express"}
	c, err := g.Consent(testKey)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := Normalise(pii.Mobile, g.Subject)
	if c.Subject != SubjectHMAC(testKey, pii.Mobile, n) || c.SubjectType != "cn_mobile" {
		t.Errorf("subject is not the HMAC of the normalised value")
	}
	if len(c.Types) != 1 || len(c.Recipients) != 1 || c.Recipients[0] != "SF Express" {
		t.Errorf("types %v recipients %v not de-duplicated", c.Types, c.Recipients)
	}
	if len(c.ID) != 32 {
		t.Errorf("ID %q", c.ID)
	}
	c2, _ := g.Consent(testKey)
	if c2.ID != c.ID {
		t.Errorf("ID not deterministic")
	}
	g.ExpiresAt = g.ExpiresAt.Add(time.Hour)
	if c3, _ := g.Consent(testKey); c3.ID == c.ID {
		t.Errorf("ID does not depend on the expiry")
	}
	none, _ := good().Consent(testKey)
	if none.Recipients == nil || len(none.Recipients) != 0 {
		t.Errorf(`["none"] should become an empty list, got %v`, none.Recipients)
	}
	if _, err := good().Consent([]byte("short")); err == nil {
		t.Errorf("short key accepted")
	}
	if !c.Live(now, nil) || c.Live(g.ExpiresAt.Add(time.Hour), nil) {
		t.Errorf("Live bounds wrong")
	}
}

func TestRefuseWithdraw(t *testing.T) {
	r, err := Refuse(testKey, pii.Mobile, "13812345678", now)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := good().Consent(testKey)
	if !r.Refused || r.Subject != c.Subject || r.ID == c.ID || r.Live(now, nil) {
		t.Errorf("refusal record wrong")
	}
	if !Withdraw(c, now) || Withdraw(c, now.Add(time.Hour)) || !c.WithdrawnAt.Equal(now) || c.Live(now, nil) {
		t.Errorf("withdrawal wrong")
	}
	if _, err := Refuse(testKey, pii.Mobile, "1", now); err == nil {
		t.Errorf("refusal for an invalid identifier accepted")
	}
}

func TestCheckPurposeWordBoundaries(t *testing.T) {
	for _, p := range []string{"overall delivery tracking", "generalised ledger audit", "allocation of parcels", "平等就业权益保障", "等级评定结果通知"} {
		if err := CheckPurpose(p); err != nil {
			t.Errorf("CheckPurpose(%q): %v", p, err)
		}
	}
}
