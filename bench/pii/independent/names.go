package independent

import (
	"strconv"
	"strings"
)

type hz struct {
	h, py string
	w     int
}

// surnames: the common ones weighted roughly by their share of the
// population (per mille), then rarer and polyphonic ones (单 shan, 仇 qiu,
// 查 zha, 区 ou, 解 xie, 朴 piao) and rare characters (佘, 冼, 亓, 逄, 訾).
var surnames = []hz{
	{"王", "wang", 71}, {"李", "li", 70}, {"张", "zhang", 67}, {"刘", "liu", 54}, {"陈", "chen", 45},
	{"杨", "yang", 31}, {"黄", "huang", 22}, {"赵", "zhao", 20}, {"吴", "wu", 20}, {"周", "zhou", 19},
	{"徐", "xu", 13}, {"孙", "sun", 12}, {"马", "ma", 12}, {"朱", "zhu", 11}, {"胡", "hu", 11},
	{"郭", "guo", 10}, {"何", "he", 9}, {"林", "lin", 9}, {"高", "gao", 9}, {"罗", "luo", 8},
	{"郑", "zheng", 8}, {"梁", "liang", 7}, {"谢", "xie", 6}, {"宋", "song", 6}, {"唐", "tang", 6},
	{"许", "xu", 5}, {"韩", "han", 5}, {"邓", "deng", 5}, {"冯", "feng", 5}, {"曹", "cao", 5},
	{"彭", "peng", 5}, {"曾", "zeng", 5}, {"肖", "xiao", 4}, {"田", "tian", 4}, {"董", "dong", 4},
	{"潘", "pan", 4}, {"袁", "yuan", 4}, {"蔡", "cai", 3}, {"蒋", "jiang", 3}, {"余", "yu", 3},
	{"于", "yu", 3}, {"杜", "du", 3}, {"叶", "ye", 3}, {"程", "cheng", 3}, {"魏", "wei", 3},
	{"苏", "su", 3}, {"吕", "lv", 3}, {"丁", "ding", 3}, {"任", "ren", 3}, {"卢", "lu", 3},
	{"姚", "yao", 3}, {"沈", "shen", 3}, {"钟", "zhong", 3}, {"姜", "jiang", 3}, {"崔", "cui", 3},
	{"谭", "tan", 2}, {"陆", "lu", 2}, {"范", "fan", 2}, {"汪", "wang", 2}, {"廖", "liao", 2},
	{"石", "shi", 2}, {"金", "jin", 2}, {"韦", "wei", 2}, {"贾", "jia", 2}, {"夏", "xia", 2},
	{"付", "fu", 2}, {"方", "fang", 2}, {"邹", "zou", 2}, {"熊", "xiong", 2}, {"白", "bai", 2},
	{"孟", "meng", 2}, {"秦", "qin", 2}, {"邱", "qiu", 2}, {"侯", "hou", 2}, {"江", "jiang", 2},
	{"尹", "yin", 2}, {"薛", "xue", 2}, {"闫", "yan", 2}, {"段", "duan", 2}, {"雷", "lei", 2},
	{"龙", "long", 2}, {"黎", "li", 2}, {"史", "shi", 2}, {"陶", "tao", 2}, {"贺", "he", 2},
	{"毛", "mao", 1}, {"郝", "hao", 1}, {"顾", "gu", 1}, {"龚", "gong", 1}, {"邵", "shao", 1},
	{"万", "wan", 1}, {"覃", "qin", 1}, {"武", "wu", 1}, {"钱", "qian", 1}, {"戴", "dai", 1},
	{"严", "yan", 1}, {"莫", "mo", 1}, {"孔", "kong", 1}, {"向", "xiang", 1}, {"常", "chang", 1},
	{"汤", "tang", 1}, {"康", "kang", 1}, {"易", "yi", 1}, {"乔", "qiao", 1}, {"赖", "lai", 1},
	{"文", "wen", 1}, {"洪", "hong", 1}, {"牛", "niu", 1}, {"温", "wen", 1}, {"樊", "fan", 1},
	{"葛", "ge", 1}, {"齐", "qi", 1}, {"柳", "liu", 1}, {"单", "shan", 1}, {"仇", "qiu", 1},
	{"查", "zha", 1}, {"区", "ou", 1}, {"朴", "piao", 1}, {"解", "xie", 1}, {"佘", "she", 1},
	{"冼", "xian", 1}, {"亓", "qi", 1}, {"逄", "pang", 1}, {"訾", "zi", 1}, {"蒲", "pu", 1},
	{"麦", "mai", 1}, {"邝", "kuang", 1}, {"岳", "yue", 1}, {"甘", "gan", 1}, {"祝", "zhu", 1},
	{"包", "bao", 1}, {"左", "zuo", 1}, {"鲁", "lu", 1}, {"申", "shen", 1}, {"欧", "ou", 1},
	{"殷", "yin", 1}, {"尤", "you", 1}, {"符", "fu", 1}, {"聂", "nie", 1}, {"章", "zhang", 1},
}

var compoundSurnames = []hz{
	{"欧阳", "ouyang", 8}, {"司马", "sima", 3}, {"上官", "shangguan", 4}, {"诸葛", "zhuge", 3},
	{"东方", "dongfang", 2}, {"皇甫", "huangfu", 2}, {"慕容", "murong", 3}, {"令狐", "linghu", 2},
	{"司徒", "situ", 4}, {"尉迟", "yuchi", 1}, {"公孙", "gongsun", 1}, {"夏侯", "xiahou", 1},
	{"长孙", "zhangsun", 1}, {"宇文", "yuwen", 1}, {"端木", "duanmu", 2}, {"独孤", "dugu", 1},
	{"南宫", "nangong", 1}, {"钟离", "zhongli", 1}, {"呼延", "huyan", 1}, {"申屠", "shentu", 1},
	{"西门", "ximen", 1}, {"闻人", "wenren", 1}, {"澹台", "tantai", 1}, {"万俟", "moqi", 1},
}

// given-name characters: m male-leaning, f female-leaning.
var givenM = splitHZ("伟wei 强qiang 磊lei 军jun 勇yong 杰jie 涛tao 明ming 超chao 刚gang 平ping 辉hui 鹏peng 华hua 飞fei 鑫xin 波bo 斌bin 宇yu 浩hao 凯kai 健jian 俊jun 帆fan 帅shuai 旭xu 宁ning 龙long 林lin 阳yang 建jian 国guo 志zhi 文wen 海hai 东dong 峰feng 成cheng 博bo 亮liang 晨chen 子zi 轩xuan 睿rui 泽ze 昊hao 然ran 天tian 一yi 诚cheng 德de 永yong 金jin 庆qing 春chun 荣rong 新xin 利li 清qing 家jia 嘉jia 宏hong 世shi 振zhen 立li 兴xing 良liang 义yi 彬bin 晓xiao 卫wei 光guang 胜sheng 安an 瑞rui 景jing 思si 铭ming 骏jun 锋feng 毅yi 琦qi")
var givenF = splitHZ("芳fang 娜na 敏min 静jing 丽li 艳yan 娟juan 霞xia 秀xiu 英ying 兰lan 玲ling 燕yan 萍ping 红hong 梅mei 莉li 琳lin 婷ting 雪xue 慧hui 颖ying 倩qian 琴qin 云yun 洁jie 蕾lei 佳jia 欣xin 怡yi 悦yue 彤tong 涵han 萱xuan 诗shi 雨yu 梓zi 可ke 馨xin 晴qing 月yue 丹dan 玉yu 凤feng 桂gui 珍zhen 淑shu 美mei 雅ya 蓉rong 薇wei 瑶yao 璐lu 晶jing 妍yan 露lu 媛yuan 莹ying 芬fen 琪qi 菲fei 茜qian")

// popular two-character given names of several generations.
var givenWhole = splitHZ("秀英xiuying 桂英guiying 秀兰xiulan 玉兰yulan 桂兰guilan 建华jianhua 建国jianguo 建军jianjun 国强guoqiang 志强zhiqiang 海燕haiyan 丽娟lijuan 春梅chunmei 晓明xiaoming 子轩zixuan 浩然haoran 梓涵zihan 一诺yinuo 欣怡xinyi 雨桐yutong 俊杰junjie 淑珍shuzhen 志明zhiming 晓燕xiaoyan 文静wenjing")

func splitHZ(s string) []hz {
	var out []hz
	for _, f := range strings.Fields(s) {
		rs := []rune(f)
		i := 0
		for i < len(rs) && rs[i] > 0x2e80 {
			i++
		}
		out = append(out, hz{string(rs[:i]), string(rs[i:]), 1})
	}
	return out
}

func weights(xs []hz) []int {
	w := make([]int, len(xs))
	for i, x := range xs {
		w[i] = x.w
	}
	return w
}

var surnameW, compoundW = weights(surnames), weights(compoundSurnames)

// minority-style names: Uyghur (given·father), Tibetan, Mongolian, Yi.
var (
	uyghurGiven  = strings.Fields("买买提 艾力 阿依古丽 古丽娜尔 热依拉 努尔艾力 迪丽拜尔 阿迪力 艾尔肯 帕提古丽 麦合木提 阿不都热西提 米合热阿依")
	uyghurFather = strings.Fields("吐尔逊 艾买提 阿不都拉 依明 卡德尔 阿不力孜 热合曼 斯拉木 哈斯木 托合提 吐尔洪 买买提")
	tibetan      = strings.Fields("扎西 次仁 卓玛 格桑 拉姆 旺堆 央金 达瓦 尼玛 顿珠 平措 德吉 曲珍 多吉 益西 白玛")
	mongolian    = strings.Fields("巴特尔 其木格 乌兰其其格 苏日娜 额尔敦 宝音朝鲁 那仁花 斯琴图雅 朝鲁门 阿拉坦仓 敖日格勒")
	yi           = strings.Fields("吉克阿依 曲比阿果 阿苏拉则 沙马阿牛 吉伍木呷 阿西木呷")
)

// Person is one data subject: name and the identifiers a file may hold.
type Person struct {
	Name       string // as a Chinese document writes it
	Pinyin     string // "zhang wei" (family first), or English given family
	Forms      []string
	Male       bool
	English    bool
	Region     Region
	ID, Mobile string
	Email      string
	birthY     int
}

// Chinese is a Han name (3% compound surnames) or, sometimes, a minority-style one.
func (r R) Chinese() Person {
	p := Person{Male: r.Chance(0.5)}
	if r.Chance(0.04) {
		return r.minority(p)
	}
	var sur hz
	if r.Chance(0.03) {
		sur = compoundSurnames[Weighted(r, compoundW)]
		p.Forms = append(p.Forms, "compound_surname")
	} else {
		sur = surnames[Weighted(r, surnameW)]
		if sur.w == 1 {
			p.Forms = append(p.Forms, "rare_surname")
		}
	}
	pool := givenF
	if p.Male {
		pool = givenM
	}
	var given []hz
	switch x := r.Float64(); {
	case x < 0.18 && len([]rune(sur.h)) == 1:
		given = []hz{Pick(r, pool)}
		p.Forms = append(p.Forms, "given1")
	case x < 0.30:
		given = []hz{Pick(r, givenWhole)}
	default:
		given = []hz{Pick(r, pool), Pick(r, pool)}
		if given[0].h == given[1].h && r.Chance(0.5) { // 丹丹, 婷婷: common too
			p.Forms = append(p.Forms, "reduplicated")
		}
	}
	p.Name = sur.h
	py := ""
	for _, g := range given {
		p.Name += g.h
		py += g.py
	}
	p.Pinyin = sur.py + " " + py
	return p
}

func (r R) minority(p Person) Person {
	p.Forms = []string{"minority"}
	switch r.IntN(4) {
	case 0:
		sep := Pick(r, []string{"·", "·", "·", "•", "・"})
		p.Name = Pick(r, uyghurGiven) + sep + Pick(r, uyghurFather)
	case 1:
		a, b := Pick(r, tibetan), Pick(r, tibetan)
		for a == b {
			b = Pick(r, tibetan)
		}
		p.Name = a + b
	case 2:
		p.Name = Pick(r, mongolian)
	default:
		p.Name = Pick(r, yi)
	}
	p.Pinyin = ""
	return p
}

var (
	engFirstM = strings.Fields("James John Robert Michael William David Richard Joseph Thomas Charles Daniel Matthew Anthony Mark Steven Paul Andrew Kevin Brian George Edward Oliver Lukas Pierre Luca Javier Jan Piotr Sean Henrik")
	engFirstF = strings.Fields("Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Emily Michelle Laura Emma Olivia Sophie Anna Claire Marie Giulia Lucia Eva Ingrid Aoife Maria Chloe")
	engLast   = strings.Fields("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Hall Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray Hughes Price Sanders Patel Myers Long Ross Foster Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Dubois Bernard Laurent Lefèvre Rossi Russo Ferrari Esposito Bianchi Fernández González López Jansen Visser Nowak Kowalski Novák Nielsen Johansson O'Brien O'Connor MacDonald")
	engMulti  = []string{"van der Berg", "de Vries", "van Dijk", "De Luca", "García Márquez", "Smith-Jones", "le Roux", "von Weber"}
)

// English is a Western name: given family, sometimes a middle initial or a
// multi-word family name.
func (r R) English() Person {
	p := Person{Male: r.Chance(0.5), English: true, Forms: []string{"english"}}
	first := Pick(r, engFirstF)
	if p.Male {
		first = Pick(r, engFirstM)
	}
	last := Pick(r, engLast)
	if r.Chance(0.08) {
		last = Pick(r, engMulti)
		p.Forms = append(p.Forms, "multiword_family")
	}
	p.Name = first + " " + last
	if r.Chance(0.12) {
		p.Name = first + " " + string(rune('A'+r.IntN(26))) + ". " + last
		p.Forms = append(p.Forms, "middle_initial")
	}
	p.Pinyin = strings.ToLower(first + " " + last)
	return p
}

// PinyinName writes a Chinese person's name in Latin letters, as on a
// passport or an international form: "ZHANG Wei", "Wei Zhang", "Zhang Wei".
func (r R) PinyinName(p Person) string {
	f := strings.Fields(p.Pinyin)
	if len(f) != 2 {
		return ""
	}
	fam, giv := title(f[0]), title(f[1])
	switch r.IntN(4) {
	case 0:
		return strings.ToUpper(fam) + " " + giv
	case 1:
		return giv + " " + fam
	case 2:
		return strings.ToUpper(fam + " " + giv)
	}
	return fam + " " + giv
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// EmailFor makes a plausible personal mailbox from a name.
func (r R) EmailFor(p Person) string {
	f := strings.Fields(p.Pinyin)
	user := ""
	switch {
	case len(f) == 0 || r.Chance(0.15):
		user = strconv.Itoa(r.Between(10000, 2999999999)) // QQ numbers
		return user + "@qq.com"
	case p.English:
		last := strings.Map(asciiOnly, f[len(f)-1])
		user = Pick(r, []string{f[0] + "." + last, f[0][:1] + last, f[0] + "_" + last, f[0] + last + strconv.Itoa(r.Between(1, 99))})
	default:
		user = Pick(r, []string{f[0] + f[1], f[0] + "." + f[1], f[1] + "." + f[0], f[0] + "_" + f[1] + strconv.Itoa(r.Between(1970, 2005)), f[0][:1] + f[1][:1] + r.Digits(4), f[1] + f[0] + strconv.Itoa(r.Between(1, 999))})
	}
	user = strings.Map(asciiOnly, user)
	dom := Pick(r, []string{"163.com", "126.com", "qq.com", "sina.com", "sohu.com", "foxmail.com", "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "aliyun.com", "139.com", "sina.cn", "yeah.net", "vip.163.com", "icloud.com"})
	if p.English {
		dom = Pick(r, []string{"gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "gmx.de", "orange.fr", "libero.it", "hotmail.com", "proton.me", "icloud.com", "btinternet.com", "t-online.de"})
	}
	if r.Chance(0.05) {
		user += "+" + Pick(r, []string{"bank", "shop", "news", "2023"})
	}
	return user + "@" + dom
}

func asciiOnly(c rune) rune {
	if c < 0x80 && c != '\'' && c != ' ' {
		return c
	}
	switch c {
	case 'ü':
		return 'u'
	case 'è', 'é':
		return 'e'
	case 'á':
		return 'a'
	}
	return -1
}

// Fill completes a person's identifiers.
func (r R) Fill(p Person) Person {
	p.Region = r.IDRegion()
	b := r.Birth()
	p.birthY = b.Year()
	p.ID = r.ResidentID(p.Region.Code, b, p.Male)
	p.Mobile = r.Mobile()
	p.Email = r.EmailFor(p)
	return p
}

// Relations as written in contact lists.
var Relations = []string{"父亲", "母亲", "配偶", "子女", "兄弟", "姐妹", "朋友", "同事", "亲属", "丈夫", "妻子", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹", "同学", "其他"}
