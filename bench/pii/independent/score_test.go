package independent

import "testing"

func TestNormAndRelate(t *testing.T) {
	cases := []struct {
		typ, truth, found string
		want              int
	}{
		{"cn_mobile", "13812345678", "+86 138-1234-5678", RelFound},
		{"cn_mobile", "13812345678", "００８６１３８１２３４５６７８", RelFound},
		{"cn_resident_id", "11010519491231002X", "110105 19491231 002x", RelFound},
		{"cn_landline", "075526712345", "+86 755 2671 2345", RelFound},
		{"cn_landline", "075526712345", "0755-26712345转123", RelFound},
		{"cn_landline", "075526712345", "26712345", RelPartial}, // without its area code
		{"hk_id", "A123456(3)", "A1234563", RelFound},
		{"ip_address", "2408:8207:1851:5a0::1b", "2408:8207:1851:05a0:0000:0000:0000:001b", RelFound},
		{"email", "Zhang.Wei@163.com", "zhang.wei@163.com", RelFound},
		{"email", "zhangwei@163.com", "wei@163.com", RelNone},
		{"person_name", "慕容琳", "慕容琳", RelFound},
		{"person_name", "王　芳", "王芳", RelFound},
		{"person_name", "慕容琳", "慕容", RelPartial},
		{"person_name", "慕容琳", "联系人慕容琳", RelNone},
		{"person_name", "买买提·吐尔逊", "买买提•吐尔逊", RelFound},
		{"person_name", "John A. Smith", "John Smith", RelFound},
		{"person_name", "ZHANG Wei", "Zhang Wei", RelFound},
		{"person_name", "John Smith", "Smith", RelPartial},
		{"address", "广东省深圳市南山区科苑南路12号华润城3栋2单元1502室", "广东省深圳市南山区科苑南路12号华润城3栋2单元1502室", RelFound},
		{"address", "广东省深圳市南山区科苑南路12号华润城3栋2单元1502室", "广东省深圳市南山区科苑南路12号", RelPartial},
		{"address", "广东省深圳市南山区科苑南路12号华润城3栋2单元1502室", "南山区", RelNone},
	}
	for _, c := range cases {
		if got := Relate(c.typ, Norm(c.typ, c.truth), Norm(c.typ, c.found)); got != c.want {
			t.Errorf("Relate(%s, %s vs %s) = %d, want %d", c.typ, Mask(c.truth), Mask(c.found), got, c.want)
		}
	}
}

func TestScoreOutcomes(t *testing.T) {
	f := "docs/a.txt"
	items := []Item{
		{File: f, Kind: "k", Role: Pos, Type: "person_name", Value: "慕容琳"},
		{File: f, Kind: "k", Role: Pos, Type: "person_name", Value: "慕容琳", Forms: []string{"relation_tag"}}, // same value twice: one label
		{File: f, Kind: "k", Role: Pos, Type: "cn_mobile", Value: "13812345678"},
		{File: f, Kind: "k", Role: Pos, Type: "cn_landline", Value: "075526712345"},
		{File: f, Kind: "k", Role: Pos, Type: "address", Value: "广东省深圳市南山区科苑南路12号华润城3栋2单元1502室"},
		{File: f, Kind: "k", Role: Neg, Family: "company_name", Value: "张江高科技园区开发股份有限公司"},
		{File: f, Kind: "k", Role: Neg, Family: "business_phone", Value: "400-820-8820"},
		{File: f, Kind: "k", Role: Neg, Family: "uscc", Type: "cn_uscc", Value: "91440300MA5F0000X1"},
		{File: f, Kind: "k", Role: Neutral, Family: "surname_title", Value: "王总"},
	}
	fs := []Finding{
		{Path: f, Type: "person_name", Value: "慕容琳", Personal: true},
		{Path: f, Type: "person_name", Value: "慕容琳", Personal: true},             // repeated: one finding
		{Path: f, Type: "cn_landline", Value: "13812345678", Personal: true},     // wrong type
		{Path: f, Type: "address", Value: "科苑南路12号", Personal: true},             // part of the address
		{Path: f, Type: "person_name", Value: "张江", Personal: true},              // hard negative
		{Path: f, Type: "cn_landline", Value: "400-820-8820", Personal: false},   // non-personal on a negative
		{Path: f, Type: "cn_uscc", Value: "91440300MA5F0000X1", Personal: false}, // expected organisation code
		{Path: f, Type: "person_name", Value: "王总", Personal: true},              // neutral
		{Path: f, Type: "email", Value: "nobody@example.com", Personal: true},    // unlabelled
		{Path: "docs/b.txt", Type: "person_name", Value: "慕容琳", Personal: true},  // another file: unlabelled
	}
	res := Score(items, fs)
	s := Summarise(res, 3)
	if c := s.RecallType["person_name"]; c.Total != 1 || c.Found != 1 {
		t.Errorf("names: %+v", c)
	}
	if c := s.RecallType["cn_mobile"]; c.Total != 1 || c.Found != 0 {
		t.Errorf("mobile reported as landline still counts as found: %+v", c)
	}
	if c := s.RecallType["address"]; c.Partial != 1 || c.Found != 0 {
		t.Errorf("address: %+v", c)
	}
	if p := s.PrecType["cn_landline"]; p.WrongType != 1 || p.NonPersonal != 1 || p.TP != 0 {
		t.Errorf("landline precision: %+v", p)
	}
	if p := s.PrecType["person_name"]; p.TP != 1 || p.HardNeg != 1 || p.Neutral != 1 || p.Unlabelled != 1 {
		t.Errorf("name precision: %+v", p)
	}
	if s.Org.Total != 1 || s.Org.Found != 1 || s.PrecType["cn_uscc"].TP != 1 {
		t.Errorf("uscc: %+v %+v", s.Org, s.PrecType["cn_uscc"])
	}
	if n := s.NegFamilies["company_name"]; n.Reported != 1 || len(n.Examples) != 1 {
		t.Errorf("company_name: %+v", n)
	}
	if n := s.NegFamilies["business_phone"]; n.Reported != 0 || n.NonPersonal != 1 {
		t.Errorf("business_phone: %+v", n)
	}
	if s.Overall.HardNegReported != 1 || s.WrongTyp["cn_mobile -> cn_landline"] != 1 {
		t.Errorf("overall: %+v %v", s.Overall, s.WrongTyp)
	}
	held := Summarise(res, 0)
	if len(held.Misses) != 0 || len(held.FPs) != 0 || len(held.NegFamilies["company_name"].Examples) != 0 {
		t.Error("a held-out summary carries examples")
	}
}
