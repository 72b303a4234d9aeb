package independent

import (
	"fmt"
	"strconv"
	"strings"
)

// visaList: a travel agency's list of applicants for visas and permits:
// passports, Home Return Permits, Hong Kong, Macau and Taiwan IDs.
func (r R) visaList(d *Doc) {
	d.S(Pick(r, []string{"出境游团队名单", "签证申请人信息汇总", "港澳台客户登记"}), "  团号：").Add(r.OrderNumber()).S("\n")
	d.S("序号\t姓名\t拼音\t证件类型\t证件号码\t手机\n")
	for i := 1; i <= r.Between(8, 25); i++ {
		p := r.Fill(r.Chinese())
		d.S(strconv.Itoa(i), "\t").Add(NameV(p, "table_cell")).S("\t")
		if py := r.PinyinName(p); py != "" {
			d.Add(P("person_name", py, "pinyin_name"))
		}
		d.S("\t")
		switch x := r.IntN(10); {
		case x < 5:
			d.S("护照\t").Add(P("cn_passport", r.Passport()))
		case x < 7:
			d.S(Pick(r, []string{"回乡证", "港澳居民来往内地通行证"}), "\t").Add(P("cn_permit_hkmo", r.HKMOPermit()))
		case x < 8:
			v := P("hk_id", r.HKID())
			if r.Chance(0.3) {
				v.Surf = strings.NewReplacer("(", "", ")", "").Replace(v.Val)
				v.Forms = []string{"no_brackets"}
			}
			d.S("香港身份证\t").Add(v)
		case x < 9:
			d.S("台湾身份证\t").Add(P("tw_id", r.TWID()))
		default:
			d.S("澳门身份证\t").Add(P("mo_id", r.MOID()))
		}
		d.S("\t").Add(r.MobileV(p.Mobile)).S("\n")
	}
	d.S("领队：").Add(NameV(r.Chinese(), "label_领队")).S("  紧急联系电话：").Add(r.LandlineV()).S("\n")
}

// euCustomers: a European shop's customer export (CSV) with IBANs for direct debit.
func (r R) euCustomers(d *Doc) {
	delim := Pick(r, []string{",", ";"})
	d.S(strings.Join([]string{"customer_id", "name", "email", "iban", "bic", "street_address", "mandate_ref"}, delim), "\n")
	for i := r.Between(10, 30); i > 0; i-- {
		p := r.English()
		p.Email = r.EmailFor(p)
		iban := r.IBAN("")
		v := P("iban", iban, "electronic", "csv_cell")
		if r.Chance(0.4) {
			v.Surf, v.Forms = IBANPrint(iban), []string{"print", "csv_cell"}
		}
		addr := r.IntlAddress()
		if strings.Contains(addr.Val, delim) {
			addr.Surf = "\"" + addr.Val + "\""
		}
		d.S("C", r.Digits(6), delim).Add(NameV(p, "csv_cell")).S(delim).Add(P("email", p.Email)).S(delim).Add(v).S(delim).Add(r.BIC()).S(delim).Add(addr).S(delim).Add(r.Hash()).S("\n")
	}
}

// usPayroll: a US payroll export with SSNs, some without dashes.
func (r R) usPayroll(d *Doc) {
	d.S("Employee ID,Last Name,First Name,SSN,Pay Date,Gross,Net,Direct Deposit Acct\n")
	for i := r.Between(10, 30); i > 0; i-- {
		p := r.English()
		f := strings.Fields(p.Name)
		first, last := f[0], strings.Join(f[1:], " ")
		if len(f) > 2 && strings.HasSuffix(f[1], ".") {
			last = strings.Join(f[2:], " ")
		}
		ssn := P("us_ssn", r.SSN(), "csv_cell")
		if r.Chance(0.25) {
			ssn.Surf = strings.ReplaceAll(ssn.Val, "-", "")
			ssn.Forms = append(ssn.Forms, "no_dash")
		}
		// the name split over two columns: label each part as it stands
		d.S(fmt.Sprintf("E%05d,", r.Between(1, 99999))).Add(P("person_name", last, "english", "split_columns")).S(",").Add(P("person_name", first, "english", "split_columns")).S(",").Add(ssn)
		d.S(fmt.Sprintf(",%02d/15/2023,%s,%s,", r.Between(1, 12), strings.ReplaceAll(r.Amount(), ",", ""), strings.ReplaceAll(r.Amount(), ",", ""))).Add(N("luhn_invalid", r.BadLuhn())).S("\n")
	}
}
