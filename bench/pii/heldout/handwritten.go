package heldout

import (
	"fmt"
	"strings"
)

// Hand-written samples, modelled on real documents (a leaked collection
// list, a rental contract, a résumé, a WeChat export, a server log, a
// bilingual invoice, ...). «type|value» marks a planted value and ‹kind|text›
// a hard negative. All values are synthetic: IDs, cards and IBANs were
// computed to pass their checks; no real person is named.
var handwrittenSamples = []string{
	`【内部资料 严禁外传】XX贷 M3+ 逾期名单 第2页
借款人：«person_name|慕容雪»　身份证：«cn_resident_id|110105199003071239»　手机：«cn_mobile|138 0013 8000»
　联系人1：«person_name|慕容海»（父亲）　«cn_mobile|13910001000»
　联系人2：«person_name|上官静»（同事）　«cn_mobile|186-0101-2345»
　联系人3：«person_name|欧阳晓峰»（朋友）　«cn_mobile|+86 177 2000 3000»
借款人：«person_name|端木良»　身份证：«cn_resident_id|310104198506120035»　手机：«cn_mobile|15800001111»
　紧急联系人：«person_name|皇甫兰»(配偶)　电话：«cn_landline|021-64001234»
备注：‹not-a-name|客户本人›承诺‹date|3月15日›前还款，‹common-words|借款人须知›已送达。
`,
	`房屋租赁合同

出租方（甲方）：«person_name|司徒敏»
身份证号码：«cn_resident_id|440305198811230026»
联系电话：«cn_mobile|13602581234»

承租方（乙方）：«person_name|钟离强»
身份证号码：«cn_resident_id|510107199501019879»
联系电话：«cn_mobile|15928009999»

第一条 甲方将位于«address|深圳市南山区粤海街道科技南十二路18号长虹科技大厦2栋1506室»的房屋出租给乙方。
第二条 月租金人民币‹amount|6,500.00›元，押金‹amount|13,000.00›元，甲方收款账户：«bank_card|6214 8301 2345 6781»（招商银行）。
合同编号：‹contract-no|SZ-ZL-2025-00417›
`,
	`个人简历 / Resume

姓名：«person_name|宇文博»    Name: «person_name|Bo Yuwen»
出生年月：‹date|1993.07›    籍贯：四川成都
手机：«cn_mobile|(+86) 135-1234-5678»    邮箱：«email|yuwen.bo+jobs@mail.example.com»
现住址：«address|北京市海淀区中关村大街27号1101室»

工作经历
2019.07-至今  ‹company|北京字节跳动科技有限公司›  高级工程师
  负责推荐系统，QPS 从 ‹metric|12,000› 提升到 ‹metric|45,000›。

证明人：«person_name|公孙策»（原部门经理） 电话 «cn_mobile|18612345678»
`,
	`微信聊天记录导出 2025-02-14

小王 10:21
«person_name|张晓燕»的电话是多少？
李姐 10:22
«cn_mobile|159 8765 4321»，她住«address|杭州市西湖区文三路90号东部软件园2号楼503»
小王 10:23
好的，快递单号‹tracking-no|SF1402238891746›到了让她签收
李姐 10:25
她身份证号发你：«cn_resident_id|330106199208150042»，别外传
`,
	`2025-03-01T08:14:22Z INFO  login ok user_id=‹member-no|88421977› ip=«ip_address|203.0.113.45» ua="Mozilla/5.0"
2025-03-01T08:14:25Z WARN  failed login from «ip_address|2001:db8:4::1f» (5 attempts)
2025-03-01T08:15:02Z INFO  build ‹version|10.0.19045.3693› deployed to node ‹ip-like|10.2.3.4.5›
2025-03-01T08:15:09Z DEBUG sent receipt to «email|Zhang.Wei@Example.COM» order=‹order-no|202603010815091234567›
2025-03-01T08:16:40Z INFO  client «ip_address|192.168.001.023» reconnected
`,
	`INVOICE / 发票

Bill to: «person_name|Olivia Martinez»
«address|1600 Pennsylvania Avenue, Washington, DC 20500»
Email: «email|olivia.m@example.org»

Ship to: «person_name|Wang Fang»
«address|Room 1203, No. 88 Jianguo Road, Chaoyang District, Beijing 100022»

Pay to IBAN «iban|GB29 NWBK 6016 1331 9268 19» (BIC ‹swift|NWBKGB2L›)
Invoice No. ‹invoice-no|INV-2025-000318›   ISBN of the manual: ‹isbn|978-7-111-21382-6›
Total: ‹amount|USD 1,299.00›
`,
	`From: "«person_name|Emily Clark»" <«email|emily.clark@example.com»>
To: «email|support@shop.example.com»
Subject: Wrong card charged

Hello,

I was charged twice on my Visa «bank_card|4111 1111 1111 1111». My SSN is «us_ssn|219-09-9999» if you need it for the dispute, and my phone is «cn_mobile|+86 139 0000 1234».

Best regards,
«person_name|Emily Clark»
`,
	`关于表彰优秀员工的通报

各部门：
　　经研究决定，对«person_name|诸葛明»、«person_name|夏侯杰»、«person_name|令狐婷»等同志予以通报表彰。
　　‹honorific-word|各位女士、先生›，请于‹date|12月20日›前到‹place|王府井大街›礼堂参加颁奖。
　　咨询电话：«cn_landline|400-820-8820»
`,
	`customer_id,customer_name,contact_1_name,contact_1_relation,contact_1_mobile,loan_no
‹member-no|C00918›,«person_name|呼延庆»,«person_name|呼延灼»,父亲,«cn_mobile|13700137000»,‹order-no|LN202501150001›
‹member-no|C00919›,«person_name|Jane Doe»,«person_name|John Doe»,spouse,«cn_mobile|18800188000»,‹order-no|LN202501150002›
`,
	`【警方通报】
　　2月3日，民警在«address|广州市天河区天河路385号»附近查获一辆无牌摩托车，驾驶人‹anonymized|詹某›（男，32岁）……
　　另，车牌号为«cn_plate|粤A·D12345»的车主请于3日内到‹place|天河区›交警大队处理，联系人：«person_name|林海峰»警官，不接受电话咨询。
`,
	`Dear «person_name|Mr. Nakamura»,

Your new card ending in ‹card-tail|4821› has been dispatched to «address|3-2-1 Marunouchi, Chiyoda-ku, Tokyo 100-0005». Your passport «cn_passport|E88776655» on file expires soon.

Sincerely,
«person_name|Grace Lee»
Customer Operations
`,
	`港澳通行证办理预约单
申请人：«person_name|独孤敏»　证件：往来港澳通行证 «cn_permit_hkmo|C12345678»
香港身份证：«hk_id|A123456(3)»　台胞证关联身分證字號：«tw_id|A123456789»
预约编号：‹order-no|YY20250301000123›
`,
}

// handwritten parses the samples: "handwritten" (seen while tuning) and
// "handwritten-heldout" (added after tuning, never tuned on).
func handwritten() []Doc {
	return append(parseSamples("handwritten", handwrittenSamples), parseSamples("handwritten-heldout", heldoutSamples)...)
}

func parseSamples(kind string, samples []string) []Doc {
	var docs []Doc
	for i, s := range samples {
		var b builder
		for len(s) > 0 {
			vi := strings.Index(s, "«")
			ni := strings.Index(s, "‹")
			switch {
			case vi < 0 && ni < 0:
				b.w(s)
				s = ""
			case ni < 0 || vi >= 0 && vi < ni:
				b.w(s[:vi])
				e := strings.Index(s, "»")
				t, v, _ := strings.Cut(s[vi+len("«"):e], "|")
				b.v(t, v)
				s = s[e+len("»"):]
			default:
				b.w(s[:ni])
				e := strings.Index(s, "›")
				t, v, _ := strings.Cut(s[ni+len("‹"):e], "|")
				b.neg(t, v)
				s = s[e+len("›"):]
			}
		}
		docs = append(docs, Doc{Kind: kind, Name: fmt.Sprintf("%s/%02d.txt", kind, i), Text: b.String(), File: []byte(b.String()), Values: b.vals, Negatives: b.negs})
	}
	return docs
}
