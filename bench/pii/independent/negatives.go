package independent

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Hard-negative families. Each generator returns the value, labelled.

func luhnInvalid(r R, n int, prefix string) string {
	for {
		s := prefix + r.Digits(n-len(prefix))
		if !LuhnValid(s) {
			return s
		}
	}
}

func (r R) notID(prefix string) string {
	for {
		s := prefix + r.Digits(18-len(prefix))
		if IDCheck(s) != s[17] {
			return s
		}
	}
}

// OrderNumber: e-commerce and payment order numbers, some the length of an
// ID, a card or (under a non-phone label) a mobile.
func (r R) OrderNumber() V {
	var s string
	switch r.IntN(8) {
	case 0:
		s = r.notID("2023")
	case 1:
		s = luhnInvalid(r, 19, strconv.Itoa(r.Between(1, 4)))
	case 2:
		s = "DD" + "2023" + fmt.Sprintf("%02d%02d", r.Between(1, 12), r.Between(1, 28)) + r.Digits(8)
	case 3:
		s = fmt.Sprintf("23%02d%02d-%s", r.Between(1, 12), r.Between(1, 28), r.Digits(15))
	case 4:
		s = luhnInvalid(r, 16, "2023")
	case 5:
		s = "8" + r.Digits(11)
	case 6:
		s = "PO-" + r.Digits(4) + "-" + r.Digits(6)
	default:
		s = "T" + r.Digits(20)
	}
	return N("order_number", s)
}

// MobileLikeSerial is an 11-digit serial that starts like a mobile number,
// written under an explicit 订单号/流水号 label: its own family, because
// only the label tells it from a phone.
func (r R) MobileLikeSerial() V {
	return N("serial_mobile_like", Pick(r, mobilePrefixes)+r.Digits(8))
}

// Tracking is a parcel tracking number.
func (r R) Tracking() V {
	var s string
	switch r.IntN(6) {
	case 0:
		s = "SF" + r.Digits(13)
	case 1:
		s = "YT" + r.Digits(13)
	case 2:
		s = luhnInvalid(r, 14, "7")
	case 3:
		s = "JT" + r.Digits(13)
	case 4:
		s = "E" + string(passportLetters[r.IntN(len(passportLetters))]) + r.Digits(9) + "CN" // EMS
	default:
		s = luhnInvalid(r, 13, "98")
	}
	return N("tracking_number", s)
}

// Invoice is a VAT invoice code or number.
func (r R) Invoice() V {
	switch r.IntN(3) {
	case 0:
		return N("invoice_number", "0"+r.Digits(3)+"1"+r.Digits(7))
	case 1:
		return N("invoice_number", r.Digits(8))
	}
	return N("invoice_number", luhnInvalid(r, 20, "23"+r.Digits(2)+"2"))
}

// ISBN is a valid ISBN-13, printed with or without hyphens.
func (r R) ISBN() V {
	body := "9787" + r.Digits(8)
	s := 0
	for i := range body {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		s += int(body[i]-'0') * w
	}
	full := body + strconv.Itoa((10-s%10)%10)
	if r.Chance(0.5) {
		full = full[:3] + "-" + full[3:4] + "-" + full[4:7] + "-" + full[7:12] + "-" + full[12:]
	}
	return N("isbn", full)
}

// Timestamp is a machine time: Unix ms, compact or ISO 8601.
func (r R) Timestamp() V {
	switch r.IntN(4) {
	case 0:
		return N("timestamp", luhnInvalid(r, 13, "16"+strconv.Itoa(r.Between(5, 9))))
	case 1:
		return N("timestamp", strconv.Itoa(r.Between(1600000000, 1710000000)))
	case 2:
		return N("timestamp", fmt.Sprintf("2023%02d%02d%02d%02d%02d", r.Between(1, 12), r.Between(1, 28), r.IntN(24), r.IntN(60), r.IntN(60)))
	}
	return N("timestamp", fmt.Sprintf("2023-%02d-%02dT%02d:%02d:%02d+08:00", r.Between(1, 12), r.Between(1, 28), r.IntN(24), r.IntN(60), r.IntN(60)))
}

// Hash is a digest or identifier in hex.
func (r R) Hash() V {
	h := sha256.Sum256([]byte(r.Digits(20)))
	x := hex.EncodeToString(h[:])
	switch r.IntN(5) {
	case 0:
		return N("hash", x[:32])
	case 1:
		return N("hash", x[:40])
	case 2:
		return N("hash", x)
	case 3:
		return N("hash", x[:8]+"-"+x[8:12]+"-4"+x[13:16]+"-a"+x[17:20]+"-"+x[20:32])
	}
	return N("hash", x[:7])
}

// Version is a version string; some look like IPv4 addresses.
func (r R) Version() V {
	switch r.IntN(6) {
	case 0:
		return N("version_string", fmt.Sprintf("v%d.%d.%d", r.IntN(5), r.IntN(30), r.IntN(50)))
	case 1:
		return N("version_string", fmt.Sprintf("Chrome/%d.0.%d.%d", r.Between(100, 120), r.Between(5000, 6200), r.Between(10, 200)))
	case 2:
		return N("version_string", fmt.Sprintf("10.0.%d.%d", r.Between(17000, 22631), r.Between(1, 3600)))
	}
	return N("ip_like_version", fmt.Sprintf("%d.%d.%d.%d", r.Between(1, 12), r.IntN(20), r.IntN(100), r.Between(1, 250)))
}

// EmailLike is a string with an @ that is not a mailbox.
func (r R) EmailLike() V {
	return N("email_like", Pick(r, []string{
		"icon@2x.png", "logo@3x.jpg", "banner@2x.webp", "lodash@4.17.21", "@babel/core@7.23.2", "vue@3.3.8",
		"react-dom@18.2.0", "git@gitee.com:team/app.git", "root@localhost", "deploy@build-01", "name@example",
		"xxx@xxx", "user@host", "element-plus@2.4.2", "@angular/cli@17.0.3", "typescript@5.2.2",
	}))
}

// BusinessPhone is a 400/800 number or a service short code.
func (r R) BusinessPhone() V {
	switch r.IntN(5) {
	case 0:
		return N("business_phone", "400-"+r.Digits(3)+"-"+r.Digits(4))
	case 1:
		return N("business_phone", "4008-"+r.Digits(3)+"-"+r.Digits(3))
	case 2:
		return N("business_phone", "800-"+r.Digits(3)+"-"+r.Digits(4))
	case 3:
		return N("business_phone", "400"+r.Digits(7))
	}
	return N("business_phone", Pick(r, []string{"95588", "95555", "95533", "95566", "95599", "10086", "10010", "12315", "12345", "95511"}))
}

// USCCNeg is an organisation's credit code: expected as cn_uscc, never as personal.
func (r R) USCCNeg() V {
	v := N("uscc", r.USCC(r.CurrentRegion().Code))
	v.Type = "cn_uscc"
	return v
}

// Contract is a contract or loan reference.
func (r R) Contract() V {
	return N("contract_number", Pick(r, []string{
		"HT-2023-" + r.Digits(6), "JK" + "2023" + r.Digits(8), "LN2023" + r.Digits(10), "(2023)粤0305民初" + strconv.Itoa(r.Between(1000, 39999)) + "号",
		"ZX" + r.Digits(12), "CF-" + r.Digits(3) + "-" + r.Digits(7),
	}))
}

// BIC is a SWIFT code.
func (r R) BIC() V {
	return N("bic", Pick(r, []string{"DEUTDEFF500", "NWBKGB2L", "BNPAFRPP", "COBADEFFXXX", "ICBKCNBJ", "BKCHCNBJ", "CMBCCNBS", "INGBNL2A", "UNCRITMM", "BARCGB22", "CHASUS33", "HSBCHKHHHKH"}))
}

// NameLike are words and names that contain surnames but are no person.
func (r R) NameLike() V {
	switch r.IntN(5) {
	case 0:
		return N("company_name", Pick(r, CompanyNames))
	case 1:
		return N("place_name", Pick(r, Places))
	case 2:
		return N("product_name", Pick(r, Products))
	case 3:
		return N("honorific_words", Pick(r, Honorifics))
	}
	return N("english_non_name", Pick(r, BizNames))
}

// MaskedName is a published-with-mask name: 张某某, 李*, 王**.
func (r R) MaskedName(p Person) V {
	s := []rune(p.Name)
	sur := string(s[0])
	if containsForm(p.Forms, "compound_surname") {
		sur = string(s[:2])
	}
	m := Pick(r, []string{sur + "某某", sur + "某", sur + "*", sur + "**", sur + "某甲", sur + "××", sur + "XX"})
	return N("masked", m)
}

// Masked is a masked identifier as notices and receipts print it.
func (r R) Masked() V {
	switch r.IntN(6) {
	case 0:
		m := r.Mobile()
		return N("masked", m[:3]+"****"+m[7:])
	case 1:
		id := r.ResidentID(r.CurrentRegion().Code, r.Birth(), true)
		return N("masked", id[:6]+"********"+id[14:])
	case 2:
		id := r.ResidentID(r.CurrentRegion().Code, r.Birth(), false)
		return N("masked", id[:4]+"**********"+id[14:])
	case 3:
		_, c := r.CNCard()
		return N("masked", c[:4]+" **** **** "+c[len(c)-4:])
	case 4:
		m := r.Mobile()
		return N("masked", m[:3]+"xxxx"+m[7:])
	}
	return N("masked", Pick(r, []string{"z***@163.com", "l***@qq.com", "w****@gmail.com", "1*******9@qq.com"}))
}

// Coarse is a district-level location, not a precise address.
func (r R) Coarse() V {
	g := r.CurrentRegion()
	if g.City == "" {
		return N("coarse_address", g.Province+g.District)
	}
	return N("coarse_address", g.Province+g.City+g.District)
}

// Misc is any of the numeric families a document mentions in passing.
func (r R) Misc() V {
	switch r.IntN(10) {
	case 0:
		return r.OrderNumber()
	case 1:
		if r.Chance(0.3) {
			return r.MobileLikeSerial()
		}
		return r.OrderNumber()
	case 2:
		return r.Tracking()
	case 3:
		return r.Invoice()
	case 4:
		return r.Timestamp()
	case 5:
		return r.Hash()
	case 6:
		return r.Contract()
	case 7:
		return N("bad_check_id", r.BadCheckID())
	case 8:
		return N("luhn_invalid", r.BadLuhn())
	}
	return r.Version()
}

// MiscLabel is a label that fits a negative's family.
func MiscLabel(r R, v V) string {
	switch v.Family {
	case "order_number", "serial_mobile_like":
		return Pick(r, []string{"订单号", "订单编号", "交易流水号", "商户订单号", "流水号"})
	case "tracking_number":
		return Pick(r, []string{"快递单号", "运单号", "物流单号"})
	case "invoice_number":
		return Pick(r, []string{"发票代码", "发票号码"})
	case "timestamp":
		return Pick(r, []string{"时间戳", "提交时间", "ts"})
	case "hash":
		return Pick(r, []string{"校验码", "request_id", "trace_id", "SHA256", "文件指纹"})
	case "contract_number":
		return Pick(r, []string{"合同编号", "借据号", "案号", "业务编号"})
	case "bad_check_id":
		return Pick(r, []string{"证件号码(校验未通过)", "身份证号（错误，请核实）", "客户编号", "档案号"})
	case "luhn_invalid":
		return Pick(r, []string{"参考号", "交易参考号", "授权码序列", "卡号（无效）", "会员卡号"})
	case "version_string", "ip_like_version":
		return Pick(r, []string{"版本号", "固件版本", "App版本", "客户端版本", "Build"})
	}
	return "编号"
}

func containsForm(forms []string, f string) bool {
	for _, x := range forms {
		if x == f {
			return true
		}
	}
	return false
}

// Amount is money, written as reports do.
func (r R) Amount() string {
	n := r.Between(500, 300000)
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String() + "." + r.Digits(2)
}

// Hex is n random lower-case hex digits.
func (r R) Hex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = "0123456789abcdef"[r.IntN(16)]
	}
	return string(b)
}
