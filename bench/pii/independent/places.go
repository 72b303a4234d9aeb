package independent

import (
	"fmt"
	"strconv"
	"strings"
)

var (
	roads      = strings.Fields("建设路 人民路 解放路 中山路 胜利路 新华路 和平路 文化路 长江路 黄河路 东风路 朝阳路 学府路 科技路 迎宾大道 滨河路 光明街 幸福路 友谊路 育才路 建国路 深南大道 天河路 淮海中路 漕溪北路 文三路 中关村大街 望京街 科苑南路 五一路 北京东路 青年大街 金水路 武珞路 人民南路 翠华路 宝安大道 白石路 工业大道 汉冶街")
	compounds  = strings.Fields("阳光花园 锦绣家园 幸福里小区 碧桂园 万科城 翠苑新村 金地花园 保利香槟国际 华润城 龙湖春江郦城 建设小区 电力宿舍 绿地世纪城 中海国际社区 丽水佳园")
	towers     = strings.Fields("SOHO现代城 华星科技大厦 国贸中心 环球金融中心 创业大厦 财富广场 世纪大厦 金融街中心 科技园大厦")
	streets    = strings.Fields("粤海街道 城关镇 新街口街道 望京街道 南城街道 五里店街道 汉冶街道 西湖街道 东湖街道")
	villages   = strings.Fields("王营村 李家庄村 张湾村 新庄村 河东村 杨柳村 石桥村 大坝村")
	intlCities = []struct{ cc, city, zip, street string }{
		{"US", "Springfield, IL", "62704", "Elm Street"}, {"US", "Austin, TX", "78701", "Congress Avenue"},
		{"US", "Brooklyn, NY", "11201", "Court Street"}, {"US", "Seattle, WA", "98101", "Pine Street"},
		{"GB", "London", "NW1 6XE", "Baker Street"}, {"GB", "Manchester", "M1 1AE", "Deansgate"},
		{"DE", "Berlin", "10115", "Hauptstraße"}, {"DE", "München", "80331", "Sendlinger Straße"},
		{"FR", "Paris", "75001", "rue de Rivoli"}, {"FR", "Lyon", "69002", "rue de la République"},
		{"NL", "Amsterdam", "1012 AB", "Damrak"}, {"ES", "Madrid", "28013", "Calle Mayor"},
		{"IT", "Milano", "20121", "Via Dante"}, {"CA", "Toronto, ON", "M5V 2T6", "King Street West"},
		{"AU", "Sydney NSW", "2000", "George Street"}, {"SG", "Singapore", "238859", "Orchard Road"},
		{"IE", "Dublin 2", "D02 X285", "Grafton Street"}, {"CH", "Zürich", "8001", "Bahnhofstrasse"},
	}
)

// Address is a precise mainland address: province, city, district, road,
// number and usually the building and room.
func (r R) Address(g Region) V {
	var b strings.Builder
	var forms []string
	switch {
	case g.City == "":
		b.WriteString(g.Province) // municipality: 北京市朝阳区
	case r.Chance(0.7):
		b.WriteString(g.Province + g.City)
	default:
		b.WriteString(g.City)
		forms = append(forms, "no_province")
	}
	b.WriteString(g.District)
	switch x := r.IntN(10); {
	case x < 6:
		if r.Chance(0.4) {
			b.WriteString(Pick(r, streets))
		}
		b.WriteString(Pick(r, roads) + strconv.Itoa(r.Between(1, 999)) + "号")
		switch r.IntN(3) {
		case 0:
			b.WriteString(Pick(r, compounds) + fmt.Sprintf("%d栋%d单元%d%02d室", r.Between(1, 30), r.Between(1, 4), r.Between(1, 32), r.Between(1, 6)))
		case 1:
			b.WriteString(Pick(r, towers) + fmt.Sprintf("%s座%d%02d", string(rune('A'+r.IntN(4))), r.Between(2, 40), r.Between(1, 20)))
		}
	case x < 8:
		b.WriteString(Pick(r, compounds) + fmt.Sprintf("%d号楼%d单元%d%02d", r.Between(1, 30), r.Between(1, 4), r.Between(1, 18), r.Between(1, 4)))
		forms = append(forms, "no_road")
	default:
		b.WriteString(Pick(r, streets) + Pick(r, villages) + fmt.Sprintf("%d组%d号", r.Between(1, 12), r.Between(1, 99)))
		forms = append(forms, "rural")
	}
	v := P("address", b.String(), forms...)
	switch x := r.IntN(100); {
	case x < 8:
		v.Surf = Fullwidth(v.Val)
		v.Forms = append(v.Forms, "fullwidth")
	case x < 14:
		// digits set apart by spaces, as typed in forms
		var s strings.Builder
		prev := rune(0)
		for _, c := range v.Val {
			if (c >= '0' && c <= '9') != (prev >= '0' && prev <= '9') && prev != 0 {
				s.WriteByte(' ')
			}
			s.WriteRune(c)
			prev = c
		}
		v.Surf = s.String()
		v.Forms = append(v.Forms, "spaced")
	}
	return v
}

// IntlAddress is a one-line address abroad.
func (r R) IntlAddress() V {
	c := Pick(r, intlCities)
	n := r.Between(1, 250)
	var s string
	switch c.cc {
	case "US", "CA", "AU":
		s = fmt.Sprintf("%d %s", n*10+r.IntN(10), c.street)
		if r.Chance(0.4) {
			s += fmt.Sprintf(", Apt %d%s", r.Between(1, 30), string(rune('A'+r.IntN(6))))
		}
		s += ", " + c.city + " " + c.zip
	case "GB", "IE":
		s = fmt.Sprintf("Flat %d, %d %s, %s %s", r.Between(1, 40), n, c.street, c.city, c.zip)
	case "SG":
		s = fmt.Sprintf("%d %s, #%02d-%02d, Singapore %s", n, c.street, r.Between(2, 40), r.Between(1, 99), c.zip)
	case "FR":
		s = fmt.Sprintf("%d %s, %s %s", n, c.street, c.zip, c.city)
	default:
		s = fmt.Sprintf("%s %d, %s %s", c.street, n, c.zip, c.city)
	}
	return P("address", s, "intl_"+strings.ToLower(c.cc))
}

// Company names with a surname, a place or a brand in them: hard negatives
// for names, and what the files are about.
var (
	CompanyNames = strings.Fields("张江高科技园区开发股份有限公司 王府井百货集团 李宁体育用品有限公司 周大福珠宝金行 黄山旅游发展股份有限公司 马应龙药业集团 宋城演艺发展股份有限公司 钱江摩托 高德软件有限公司 杨国福麻辣烫 张亮麻辣烫 周黑鸭食品 王老吉大健康产业 钟薛高食品 陈李济药厂 刘记烧烤 胡庆余堂 孔府家酒业 何氏眼科 林清轩化妆品 方正证券 金龙鱼粮油 白云山制药 朱家角古镇旅游 曹操出行 罗森便利店 叶氏兄弟 谢馥春 吴裕泰茶庄 许留山甜品")
	Places       = strings.Fields("张家口 张家界 马鞍山 石家庄 刘家峡 王府井 周庄 宋庄 金山 林芝 白云区 万州 温州 常州 安阳 文昌 叶城 方正县 龙岗 黄山 高新区 郑州 江门 于都 梅州 韩城 杜集区 马尾 何家村 孙家湾 罗湖 高碑店")
	Products     = strings.Fields("王老吉凉茶 孔府家酒 白加黑感冒片 金龙鱼调和油 黄鹤楼香烟 江小白 李锦记酱油 老干妈辣椒酱 周黑鸭鸭脖 钟南山院士题词版 马利画材 洪湖藕粉 杨协成豆奶 高露洁牙膏 曹氏鸭脖")
	Honorifics   = strings.Fields("好好先生 算命先生 风水先生 账房先生 教书先生 女士优先 各位女士 诸位先生 女士专用 先生们女士们 白衣天使 报童先生 烟花女士")
	BizNames     = []string{"Morgan Stanley", "Wells Fargo", "Goldman Sachs", "Johnson Controls", "Smith & Wesson", "Tim Hortons", "Dr. Martens", "Jack Daniel's", "Ford Focus", "Harvard Business Review", "Lloyds Bank", "Marks & Spencer", "Dear Valued Customer", "Customer Service Team", "Best Regards", "Grand Total", "Standard Chartered", "Charles Schwab", "Edward Jones", "Paul Smith Ltd"}
)

// Company is a fictional company name built from a place and a trade.
func (r R) Company() string {
	city := Pick(r, []string{"深圳市", "上海", "北京", "广州市", "杭州", "成都", "武汉", "南京", "苏州", "重庆"})
	word := Pick(r, []string{"恒信", "鼎盛", "汇丰源", "华融达", "金桥", "众诚", "瑞丰", "安信", "通达", "宏远", "佳和", "德润", "新元", "中科", "海纳"})
	trade := Pick(r, []string{"金融信息服务有限公司", "网络小额贷款有限公司", "科技有限公司", "资产管理有限公司", "商务咨询有限公司", "信息技术有限公司", "电子商务有限公司", "融资担保有限公司", "消费金融有限公司", "律师事务所"})
	return city + word + trade
}

// Domain is a company's mail domain.
func (r R) Domain() string {
	return Pick(r, []string{"hengxin-fin", "dingsheng-credit", "huirongda", "jinqiao-tech", "zhongcheng-am", "ruifeng-pay", "anxin-cf", "tongda-logistics", "hongyuan-data", "jiahe-ecom"}) +
		Pick(r, []string{".com", ".cn", ".com.cn", ".net"})
}
