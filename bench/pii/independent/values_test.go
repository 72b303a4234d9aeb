package independent

import (
	"strings"
	"testing"
	"time"
)

func TestCheckDigitsOnPublishedExamples(t *testing.T) {
	for _, id := range []string{"11010519491231002X", "440524188001010014"} {
		if got := IDCheck(id[:17]); got != id[17] {
			t.Errorf("IDCheck(%s) = %c", id[:6], got)
		}
	}
	if got := HKIDCheck("A123456"); got != '3' {
		t.Errorf("HKIDCheck(A123456) = %c, want 3", got)
	}
	if !TWIDValid("A123456789") || TWIDValid("A123456788") {
		t.Error("TWIDValid on the published example")
	}
	for _, iban := range []string{"DE89370400440532013000", "GB29NWBK60161331926819", "FR1420041010050500013M02606", "NL91ABNA0417164300"} {
		if !IBANValid(iban) {
			t.Errorf("IBANValid(%s...) = false", iban[:4])
		}
	}
	if Luhn("7992739871") != "79927398713" || !LuhnValid("4111111111111111") || LuhnValid("4111111111111112") {
		t.Error("Luhn on published examples")
	}
	if got := orgCodeCheck("D2143569"); got != 'X' { // GB 11714 worked example D2143569-X
		t.Errorf("orgCodeCheck(D2143569) = %c, want X", got)
	}
}

func TestGeneratedValuesAreValid(t *testing.T) {
	r := NewR(7, 7)
	regions := map[string]bool{}
	for _, g := range Regions {
		regions[g.Code] = true
	}
	for i := 0; i < 2000; i++ {
		id := r.ResidentID(r.IDRegion().Code, r.Birth(), r.Chance(0.5))
		if len(id) != 18 || IDCheck(id) != id[17] || !regions[id[:6]] {
			t.Fatalf("bad ID %s", Mask(id))
		}
		if _, err := time.Parse("20060102", id[6:14]); err != nil {
			t.Fatalf("bad birth date in %s", Mask(id))
		}
		if bad := r.BadCheckID(); IDCheck(bad) == bad[17] {
			t.Fatalf("BadCheckID passes the check")
		}
		_, c := r.CNCard()
		if !LuhnValid(c) || !strings.HasPrefix(c, "62") {
			t.Fatalf("bad card %s", Mask(c))
		}
		if c := r.Card(Banks[r.IntN(len(Banks))]); !LuhnValid(c) {
			t.Fatalf("bad card %s", Mask(c))
		}
		if LuhnValid(r.BadLuhn()) {
			t.Fatal("BadLuhn passes Luhn")
		}
		if iban := r.IBAN(""); !IBANValid(iban) {
			t.Fatalf("bad IBAN %s", Mask(iban))
		}
		if tw := r.TWID(); !TWIDValid(tw) {
			t.Fatalf("bad TW ID %s", Mask(tw))
		}
		hk := r.HKID()
		body := hk[:strings.IndexByte(hk, '(')]
		if HKIDCheck(body) != hk[len(hk)-2] {
			t.Fatalf("bad HK ID %s", Mask(hk))
		}
		u := r.USCC(r.CurrentRegion().Code)
		if len(u) != 18 || USCCCheck(u) != u[17] || orgCodeCheck(u[8:16]) != u[16] {
			t.Fatalf("bad USCC %s", Mask(u))
		}
		ssn := r.SSN()
		if ssn[:3] == "000" || ssn[:3] == "666" || ssn[0] == '9' || ssn[4:6] == "00" || ssn[7:] == "0000" {
			t.Fatalf("SSN breaks SSA rules: %s", Mask(ssn))
		}
		bad := r.BadSSN()
		if !(bad[:3] == "000" || bad[:3] == "666" || bad[0] == '9' || bad[4:6] == "00" || bad[7:] == "0000") {
			t.Fatalf("BadSSN follows SSA rules: %s", Mask(bad))
		}
		p := r.Passport()
		if !(len(p) == 9 && (p[0] == 'E' || p[0] == 'G')) || strings.ContainsAny(p[1:2], "IO") {
			t.Fatalf("bad passport %s", Mask(p))
		}
		if m := r.Mobile(); len(m) != 11 || m[0] != '1' || m[1] < '3' {
			t.Fatalf("bad mobile %s", Mask(m))
		}
	}
}

func TestMaskNeverShowsTheValue(t *testing.T) {
	for _, v := range []string{"13812345678", "11010519491231002X", "张伟", "慕容琳", "zhangwei@163.com", "DE89370400440532013000"} {
		for _, typ := range []string{"person_name", "cn_mobile"} {
			if m := MaskTyped(typ, v); m == v || strings.Contains(m, v[1:len(v)-1]) {
				t.Errorf("mask of a %d-byte value shows it", len(v))
			}
		}
	}
}
