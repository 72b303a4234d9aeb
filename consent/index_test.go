package consent

import (
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
)

func mustConsent(t *testing.T, g Grant) *scruple.Consent {
	t.Helper()
	if err := Validate(g, now, 0); err != nil {
		t.Fatal(err)
	}
	c, err := g.Consent(testKey)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIndexCovers(t *testing.T) {
	const purpose = "order delivery notices by SMS"
	mobile := mustConsent(t, good())
	idG := good()
	idG.SubjectType, idG.Subject, idG.Types = pii.ResidentID, "11010519491231002X", []pii.Type{pii.ResidentID}
	idNoSep := idG // sensitive without separate: built directly, as a corrupted ledger might hold it
	idNoSep.Separate = false
	idG.Separate = true
	id := mustConsent(t, idG)
	idUnsafe, _ := idNoSep.Consent(testKey)
	guardianG := idG
	guardianG.Subject, guardianG.Guardian = "110105201501010017", true
	guardian := mustConsent(t, guardianG)
	noGuardian := guardianG
	noGuardian.Guardian = false
	noGuardianC, _ := noGuardian.Consent(testKey) // Validate would refuse it; the index must too
	noGuardianC.Subject = SubjectHMAC(testKey, pii.ResidentID, "11010419800101001X")

	withdrawnG := good()
	withdrawnG.Subject = "13912345678"
	withdrawn := mustConsent(t, withdrawnG)
	Withdraw(withdrawn, now.Add(-time.Minute))

	refusedG := good()
	refusedG.Subject = "13712345678"
	refusedGrant := mustConsent(t, refusedG)
	refusal, _ := Refuse(testKey, pii.Mobile, "13712345678", now.Add(-time.Hour))

	liftedG := good()
	liftedG.Subject = "13612345678"
	lifted := mustConsent(t, liftedG)
	liftedRefusal, _ := Refuse(testKey, pii.Mobile, "13612345678", now.Add(-2*time.Hour))
	Withdraw(liftedRefusal, now.Add(-time.Hour))

	// A grant dated after its subject's refusal stands (the subject changed
	// their mind); the refusal blocks only grants dated at or before it.
	laterG := good()
	laterG.Subject = "13512345670"
	later := mustConsent(t, laterG)
	earlyRefusal, _ := Refuse(testKey, pii.Mobile, "13512345670", laterG.GrantedAt.Add(-time.Hour))

	ix := NewIndex([]*scruple.Consent{mobile, id, idUnsafe, guardian, noGuardianC, withdrawn, refusedGrant, refusal, lifted, liftedRefusal, later, earlyRefusal, nil})
	h := func(t pii.Type, v string) string { return SubjectHMAC(testKey, t, v) }

	tests := []struct {
		name      string
		subj      string
		t         pii.Type
		purpose   string
		at        time.Time
		sensitive bool
		minor     bool
		want      string // consent ID, "" for not covered
	}{
		{"live, exact purpose", h(pii.Mobile, "13812345678"), pii.Mobile, purpose, now, false, false, mobile.ID},
		{"purpose case and spaces", h(pii.Mobile, "13812345678"), pii.Mobile, "  Order  delivery\tNOTICES by sms ", now, false, false, mobile.ID},
		{"full-width purpose", h(pii.Mobile, "13812345678"), pii.Mobile, "ｏｒｄｅｒ delivery notices by SMS", now, false, false, mobile.ID},
		{"wrong purpose", h(pii.Mobile, "13812345678"), pii.Mobile, "marketing messages by SMS", now, false, false, ""},
		{"purpose prefix is not the purpose", h(pii.Mobile, "13812345678"), pii.Mobile, "order delivery notices", now, false, false, ""},
		{"empty purpose", h(pii.Mobile, "13812345678"), pii.Mobile, "", now, false, false, ""},
		{"wrong type (same digits as card)", h(pii.BankCard, "13812345678"), pii.BankCard, purpose, now, false, false, ""},
		{"type not listed", h(pii.Mobile, "13812345678"), pii.Email, purpose, now, false, false, ""},
		{"unknown subject", h(pii.Mobile, "13512345678"), pii.Mobile, purpose, now, false, false, ""},
		{"before grant", h(pii.Mobile, "13812345678"), pii.Mobile, purpose, mobile.GrantedAt.Add(-time.Second), false, false, ""},
		{"at expiry", h(pii.Mobile, "13812345678"), pii.Mobile, purpose, mobile.ExpiresAt, false, false, ""},
		{"expired", h(pii.Mobile, "13812345678"), pii.Mobile, purpose, mobile.ExpiresAt.Add(time.Hour), false, false, ""},
		{"withdrawn", h(pii.Mobile, "13912345678"), pii.Mobile, purpose, now, false, false, ""},
		{"refused", h(pii.Mobile, "13712345678"), pii.Mobile, purpose, now, false, false, ""},
		// A refusal is final: withdrawing it does not revive the grants it blocked.
		{"refusal withdrawn still blocks", h(pii.Mobile, "13612345678"), pii.Mobile, purpose, now, false, false, ""},
		{"grant dated after a refusal", h(pii.Mobile, "13512345670"), pii.Mobile, purpose, now, false, false, later.ID},
		{"sensitive with separate", h(pii.ResidentID, "11010519491231002X"), pii.ResidentID, purpose, now, true, false, id.ID},
		{"sensitive by type, flag unset", h(pii.ResidentID, "11010519491231002X"), pii.ResidentID, purpose, now, false, false, id.ID},
		{"minor with guardian", h(pii.ResidentID, "110105201501010017"), pii.ResidentID, purpose, now, true, true, guardian.ID},
		{"minor without guardian", h(pii.ResidentID, "11010419800101001X"), pii.ResidentID, purpose, now, true, true, ""},
		{"adult page flagged minor needs guardian", h(pii.Mobile, "13812345678"), pii.Mobile, purpose, now, false, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := ix.Covers(tc.subj, tc.t, tc.purpose, tc.at, tc.sensitive, tc.minor)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("Covers = %q, %v; want %q", got, ok, tc.want)
			}
		})
	}

	// Sensitive without separate: only the consent with separate covers.
	only := NewIndex([]*scruple.Consent{idUnsafe})
	if _, ok := only.Covers(h(pii.ResidentID, "11010519491231002X"), pii.ResidentID, purpose, now, true, false); ok {
		t.Errorf("sensitive data covered without separate consent")
	}
	if !ix.Refused(h(pii.Mobile, "13712345678")) || ix.Refused(h(pii.Mobile, "13812345678")) {
		t.Errorf("Refused wrong")
	}
	// The index copies: a later change to the ledger record does not leak in.
	mobile.Types[0] = string(pii.Email)
	if _, ok := ix.Covers(h(pii.Mobile, "13812345678"), pii.Mobile, purpose, now, false, false); !ok {
		t.Errorf("index aliases the caller's consent")
	}
	var nilIx *Index
	if _, ok := nilIx.Covers("x", pii.Mobile, purpose, now, false, false); ok {
		t.Errorf("nil index covers")
	}
}
