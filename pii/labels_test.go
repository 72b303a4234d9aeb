package pii_test

import (
	"testing"

	"github.com/scruple/scruple/pii"
)

func TestLabelType(t *testing.T) {
	for _, c := range []struct {
		label string
		want  pii.Type
	}{
		{"姓名", pii.PersonName}, {"姓 名", pii.PersonName}, {"联系人2", pii.PersonName}, {"联系人一", pii.PersonName},
		{"紧急联系人", pii.PersonName}, {"借款人", pii.PersonName}, {"户名", pii.PersonName}, {"客户经理", pii.PersonName},
		{"customer_name", pii.PersonName}, {"contactName", pii.PersonName}, {"contact_1_name", pii.PersonName},
		{"Full Name", pii.PersonName}, {"Cardholder", pii.PersonName}, {"Bill to", pii.PersonName}, {"xingming", pii.PersonName},
		{"收货地址", pii.Address}, {"home_address", pii.Address}, {"Mailing Address", pii.Address},
		{"身份证号", pii.ResidentID}, {"idCard", pii.ResidentID}, {"id_no", pii.ResidentID}, {"sfzh", pii.ResidentID},
		{"手机", pii.Mobile}, {"phone", pii.Mobile}, {"contact_phone", pii.Mobile}, {"联系人电话", pii.Mobile},
		{"银行卡号", pii.BankCard}, {"card_no", pii.BankCard}, {"email", pii.Email}, {"邮箱", pii.Email},
		{"IP地址", pii.IPAddress}, {"ip_address", pii.IPAddress}, {"passport_no", pii.Passport}, {"护照号码", pii.Passport},
		{"SSN", pii.USSSN}, {"IBAN", pii.IBAN}, {"password", pii.Credential},
		// Plates have no check digit: outside prose only their column says what they are.
		{"车牌", pii.Plate}, {"车牌号码", pii.Plate}, {"cp", pii.Plate}, {"cph", pii.Plate}, {"cphm", pii.Plate},
		{"plate_no", pii.Plate}, {"plateNumber", pii.Plate}, {"chepai", pii.Plate}, {"License Plate", pii.Plate},
	} {
		if got, ok := pii.LabelType(c.label); !ok || got != c.want {
			t.Errorf("LabelType(%q) = %q, %v; want %q", c.label, got, ok, c.want)
		}
	}
	for _, l := range []string{"company_name", "file_name", "username", "order_id", "created_at", "amount", "sku_name",
		"product", "备注", "金额", "下单时间", "Reply to", "nickname", "status", ""} {
		if got, ok := pii.LabelType(l); ok {
			t.Errorf("LabelType(%q) = %q, want none", l, got)
		}
	}
}
