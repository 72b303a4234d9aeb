package independent

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// crmCSV: a CRM export, headers in whatever language the system had; some
// exported by Excel in GBK with a BOM-less file, some UTF-8 with BOM.
func (r R) crmCSV(d *Doc) {
	type column struct {
		heads []string
		val   func(c crmRow) V
	}
	cols := []column{
		{[]string{"客户姓名", "Customer Name", "khxm", "custName", "name", "联系人", "xm", "lxr"}, func(c crmRow) V { return NameV(c.p, "csv_cell") }},
		{[]string{"手机号码", "Mobile", "sjhm", "custMobile", "tel", "联系电话", "lxdh", "phone_no"}, func(c crmRow) V { return P("cn_mobile", c.p.Mobile) }},
		{[]string{"身份证号", "ID Number", "sfzh", "custIdNo", "id_card", "证件号", "zjhm", "idno"}, func(c crmRow) V { return P("cn_resident_id", c.p.ID) }},
		{[]string{"邮箱", "Email", "yx", "custEmail", "mail", "电子邮件", "dzyx", "e_mail"}, func(c crmRow) V { return P("email", c.p.Email) }},
		{[]string{"地址", "Address", "dz", "custAddr", "addr", "通讯地址", "txdz", "home_addr"}, func(c crmRow) V { return csvQuote(c.addr) }},
		{[]string{"最近登录IP", "Last Login IP", "dlip", "lastLoginIp", "login_ip", "登录IP", "ip", "reg_ip"}, func(c crmRow) V { return P("ip_address", c.ip) }},
		{[]string{"车牌号", "Plate", "cph", "carPlate", "plate_no", "车牌", "cp", "vehicle_no"}, func(c crmRow) V { return P("cn_plate", c.plate) }},
		{[]string{"订单号", "Order No", "ddh", "orderNo", "order_id", "订单编号", "dd", "order_sn"}, func(c crmRow) V { return c.order }},
		{[]string{"固定电话", "Telephone", "gddh", "custTel", "landline", "座机", "zj", "home_tel"}, func(c crmRow) V { return c.tel }},
		{[]string{"客户来源", "Source", "ly", "source", "channel", "渠道", "qd", "utm"}, func(c crmRow) V { return Txt(c.src) }},
	}
	style := r.IntN(8)
	perm := r.Perm(len(cols))
	n := r.Between(5, len(cols))
	delim := Pick(r, []string{",", ",", ",", ";", "\t", "|"})
	var heads []string
	for _, i := range perm[:n] {
		heads = append(heads, cols[i].heads[style])
	}
	if r.Chance(0.3) {
		d.S("\ufeff")
	}
	d.S(strings.Join(heads, delim), "\r\n")
	for k := r.Between(20, 80); k > 0; k-- {
		c := crmRow{p: r.Fill(r.Chinese()), ip: r.IPv4(), plate: r.Plate(), order: r.OrderNumber(), src: Pick(r, []string{"官网", "APP", "线下门店", "电销", "抖音"}), tel: r.LandlineV()}
		c.addr = r.Address(c.p.Region)
		if c.p.Region.Historic {
			c.addr = r.Address(r.CurrentRegion())
		}
		for j, i := range perm[:n] {
			if j > 0 {
				d.S(delim)
			}
			v := cols[i].val(c)
			if delim != "," && strings.HasPrefix(v.Surf, "\"") {
				v.Surf = ""
			}
			d.Add(v)
		}
		d.S("\r\n")
	}
	if r.Chance(0.35) {
		d.Encode = func(s string) []byte {
			s = strings.TrimPrefix(s, "\ufeff")
			b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
			if err != nil {
				return []byte(s)
			}
			return b
		}
		d.Name = strings.TrimSuffix(d.Name, ".csv") + "-gbk.csv"
	}
}

type crmRow struct {
	p     Person
	addr  V
	ip    string
	plate string
	order V
	src   string
	tel   V
}

// jsonDump: an API response or a log of them: nested objects, camelCase or
// snake_case keys, numbers as numbers, some Chinese escaped as \uXXXX (as
// Python's json.dumps writes it by default).
func (r R) jsonDump(d *Doc) {
	snake := r.Chance(0.5)
	escape := r.Chance(0.3)
	k := func(camel string) string {
		if !snake {
			return camel
		}
		var b strings.Builder
		for _, c := range camel {
			if c >= 'A' && c <= 'Z' {
				b.WriteByte('_')
				c += 'a' - 'A'
			}
			b.WriteRune(c)
		}
		return b.String()
	}
	str := func(v V) V {
		s := v.surface()
		b, _ := json.Marshal(s)
		out := string(b)
		if escape {
			var e strings.Builder
			for _, c := range out {
				if c < 0x80 {
					e.WriteRune(c)
					continue
				}
				for _, u := range utf16.Encode([]rune{c}) {
					fmt.Fprintf(&e, "\\u%04x", u)
				}
			}
			out = e.String()
			if out != string(b) {
				v.Forms = append(append([]string(nil), v.Forms...), "json_unicode_escape")
			}
		}
		v.Surf = out
		return v
	}
	num := func(v V) V {
		if r.Chance(0.4) {
			v.Forms = append(append([]string(nil), v.Forms...), "json_number")
			return v
		}
		return str(v)
	}
	lines := r.Chance(0.35) // JSON Lines log
	n := r.Between(4, 14)
	if !lines {
		d.S(`{"code":0,"msg":"success","data":{"total":`, strconv.Itoa(n), `,"list":[`, "\n")
	}
	for i := 0; i < n; i++ {
		p := r.Fill(r.Chinese())
		_, card := r.CNCard()
		if lines {
			d.S(`{"ts":"`).Add(r.Timestamp()).S(`","level":"INFO","`, k("traceId"), `":"`).Add(r.Hash()).S(`","msg":"loan apply","`, k("clientIp"), `":`).Add(str(P("ip_address", r.IPv4()))).S(`,"user":`)
		} else if i > 0 {
			d.S(",\n")
		}
		d.S(`{"`, k("userId"), `":`, strconv.Itoa(r.Between(100000, 9999999)), `,"`, k(Pick(r, []string{"realName", "userName", "custName", "name"})), `":`).Add(str(NameV(p, "json_value")))
		d.S(`,"`, k(Pick(r, []string{"mobile", "phone", "mobilePhone", "tel"})), `":`).Add(num(P("cn_mobile", p.Mobile)))
		d.S(`,"`, k(Pick(r, []string{"idCard", "idNo", "certNo", "identityNo"})), `":`).Add(str(P("cn_resident_id", p.ID)))
		d.S(`,"`, k("email"), `":`).Add(str(P("email", p.Email)))
		d.S(`,"`, k("bankCard"), `":{"`, k("cardNo"), `":`).Add(num(P("bank_card", card))).S(`,"`, k("bankName"), `":"招商银行"}`)
		g := r.CurrentRegion()
		addr := r.Address(g)
		city := g.City
		if city == "" {
			city = g.Province
		}
		if detail, ok := strings.CutPrefix(addr.Val, g.Province+g.City+g.District); ok && detail != "" && r.Chance(0.6) {
			dv := P("address", detail, "split_fields")
			d.S(`,"`, k("address"), `":{"province":"`, g.Province, `","city":"`, city, `","`, k("district"), `":"`, g.District, `","detail":`).Add(str(dv)).S("}")
		} else {
			d.S(`,"`, k("homeAddress"), `":`).Add(str(addr))
		}
		d.S(`,"`, k("contacts"), `":[`)
		for j := r.Between(1, 3); j > 0; j-- {
			c := r.Fill(r.Chinese())
			d.S(`{"`, k("contactName"), `":`).Add(str(NameV(c, "json_value"))).S(`,"`, k("relation"), `":"`, Pick(r, Relations), `","`, k("contactPhone"), `":`).Add(str(P("cn_mobile", c.Mobile))).S("}")
			if j > 1 {
				d.S(",")
			}
		}
		d.S(`],"`, k("orderNo"), `":`).Add(str(r.OrderNumber())).S(`,"`, k("appVersion"), `":`).Add(str(r.Version())).S(`,"`, k("createdAt"), `":`).Add(str(r.Timestamp())).S("}")
		if lines {
			d.S("}\n")
		}
	}
	if !lines {
		d.S("\n]}}\n")
	}
}
