package consent

import (
	"strings"
	"testing"
)

// TestVagueRecipientCombinations is issue 10 item 1: a recipient must name
// an entity; generic categories are refused alone or in any combination.
func TestVagueRecipientCombinations(t *testing.T) {
	refused := []string{
		// single categories
		"合作伙伴", "第三方", "关联公司", "关联方", "合作机构", "相关机构", "partners", "affiliates", "third parties",
		"service providers", "Third-Party Service Providers", "vendors", "供应商", "服务提供商", "第三方机构", "关联企业",
		// the reported combination and its relatives
		"合作伙伴及第三方", "合作伙伴和第三方", "合作伙伴与关联方", "合作伙伴、第三方", "合作伙伴，第三方", "第三方、关联方等",
		"关联公司以及合作机构", "合作伙伴或第三方", "我们的合作伙伴及其他第三方", "相关机构/合作机构", "关联方；合作伙伴",
		"partners and affiliates", "partners & affiliates", "Partners, Affiliates and Third Parties", "our partners or affiliates",
		"affiliates and service providers", "partners/vendors", "third parties; partners", "partners plus affiliates",
		// a named recipient with an unnamed category or an open list
		"顺丰速运有限公司及其他合作伙伴", "顺丰速运有限公司等合作方", "顺丰速运有限公司及其关联公司", "顺丰速运有限公司、第三方",
		"顺丰速运有限公司等", "中国银行股份有限公司等第三方机构", "包括但不限于顺丰速运有限公司",
		"SF Express and other partners", "SF Express and affiliates", "SF Express, etc.", "SF Express and others",
		"Acme Ltd and third parties", "third parties such as Acme Ltd", "Acme Ltd among others", "Acme Ltd et al.",
		"partners including Acme Ltd",
		// a category with a qualifier is still a category (review of
		// issue 10: these were accepted as names)
		"商业合作伙伴", "外部合作伙伴", "境外合作伙伴", "广告合作伙伴", "合作伙伴们", "集团内公司", "我们的广告合作方",
		"有限公司", "股份有限公司", "advertising partners", "external partners", "marketing partners",
		"business partners", "SF Express & partners", "Acme Ltd & affiliates", "external service providers",
		// a legal form not ending the item, or with nothing but a
		// category before it, makes no name (second review)
		"our co-marketing partners", "third parties sa", "service providers AB", "商业合作伙伴（有限公司）",
		"partners ltd", "合作伙伴有限公司", "the affiliates GmbH",
		"third parties & Acme Ltd", "our partners & Acme Ltd", "advertising partners & Example Inc",
	}
	named := []string{
		"中国银行股份有限公司", "顺丰速运有限公司", "中国平安保险（集团）股份有限公司", "北京高等教育出版社有限公司",
		"和平里物流有限公司", "中和农信项目管理有限公司", "Acme Partners Ltd", "Partners Group AG", "Smith & Partners LLP",
		"SF Express (China) Co., Ltd.", "Alibaba Cloud Computing Ltd.", "Tencent Cloud", "SMS service provider Acme Ltd",
		"Example Trading Co., Ltd.", "深圳市腾讯计算机系统有限公司", "中国第三方支付有限公司",
		"中国人民银行征信中心", "百行征信有限公司", "Acme Marketing Partners GmbH", "普华永道中天会计师事务所",
		"Acme Partners Ltd (UK)", "Acme Partners Limited (Hong Kong)", "某某合作伙伴有限公司（深圳）",
	}
	for _, r := range refused {
		t.Run("refused/"+r, func(t *testing.T) {
			if why := vagueRecipient(r); why == "" {
				t.Errorf("%q accepted as a named recipient", r)
			}
		})
	}
	for _, r := range named {
		t.Run("named/"+r, func(t *testing.T) {
			if why := vagueRecipient(r); why != "" {
				t.Errorf("%q refused: %s", r, why)
			}
		})
	}
}

// TestRecipientsThroughValidate: the CLI's reported case is refused by
// Validate with the recipient's index.
func TestRecipientsThroughValidate(t *testing.T) {
	g := good()
	g.Recipients = []string{"顺丰速运有限公司", "合作伙伴及第三方"}
	err := Validate(g, now, 0)
	if err == nil || !strings.Contains(err.Error(), "recipients[1]") {
		t.Fatalf("Validate = %v, want recipients[1] refused", err)
	}
}

// FuzzVagueRecipient: the recipient check takes any text without panicking,
// and "none" aside, a recipient made only of categories and connectors is
// never accepted.
func FuzzVagueRecipient(f *testing.F) {
	for _, s := range []string{"合作伙伴及第三方", "Acme Partners Ltd", "partners and affiliates", "中国银行股份有限公司", "等", "", "、、"} {
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		vagueRecipient(a)
		vagueRecipient(a + b)
		if vagueRecipient("合作伙伴"+"及"+"第三方") == "" {
			t.Fatal("category list accepted")
		}
	})
}
