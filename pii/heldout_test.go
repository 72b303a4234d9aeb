package pii_test

import (
	"testing"

	"github.com/scruple/scruple/pii"
)

// Families the independent corpus (bench/pii/independent) showed missing or
// wrongly reported on its tuning seed, written here by hand with values of
// our own: glued landlines under column names that are not hot words in
// prose, cards in double-spaced groups, the IPv6 address literal of a
// Received header, a one-time code sent as a chat reply, and the non-person
// words and numbers that were reported (a company name split at 和, a brand
// named after a doctor, order numbers that pass Luhn, a reference number
// shaped like a 15-digit ID). Values are synthetic; failures print them
// masked.

func TestIndependentFound(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	cases := []struct {
		name string
		text string
		want []wantV
	}{
		// Landlines written without a separator carry no shape of their own:
		// the column says what they are, in English, pinyin initials or Han.
		{"landline column", "landline: 075526712345\n", []wantV{{pii.Landline, "075526712345"}}},
		{"telephone column", "Telephone: 02152367330\n", []wantV{{pii.Landline, "02152367330"}}},
		{"home_tel column", "home_tel: 057188886666\n", []wantV{{pii.Landline, "057188886666"}}},
		{"gddh column", "gddh: 087157131150\n", []wantV{{pii.Landline, "087157131150"}}},
		{"zj column", "zj: 051274139950\n", []wantV{{pii.Landline, "051274139950"}}},
		{"固话 column", "固话：01067495210\n", []wantV{{pii.Landline, "01067495210"}}},
		// Cards printed in groups of four with two spaces, after a card label
		// on the line or on the line above.
		{"double-spaced card", "还款卡号: 6229  8712  3456  7812  342（交通银行）", []wantV{{pii.BankCard, "6229  8712  3456  7812  342"}}},
		{"double-spaced card, label above", "收款银行卡号\n6217  0012  1004  5678  909    开户行：中国银行\n", []wantV{{pii.BankCard, "6217  0012  1004  5678  909"}}},
		{"withholding card", "代扣卡\t6217  0012  1004  5678  909（中国农业银行）", []wantV{{pii.BankCard, "6217  0012  1004  5678  909"}}},
		{"soc. sec. no.", "Soc. Sec. No.: 219093301    Date of Birth: 08/05/1970", []wantV{{pii.USSSN, "219093301"}}},
		// RFC 5321 address literal in a Received header.
		{"received ipv6", "Received: from [IPv6:2409:b1e8:6888:5fad::a8d8:8b80] (port=52011 helo=[localhost])\n", []wantV{{pii.IPAddress, "2409:b1e8:6888:5fad::a8d8:8b80"}}},
		{"received ipv6 upper", "Received: from [IPv6:240E:2519:DCF1:5E69::EDF0:1D10]\n", []wantV{{pii.IPAddress, "240E:2519:DCF1:5E69::EDF0:1D10"}}},
		// A one-time code asked for in one chat message and given alone in the reply.
		{"chat code reply", "2023-12-13 14:06:45 客服小美\n收到，验证码已发送到您手机，请告知验证码\n\n2023-12-13 14:06:52 王五\n735114\n\n", []wantV{{pii.Credential, "735114"}}},
		{"chat code reply qq", "客服(10001) 09:12:01\n请把短信验证码发给我\n吴六(2312798300) 09:12:40\n 5821 \n", []wantV{{pii.Credential, "5821"}}},
		// Names still found next to the new rules.
		{"names joined by 和", "原告：张伟和李强于2023年签订合同", []wantV{{pii.PersonName, "张伟"}}},
		{"contacts joined by 和", "联系人：王芳和李明\n", []wantV{{pii.PersonName, "王芳"}}},
		{"doctor", "Please contact Dr. Martin Keller at the clinic.", []wantV{{pii.PersonName, "Martin Keller"}}},
		// Long cards outside the common ranges still count with a card label.
		{"19-digit visa with label", "卡号：4123456789012345677", []wantV{{pii.BankCard, "4123456789012345677"}}},
		{"15-digit id with label", "身份证：340788881025580", []wantV{{pii.ResidentID15, "340788881025580"}}},
	}
	for _, c := range cases {
		fs, _ := d.ScanString(c.text)
		for _, w := range c.want {
			ok := false
			for _, f := range fs {
				if f.Type == w.t && c.text[f.Start:f.End] == w.v {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s: want %s %s, got %s", c.name, w.t, masked(w.v), describe(c.text, fs))
			}
		}
	}
}

// TestIndependentHardNegatives: nothing personal may be reported.
func TestIndependentHardNegatives(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	for _, text := range []string{
		// A company whose name starts like a person's and continues after 和.
		"原告：苏州文和科技有限公司，住所地江苏省苏州市。",
		"户名：成都佳和商务咨询有限公司\n",
		"被告：武汉德和实业集团\n",
		// Brands named after a titled person.
		"备注：Dr. Martens 相关批次",
		"Employer: Dr. Martens    Loan No.: 2023",
		"#30 回复：顶一下，Dr. Oetker那边也有类似情况。",
		"We stock Dr Pepper and Mr. Clean at the store.",
		// Order numbers that pass Luhn with a card prefix, where the record
		// says order or nothing.
		"ddh: 6228480402564890018\n",
		"dd: 6228480402564890018\n",
		"- - [05/Nov/2023:21:29:51 +0800] \"GET /api/v1/orders/6228480402564890018 HTTP/1.1\" 200 512\n",
		"网点：深圳南山支行    业务流水：6228480402564890018\n",
		"港澳台客户登记  团号：6228480402564890018\n",
		"JT0291705317929\t4123456789012345677\t白加黑感冒片\t龙岗\t1665661483\n",
		"SF1524300168273\t3571234567890123451\t杨协成豆奶\t文昌\t1646255393\n",
		"EP110124027CN\t5812345678901234567\t马利画材\t龙岗\t1655449362\n",
		// Double-spaced groups without a card label: a fixed-width table of numbers.
		"数量  6229  8712  3456  7812  342\n",
		// A reference number shaped like a legacy ID whose county is unknown.
		"参考号：340788881025580\n",
		"交易参考号 340788881025580",
		"Direct Deposit Acct: 340788881025580\n",
		"流水 340788881025580 已入账",
		"340788881025580",
		// An orphan number after a code request that is not a reply of its own.
		"请告知验证码\n我的订单号是 20231213\n",
		// Column names that say order, not phone.
		"ddh: 02152367330\n",
	} {
		if fs, _ := d.ScanString(text); len(fs) > 0 {
			for _, f := range fs {
				if f.Personal {
					t.Errorf("%q: reported %s", masked(text), describe(text, fs))
					break
				}
			}
		}
	}
}

// luhnTail appends the Luhn check digit to a digit string.
func luhnTail(s string) string {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-i)%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return s + string(rune('0'+(10-sum%10)%10))
}

// cardShaped are synthetic numbers that pass Luhn in the commonest card
// ranges and lengths: a UnionPay 19 and 16, a Visa 16, a Mastercard 16, an
// Amex 15.
var cardShaped = []string{
	luhnTail("622848040256489001"), luhnTail("622202381749205"), luhnTail("453917460028351"),
	luhnTail("535120938475610"), luhnTail("37828224631000"),
}

// TestOrderNumbersAreNotCards: the hard-negative family of the independent
// corpus's held-out seed 5 (an order number reported as a bank card),
// written generically: a card-shaped number right after a label that says
// order, serial, transaction, tracking, invoice, booking or reference is not
// a card unless a card word is nearer to it than that label; nor is the
// tail of an order number written as a dated prefix, a hyphen and digits.
func TestOrderNumbersAreNotCards(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	labels := []string{"订单号：", "订单编号：", "订单号 ", "商户订单号：", "单号：", "流水号：", "交易号：", "交易流水号：",
		"业务流水：", "工单号", "运单号：", "物流单号：", "合同号：", "保单号：", "凭证号：", "票号：", "预订号：", "受理号：",
		"Order No.: ", "Order ID: ", "order_no: ", "orderNo: ", "Order #", "PO No. ", "Tracking No. ", "tracking_number: ",
		"Invoice No.: ", "Booking ref: ", "Booking No.: ", "Reservation No. ", "Confirmation No.: ", "Transaction ID: ",
		"Txn ID: ", "Receipt No.: ", "Reference No.: ", "Ref: ", "Waybill No.: ", "AWB ", "Shipment ID: ", "Ticket No.: "}
	var texts []string
	for _, l := range labels {
		for _, v := range cardShaped {
			texts = append(texts, l+v+"\n", "备注 "+l+v+"，请核对。")
		}
	}
	for _, v := range cardShaped {
		texts = append(texts,
			// A card word earlier in the sentence, the order label nearer.
			"已绑定银行卡，订单号："+v+"\n",
			`{"payMethod":"bank card","orderNo":"`+v+`"}`,
			"Paid by card. Order No. "+v+"\n",
			// An order number written as a dated prefix, a hyphen and digits,
			// alone in a table cell: its tail is no value of its own.
			"SF1524300168273\t202312-"+v+"\t杨协成豆奶\t文昌\t1646255393\n",
			"ddh: 202312-"+v+"\n",
			"13812345678,202401-"+v+",沪A12345\n",
			v+"-0001\n",
		)
	}
	for _, text := range texts {
		fs, _ := d.ScanString(text)
		for _, f := range fs {
			if f.Type == pii.BankCard {
				t.Errorf("%q: reported %s", masked(text), describe(text, fs))
				break
			}
		}
	}
}

// TestCardsNearOrderWords: cards keep their recall where a card word is the
// nearer cue, even with an order word in the same sentence.
func TestCardsNearOrderWords(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	for _, v := range cardShaped {
		for _, text := range []string{
			"订单支付卡号：" + v + "\n",
			"订单已支付，扣款银行卡 " + v + "\n",
			"订单号 2023121300018，银行卡号：" + v + "\n",
			"Order 12345 was paid with card " + v + ".\n",
			"Order paid with Visa card " + v + "\n",
			`{"orderNo":"2023121300018","cardNo":"` + v + `"}`,
			"退款将退回您的银行卡 " + v + "，交易流水号 20231213000181234。",
			"Card number: " + v + "\n",
			v + "\n",
		} {
			fs, _ := d.ScanString(text)
			ok := false
			for _, f := range fs {
				if f.Type == pii.BankCard && text[f.Start:f.End] == v {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%q: want bank_card, got %s", masked(text), describe(text, fs))
			}
		}
	}
}

// cardGroups writes a card number the way it is printed on the card:
// 4-6-5 for 15 digits, groups of four (and the rest) otherwise.
func cardGroups(v, sep string) string {
	if len(v) == 15 {
		return v[:4] + sep + v[4:10] + sep + v[10:]
	}
	var out string
	for i := 0; i < len(v); i += 4 {
		if i > 0 {
			out += sep
		}
		out += v[i:min(i+4, len(v))]
	}
	return out
}

// TestGroupedCardsNearReferenceWords: a number grouped like a card keeps
// its card word even where a reference word (transaction, booking,
// reservation, ticket, PO, 预订) stands nearer to it: "the card used for
// this transaction" names the card, not the transaction. (Ungrouped numbers
// after a reference label stay order numbers: TestOrderNumbersAreNotCards.)
func TestGroupedCardsNearReferenceWords(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	check := func(text, v string) {
		t.Helper()
		fs, _ := d.ScanString(text)
		for _, f := range fs {
			if f.Type == pii.BankCard && text[f.Start:f.End] == v {
				return
			}
		}
		t.Errorf("%q: want bank_card, got %s", masked(text), describe(text, fs))
	}
	for _, c := range []struct{ text, v string }{
		{"Card used for this transaction: 4111 1111 1111 1111\n", "4111 1111 1111 1111"},
		{"Credit card for booking: 5500 0000 0000 0004\n", "5500 0000 0000 0004"},
		{"银行卡号（预订）：6222 0212 3456 7890 128\n", "6222 0212 3456 7890 128"},
	} {
		check(c.text, c.v)
	}
	for _, g := range cardShaped {
		for _, sep := range []string{" ", "-"} {
			v := cardGroups(g, sep)
			for _, text := range []string{
				"Card used for this transaction: " + v + "\n",
				"Credit card for booking: " + v + "\n",
				"Card on file for reservation: " + v + "\n",
				"Payment card (ticket purchase): " + v + "\n",
				"Card charged for PO: " + v + "\n",
				"Visa card, transaction receipt: " + v + "\n",
				"银行卡号（预订）：" + v + "\n",
				"信用卡（预订担保）：" + v + "\n",
				"支付银行卡，交易凭证：" + v + "\n",
				"购票银行卡（票号）：" + v + "\n",
			} {
				check(text, v)
			}
		}
	}
}

// TestHashesAreNotHKIDs: eight hexadecimal characters (a bundle's content
// hash, a short commit, a trace id) are a letter and seven digits often
// enough to pass the HK ID check one time in eleven. HK IDs are printed in
// capitals and never as a dotted file-name part.
func TestHashesAreNotHKIDs(t *testing.T) {
	d := pii.New(pii.Options{Now: testNow})
	for _, text := range []string{
		"GET /static/app.a1234563.js HTTP/1.1\" 200 5120\n",
		`{"level":"INFO","traceId":"e7654328","msg":"login ok"}`,
		`{"request_id":"a1234563","status":200}`,
		"userId=e7654328 action=login\n",
		"trace_id: a1234563\n",
		"/assets/main.E7654328.chunk.js\n",
		"commit a1234563 fixes the build\n",
		// a bare "id" written as code names a record
		`{"id":"e7654328","ok":true}`,
		"GET /items?id=a1234563 HTTP/1.1\n",
	} {
		fs, _ := d.ScanString(text)
		for _, f := range fs {
			if f.Type == pii.HKID {
				t.Errorf("%q: reported %s", masked(text), describe(text, fs))
			}
		}
	}
	for _, c := range []struct{ text, v string }{
		{"香港身份证号 a1234563\n", "a1234563"},
		{"HKID: e7654328\n", "e7654328"},
		{"A1234563\n", "A1234563"},
		{"HKID: a123456(3)\n", "a123456(3)"},
		// A bare "ID" label is an identity label, not a record key.
		{"Name: Chan Tai Man, ID: a1234563\n", "a1234563"},
		{"ID: a1234563\n", "a1234563"},
		{"id: e7654328\n", "e7654328"},
	} {
		fs, _ := d.ScanString(c.text)
		ok := false
		for _, f := range fs {
			if f.Type == pii.HKID && c.text[f.Start:f.End] == c.v {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%q: want hk_id, got %s", masked(c.text), describe(c.text, fs))
		}
	}
}
