package pii

import (
	"strings"
	"testing"
	"time"
)

type want struct {
	typ Type
	sub string // the expected span, located in the input
}

// describe prints findings as type@start-end, never their values.
func describe(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(string(f.Type))
		b.WriteString("@")
		b.WriteString(itoa(f.Start))
		b.WriteString("-")
		b.WriteString(itoa(f.End))
		b.WriteString(" ")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestScanFormats(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []want
	}{
		{"glued to Han", "身份证号11010519491231002X，手机13812345678", []want{{ResidentID, "11010519491231002X"}, {Mobile, "13812345678"}}},
		{"full-width", "手机：１３８１２３４５６７８，身份证：１１０１０５１９４９１２３１００２Ｘ", []want{{Mobile, "１３８１２３４５６７８"}, {ResidentID, "１１０１０５１９４９１２３１００２Ｘ"}}},
		{"+86 forms", "+86 138 1234 5678 / +8613912345678 / 0086-137-1234-5678", []want{{Mobile, "+86 138 1234 5678"}, {Mobile, "+8613912345678"}, {Mobile, "0086-137-1234-5678"}}},
		{"dotted mobile", "tel 138.1234.5678.", []want{{Mobile, "138.1234.5678"}}},
		{"landline forms", "电话(010)62345678，（0755）2345 6789，021-52345678转123", []want{{Landline, "(010)62345678"}, {Landline, "（0755）2345 6789"}, {Landline, "021-52345678"}}},
		{"international landline", "Tel: +86-10-6523-1234, Fax +86 755 2345 6789", []want{{Landline, "+86-10-6523-1234"}, {Landline, "+86 755 2345 6789"}}},
		{"extension", "电话0755-86013388-8001", []want{{Landline, "0755-86013388"}}},
		{"400 number", "客服热线400-820-8820", []want{{Landline, "400-820-8820"}}},
		{"card groups", "卡号 6222 0212 3456 7890 128 和 4111-1111-1111-1111", []want{{BankCard, "6222 0212 3456 7890 128"}, {BankCard, "4111-1111-1111-1111"}}},
		{"glued label", "TEL13812345678 ID11010519491231002X", []want{{Mobile, "13812345678"}, {ResidentID, "11010519491231002X"}}},
		{"inside long run", "订单20261127138123456780012 和 a13812345678b", nil},
		{"20-digit order", "单号 11010519491231002X12", nil},
		{"timestamp isbn", "20261127120000 9787111111111 978-7-111-11111-1", nil},
		{"bad mobiles", "12345678901 10086123456 14012345678", nil},
		{"hk id", "HKID: A123456(3), G123456A", []want{{HKID, "A123456(3)"}, {HKID, "G123456A"}}},
		{"passport needs context", "型号E12345678", nil},
		{"passport", "护照号码：E12345678，Passport No. EA1234567", []want{{Passport, "E12345678"}, {Passport, "EA1234567"}}},
		// C + 8 digits is the card-type 往来港澳通行证 (issued since 2014).
		{"permit", "港澳通行证 C12345678 H1234567890", []want{{PermitHKMO, "C12345678"}, {PermitHKMO, "H1234567890"}}},
		{"macau", "澳门身份证 1234567(8)", []want{{MOID, "1234567(8)"}}},
		{"plate", "车牌号：粤B·D12345，京A12345", []want{{Plate, "粤B·D12345"}, {Plate, "京A12345"}}},
		{"plate under a pinyin column", "cph: 津F35089\ncp: 浙L9P157", []want{{Plate, "津F35089"}, {Plate, "浙L9P157"}}},
		{"no plate in prose without context", "路过津F35089后", nil},
		// A cell holding exactly a plate, whatever its column is called.
		{"plate fills a cell", "vehicle_no: 津F35089\n13812345678,浙L9P157,王芳\n", []want{{Plate, "津F35089"}, {Mobile, "13812345678"}, {Plate, "浙L9P157"}}},
		{"plate needs context", "新A12345", nil},
		{"ip", "192.168.0.1 and 10.0.0.256 and v1.2.3.4 version 1.2.3.4 1.2.3.4.5 ::1", []want{{IPAddress, "192.168.0.1"}, {IPAddress, "::1"}}},
		{"upgraded to", "升级到 5.7.40.36 以后 App 一直闪退；APP 5.12.26.100 设备IP：182.23.172.203", []want{{IPAddress, "182.23.172.203"}}},
		{"masked and scp e-mail", "备注：1*******9@qq.com deps git@gitee.com:team/app.git 联系 li.na@qq.com: 谢谢", []want{{Email, "li.na@qq.com"}}},
		{"release notes", "- 9.4.62.144: fixed crash on 12.3.10.140 firmware\n* 8.4.18.87: new export dialog\n1.2.3.4 build", nil},
		{"ip with port or label", "- 10.1.2.3:8080 up\nclient 9.4.62.144: refused\n", []want{{IPAddress, "10.1.2.3"}, {IPAddress, "9.4.62.144"}}},
		{"not ipv6", "12:30:45 00:1A:2B:3C:4D:5E std::vector", nil},
		{"email", "Mail ZHANG.San+x@Example.COM.cn. or a@b.png", []want{{Email, "ZHANG.San+x@Example.COM.cn"}}},
		{"iban", "IBAN GB82 WEST 1234 5698 7654 32 / DE89370400440532013000", []want{{IBAN, "GB82 WEST 1234 5698 7654 32"}, {IBAN, "DE89370400440532013000"}}},
		{"ssn", "SSN 123-45-6789, 666-12-3456, ssn: 123456789", []want{{USSSN, "123-45-6789"}, {USSSN, "123456789"}}},
		{"uscc", "统一社会信用代码：91350100M000100Y43", []want{{USCC, "91350100M000100Y43"}}},
		{"credential", "密码：Abc123!  验证码: 384756 password=s3cret CVV2：123", []want{{Credential, "Abc123!"}, {Credential, "384756"}, {Credential, "s3cret"}, {Credential, "123"}}},
		{"sms code", "【速借宝】您的验证码为323557，5分钟内有效。动态码是 8841，验证码 66120", []want{{Credential, "323557"}, {Credential, "8841"}, {Credential, "66120"}}},
		// An invoice's 校验码 is printed for anyone to verify the invoice: not authentication data.
		{"invoice check code", "开票日期：2023年5月27日  校验码：58213 42279 66310 12379", nil},
		{"code words", "验证码已发送 验证码为空 验证码错误3次", nil},
		{"credential prose", "Password: must be at least eight characters. 密码：******", nil},
		{"names", "姓名：张三，联系人欧阳娜娜电话13812345678", []want{{PersonName, "张三"}, {PersonName, "欧阳娜娜"}, {Mobile, "13812345678"}}},
		{"honorific", "请王小明先生到前台", []want{{PersonName, "王小明"}}},
		{"adjacent", "李娜 13912345678\n张伟,13712345678", []want{{PersonName, "李娜"}, {Mobile, "13912345678"}, {PersonName, "张伟"}, {Mobile, "13712345678"}}},
		{"address", "家住广东省深圳市南山区科技园南路88号3栋2单元501室，", []want{{Address, "广东省深圳市南山区科技园南路88号3栋2单元501室"}}},
		{"not address", "地铁2号线，会议在3楼召开，第3号文件，27号出发", nil},
		{"15-digit", "旧身份证 110105491231002", []want{{ResidentID15, "110105491231002"}}},
	}
	d := New(Options{Now: now})
	for _, c := range cases {
		fs, _ := d.ScanString(c.in)
		ok := len(fs) == len(c.want)
		from := 0
		for i := 0; ok && i < len(fs); i++ {
			st := from + strings.Index(c.in[from:], c.want[i].sub)
			ok = fs[i].Type == c.want[i].typ && fs[i].Start == st && fs[i].End == st+len(c.want[i].sub)
			from = st + len(c.want[i].sub)
		}
		if !ok {
			t.Errorf("%s: got %s", c.name, describe(fs))
		}
	}
}

func TestSignals(t *testing.T) {
	d := New(Options{Now: now, BulkThreshold: 3})
	_, sig := d.ScanString("13812345678 13812345678 13912345678")
	if sig.Bulk || sig.Subjects != 2 {
		t.Errorf("two subjects: %+v", sig)
	}
	_, sig = d.ScanString("13812345678, 13912345678, a@example.com, 密码：abc123")
	if !sig.Bulk || sig.Subjects != 3 || !sig.Credential {
		t.Errorf("bulk: %+v", sig)
	}
	minor := "110105201801010000"
	minor = minor[:17] + string(idCheck[checkSum(minor[:17])%11])
	_, sig = d.ScanString("身份证 " + minor)
	if !sig.Minor {
		t.Errorf("minor not flagged")
	}
	_, sig = d.ScanString("身份证 11010519491231002X")
	if sig.Minor {
		t.Errorf("adult flagged as minor")
	}
	// A business hotline and an organisation are not subjects.
	_, sig = d.ScanString("400-820-8820 91350100M000100Y43")
	if sig.Subjects != 0 {
		t.Errorf("non-personal counted: %+v", sig)
	}
}

func TestOptions(t *testing.T) {
	in := "手机13812345678 邮箱a@example.com 身份证11010519491231002X"
	fs, _ := New(Options{Types: []Type{Email}, Now: now}).ScanString(in)
	if len(fs) != 1 || fs[0].Type != Email {
		t.Errorf("type filter: %s", describe(fs))
	}
	fs, _ = New(Options{MinConfidence: 0.97, Now: now}).ScanString("13812345678 身份证11010519491231002X")
	if len(fs) != 1 || fs[0].Type != ResidentID {
		t.Errorf("min confidence: %s", describe(fs))
	}
	// Zero Now means the time of the scan.
	fs, _ = New(Options{}).ScanString("11010519491231002X")
	if len(fs) != 1 {
		t.Errorf("zero Now: %s", describe(fs))
	}
	_ = time.Now
}

func TestInfo(t *testing.T) {
	for _, ty := range Types() {
		if Info(ty).Type != ty || Info(ty).Description == "" {
			t.Errorf("%s: missing info", ty)
		}
	}
	if Info(USCC).Personal || !Info(ResidentID).Sensitive || Info(Credential).Level != C3 {
		t.Error("classes")
	}
}

func TestRedact(t *testing.T) {
	in := "身份证11010519491231002X，手机138 1234 5678，卡号6222 0212 3456 7890 128，邮箱zhang@example.com，密码：abc123"
	d := New(Options{Now: now})
	fs, _ := d.ScanString(in)
	out, spans := RedactWith([]byte(in), fs, Mask)
	want := "身份证[cn_resident_id]，手机[cn_mobile]，卡号[bank_card]，邮箱[email]，密码：[credential]"
	if string(out) != want {
		t.Errorf("mask: got %s", out)
	}
	for i, sp := range spans {
		if string(out[sp.Start:sp.End]) != "["+string(fs[i].Type)+"]" {
			t.Errorf("span %d wrong", i)
		}
	}
	out = Redact([]byte(in), fs, Partial)
	want = "身份证110105********002X，手机138 **** 5678，卡号6222 **** **** ***0 128，邮箱z***@example.com，密码：[credential]"
	if string(out) != want {
		t.Errorf("partial: got %s", out)
	}
	// Overlapping and out-of-range findings are skipped, not panicked on.
	bad := []Finding{{Type: Email, Start: 0, End: 5}, {Type: Email, Start: 3, End: 8}, {Type: Email, Start: 100, End: 200}, {Type: Email, Start: 1, End: 2}}
	out, spans = RedactWith([]byte("abcdefghij"), bad, Mask)
	if string(out) != "[email]fghij" || spans[1].Start != -1 || spans[2].Start != -1 || spans[3].Start != -1 {
		t.Errorf("bad findings: %s %v", out, spans)
	}
}
