package consent

import (
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

// The identifiers below are synthetic (standards' examples and test card
// numbers). Failure messages still never print values, as the package's own
// errors must not: they name the case instead.

func TestNormalise(t *testing.T) {
	tests := []struct {
		name string
		t    pii.Type
		raw  string
		want string
	}{
		{"id lower x", pii.ResidentID, "11010519491231002x", "11010519491231002X"},
		{"id grouped", pii.ResidentID, "110105 19491231 002X", "11010519491231002X"},
		{"id full-width", pii.ResidentID, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"},
		{"mobile +86", pii.Mobile, "+86 138-1234-5678", "13812345678"},
		{"mobile 0086", pii.Mobile, "0086 13812345678", "13812345678"},
		{"mobile glued", pii.Mobile, "13812345678", "13812345678"},
		{"mobile spaces", pii.Mobile, " 138 1234 5678 ", "13812345678"},
		{"landline", pii.Landline, "010-65231234", "01065231234"},
		{"landline parens", pii.Landline, "(0755) 2345 6789", "075523456789"},
		{"landline +86", pii.Landline, "+86 10 6523 1234", "01065231234"},
		{"card grouped", pii.BankCard, "4111 1111 1111 1111", "4111111111111111"},
		{"card unionpay", pii.BankCard, "6200-0000-0000-0005", "6200000000000005"},
		{"passport lower", pii.Passport, "e12345678", "E12345678"},
		{"permit", pii.PermitHKMO, "H1234567890", "H1234567890"},
		{"hkid parens", pii.HKID, "A123456(3)", "A1234563"},
		{"twid", pii.TWID, "a123456789", "A123456789"},
		{"moid", pii.MOID, "1234567(8)", "12345678"},
		{"plate dot", pii.Plate, "粤B·D12345", "粤BD12345"},
		{"plate lower", pii.Plate, "京a12345", "京A12345"},
		{"email case", pii.Email, "ZHANG.San+x@Example.COM.cn", "zhang.san+x@example.com.cn"},
		{"ipv4", pii.IPAddress, "203.0.113.7", "203.0.113.7"},
		{"ipv6 case", pii.IPAddress, "2001:DB8::1", "2001:db8::1"},
		{"iban spaced", pii.IBAN, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
		{"ssn", pii.USSSN, "123-45-6789", "123456789"},
		{"name han", pii.PersonName, " 张伟 ", "张伟"},
		{"name latin", pii.PersonName, "John Smith", "John Smith"},
		{"address", pii.Address, "北京市朝阳区建国路88号3栋2单元501室", "北京市朝阳区建国路88号3栋2单元501室"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Normalise(tc.t, tc.raw)
			if err != nil {
				t.Fatalf("Normalise(%s, <%s>): %v", tc.t, tc.name, err)
			}
			if got != tc.want {
				t.Errorf("Normalise(%s, <%s>) differs from the expected form (len %d vs %d)", tc.t, tc.name, len(got), len(tc.want))
			}
		})
	}
}

func TestNormaliseInvalid(t *testing.T) {
	tests := []struct {
		name string
		t    pii.Type
		raw  string
		msg  string
	}{
		{"id check digit", pii.ResidentID, "110105194912310021", "not a valid cn_resident_id"},
		{"id February 30", pii.ResidentID, "110105199902300029", "not a valid cn_resident_id"},
		{"id 17 chars", pii.ResidentID, "11010519491231002", "not a valid cn_resident_id"},
		{"mobile unallocated", pii.Mobile, "15412345678", "not a valid cn_mobile"},
		{"mobile short", pii.Mobile, "1381234567", "not a valid cn_mobile"},
		{"card Luhn", pii.BankCard, "4111111111111112", "not a valid bank_card"},
		{"hkid check", pii.HKID, "A123456(4)", "not a valid hk_id"},
		{"iban check", pii.IBAN, "GB82WEST12345698765433", "not a valid iban"},
		{"ssn 666", pii.USSSN, "666-12-3456", "not a valid us_ssn"},
		{"email tld", pii.Email, "a@b.png", "not a valid email"},
		{"email with text", pii.Email, "a@example.com and more", "not a valid email"},
		{"phone as card", pii.BankCard, "13812345678", "not a valid bank_card"},
		{"empty", pii.Mobile, "   ", "empty cn_mobile value"},
		{"control", pii.Email, "a@example.com\n", ""}, // trimmed: valid
		{"inner control", pii.PersonName, "张\x00伟", "control characters"},
		{"too long", pii.Address, strings.Repeat("路", 200), "longer than 512 bytes"},
		{"credential", pii.Credential, "hunter2", "credential is authentication data"},
		{"organisation", pii.USCC, "91350100M000100Y43", "cn_uscc identifies an organisation"},
		{"unknown type", "cn_phone", "13812345678", `unknown type id "cn_phone"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Normalise(tc.t, tc.raw)
			if tc.msg == "" {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want %q", err, tc.msg)
			}
			if strings.Contains(err.Error(), strings.TrimSpace(tc.raw)) && strings.TrimSpace(tc.raw) != "" {
				t.Errorf("error message contains the raw value")
			}
		})
	}
}

// TestNormaliseMatchesDetector is the contract the crawler relies on: the
// HMAC of a grant equals the HMAC of the same value found on a page.
func TestNormaliseMatchesDetector(t *testing.T) {
	key := make([]byte, 32)
	pages := []struct {
		t    pii.Type
		raw  string // as granted
		page string // as written on a page
	}{
		{pii.Mobile, "+86 138 1234 5678", "联系电话：138-1234-5678。"},
		{pii.ResidentID, "11010519491231002x", "身份证号 110105 19491231 002X"},
		{pii.Email, "Zhang@Example.com", "邮箱 zhang@example.COM，"},
		{pii.BankCard, "6200000000000005", "卡号 6200 0000 0000 0005"},
		{pii.HKID, "A1234563", "香港身份证 A123456(3)"},
		{pii.Landline, "+86 10 6523 1234", "电话 010-6523-1234"},
		{pii.Plate, "粤BD12345", "车牌号：粤B·D12345"},
	}
	det := pii.New(pii.Options{})
	for i, p := range pages {
		n, err := Normalise(p.t, p.raw)
		if err != nil {
			t.Fatalf("case %d (%s): %v", i, p.t, err)
		}
		fs, _ := det.ScanString(p.page)
		found := false
		for _, f := range fs {
			if f.Type == p.t && SubjectHMAC(key, f.Type, f.Subject) == SubjectHMAC(key, p.t, n) {
				found = true
			}
		}
		if !found {
			t.Errorf("case %d (%s): no finding on the page with the grant's subject HMAC", i, p.t)
		}
	}
}

func TestSubjectHMAC(t *testing.T) {
	k1 := []byte("0123456789abcdef0123456789abcdef")
	k2 := []byte("fedcba9876543210fedcba9876543210")
	a := SubjectHMAC(k1, pii.Mobile, "13812345678")
	// Stability: a fixed vector, so that a change to the input format (which
	// would orphan every stored consent) fails here first.
	// (Computed independently: HMAC-SHA256(k1, "scruple/consent-subject/v1\x00cn_mobile\x00" + value).)
	const want = "296d562a7218d739b21be442b90a42f5f4ecb7c067b4ce7a0e4af1cbe85ccb5d"
	if a != want {
		t.Errorf("HMAC changed: stored consents would no longer match")
	}
	if SubjectHMAC(k2, pii.Mobile, "13812345678") == a {
		t.Errorf("key not bound")
	}
	if SubjectHMAC(k1, pii.BankCard, "13812345678") == a {
		t.Errorf("type not bound: the same digits as a phone and a card must differ")
	}
	if SubjectHMAC(k1, "cn_mobile1", "3812345678") == a {
		t.Errorf("type and value not separated")
	}
}

// FuzzNormalise checks that no value panics, and that a normalised value is
// a fixed point (normalising it again gives itself), so a grant and a
// finding can never disagree by one round of normalisation.
func FuzzNormalise(f *testing.F) {
	f.Add(uint8(2), "+86 138 1234 5678")
	f.Add(uint8(0), "11010519491231002x")
	f.Add(uint8(13), "北京市朝阳区建国路88号3栋")
	f.Add(uint8(11), "粤B·D12345")
	f.Fuzz(func(t *testing.T, ti uint8, raw string) {
		types := pii.Types()
		ty := types[int(ti)%len(types)]
		n, err := Normalise(ty, raw)
		if err != nil {
			return
		}
		if again, err := Normalise(ty, n); err != nil || again != n {
			t.Fatalf("%s: normalised value is not a fixed point (%v)", ty, err)
		}
	})
}
