package pii

import (
	"slices"
	"strings"
)

// Chinese names. A name is a surname (single or compound) and one or two
// given runes. The surname list alone would match ordinary words, so a name
// is only reported with a cue: a label before it (姓名, 联系人2, 借款人,
// customer_name ...), an honorific after it (先生, 女士), a relationship tag
// after it (（配偶）, (朋友)), or a place in a list or table right next to
// another identifier. Even then the run of Han runes must end where the name
// ends (a stop word, punctuation, a relationship tag), so that "申请人应当提交"
// never yields "应当".

// singleSurnames holds the single-rune surnames of the 百家姓 and of the
// Ministry of Public Security's surname statistics (the 500 most common
// cover more than 99% of the population), plus regional ones (禤, 冼, 佘).
const singleSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤" +
	"常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邰雍辜羊阿乌母裘亓修邸" +
	"褚水窦云凤酆雷倪滕殷毕郝邬卞康伍元顾平黄穆萧尹湛祁禹狄贝臧计伏成戴茅庞纪舒屈项祝董阮蓝闵席季麻强贾路娄危江颜梅盛刁钟邱骆樊凌霍虞支柯昝莫经裘缪干宗丁宣贲郁杭洪诸左崔钮龚嵇滑荀羊於甄家芮羿储汲邴糜松段富巫焦弓牧隗山蓬郗仰秋伊暴钭厉戎幸韶蓟印宿怀从鄂索咸籍赖蒙乔阴鬱能苍双莘贡逄扶堵宰郦却璩寿通别充慕茹习宦鱼终暨居衡步弘禄殳沃利蔚越夔隆厍勾融訾那空毋乜养须巢蒯后竺逯益桓揭植禤粘蹇檀庹占过缑笪虎但撒达玄衣银续靖扎"

// compoundSurnames are the compound surnames of the 百家姓 and the ones
// still common today.
const compoundSurnames = "欧阳 太史 端木 上官 司马 东方 独孤 南宫 万俟 闻人 夏侯 诸葛 尉迟 公羊 赫连 澹台 皇甫 宗政 濮阳 公冶 太叔 申屠 公孙 慕容 仲孙 钟离 长孙 宇文 司徒 鲜于 司空 闾丘 子车 亓官 司寇 巫马 公西 颛孙 壤驷 公良 漆雕 乐正 宰父 谷梁 拓跋 夹谷 轩辕 令狐 段干 百里 呼延 东郭 南门 羊舌 微生 梁丘 左丘 西门 第五 即墨 达奚 褚师 纳兰 归海 淳于 单于 东里 仲长 公户 公仪 公上 张简 范姜 西陵 乌孙 完颜 爱新 叶赫"

// runeSet is a bit set over the Basic Multilingual Plane.
type runeSet [1024]uint64

func (t *runeSet) has(r rune) bool { return r < 0x10000 && t[r>>6]&(1<<(r&63)) != 0 }
func (t *runeSet) add(s string) {
	for _, r := range s {
		t[r>>6] |= 1 << (r & 63)
	}
}

func newRuneSet(s string) *runeSet {
	t := new(runeSet)
	t.add(s)
	return t
}

var surnameSet = newRuneSet(singleSurnames)

var compoundSet = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(compoundSurnames) {
		m[s] = true
	}
	return m
}()

// weakSurnames are surnames that are also common function words: a run
// starting with one needs a label, not a weaker cue (an identifier nearby,
// an honorific), to be a name ("，别外传", "，都可以").
var weakSurnames = newRuneSet("别但过来都和从把被将也就还又连让给对为以与及而且则即其此若所更最才曾总只能要可会好我你他她")

func weakSurnameAt(text []byte, p int) bool {
	r, _ := nextRune(text, p)
	return weakSurnames.has(r) && surnameAt(text, p) == 1
}

// notGiven are runes that never stand in a given name's place: function
// words, so "王的", "李在" are not names.
var notGiven = newRuneSet("的了是在和与及等于说向给为从对把被将也都就还又着过吗呢吧啊们这那个不很最更已您你我他她它其此每各某该所以而但或如若则因由")

// titleRunes after a surname make a form of address, not a name: 王总,
// 李工, 张哥.
var titleRunes = newRuneSet("总工哥姐叔姨伯婶爷嫂董局处科队某氏家府老少")

// nameStops are words that end a name when they follow it without a
// separator ("张三电话", "李四先生"), titles, and verbs that often follow.
var nameStops = [...]string{"电话", "手机", "先生", "女士", "小姐", "性别", "身份", "地址", "住址", "联系", "年龄", "邮箱",
	"电邮", "经理", "老师", "主任", "医生", "师傅", "同学", "总监", "律师", "教授", "工号", "出生", "民族", "籍贯", "卡号",
	"账号", "证件", "护照", "银行", "签名", "签字", "已经", "今天", "明天", "昨天", "同志", "号码", "关系", "配偶", "逾期",
	"欠款", "借款", "身份证", "微信", "备注", "男士", "夫妇", "一家", "家属", "本人", "表示", "称", "告诉", "说", "于",
	"现住", "住在", "家住", "户籍", "职业", "工作", "单位", "学历", "婚姻", "共计", "合计", "金额", "应还", "尚欠", "拖欠",
	"打电话", "发短信", "发信息", "警官", "警察", "民警", "法官", "大夫", "护士", "会计", "出纳", "秘书", "助理", "博士", "硕士", "院士", "处长", "科长",
	"局长", "部长", "厂长", "所长", "院长", "校长", "老板", "总裁", "董事长", "总经理", "工程师", "回复", "报道", "摄影"}

// nameStopRunes end a name on their own.
const nameStopRunes = "男女的是在和与及等于了说向给为从对把被将也都就还又，。、；：！？"

// commonWords start with a surname but are ordinary words; a label or an
// honorific before or after them is not enough.
var commonWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("谢谢 高兴 白天 方便 平安 安全 明天 黄金 金额 温度 常见 程序 文件 王国 李子 马上 于是 和平 " +
		"时间 成功 高级 康复 向前 关于 司机 卫生 房子 车辆 花园 江湖 海关 国家 宁可 应该 应当 任务 任何 全部 全国 张贴 陈述 " +
		"许多 许可 周末 周围 孙子 费用 程度 景点 党员 商品 商务 公司 公告 公开 公民 公共 公安 公众 公正 公平 公式 公务 单位 " +
		"单独 单身 华人 华侨 钟表 钟点 毛巾 毛病 石头 石油 金融 金属 金钱 高速 高度 高中 高考 高端 高层 高效 林业 林地 " +
		"林木 罗马 包装 包括 包含 包裹 包子 余额 余下 江南 江北 汤圆 汤匙 鲁莽 文化 文字 文明 文章 文件 文本 文具 明白 " +
		"明确 明显 明细 平台 平均 平时 平常 平等 平方 常规 常用 常年 常住 常务 康乐 武器 武术 齐全 易于 管理 管道 管家 " +
		"强大 强化 强调 强制 路线 路口 路况 路费 路由 游戏 游客 游泳 甘心 祝福 祝贺 通知 通过 通讯 通用 通道 连续 连接 " +
		"连锁 简单 简介 简称 项目 车主 车位 车型 车票 麦当 麦克 宫殿 费率 冷静 冷藏 席位 宗教 全额 全面 全体 全市 全省 " +
		"应用 应急 应收 应付 师傅 师生 和谐 商家 商场 商户 商标 商业 沙发 沙滩 荣誉 桑拿 明星 池塘 查询 查看 查收 麻烦 " +
		"官方 官网 封面 封闭 谈判 谈话 惠民 惠州 乐观 乐园 南方 南京 南山 班级 班车 原因 原来 原价 原告 燕麦 楚楚 劳动 " +
		"皮肤 皮革 满意 满足 满分 闻名 位置 位于 海外 海关 海南 海鲜 花费 花生 花样 权利 权益 强度 帅哥 豆腐 练习 廉洁 " +
		"井水 祖国 巴士 丰富 丰收 支付 支持 支出 支行 国际 国内 国外 国籍 平安 计划 计算 索赔 索引 宣传 宣布 相关 相同 " +
		"相信 初始 初次 门店 门口 门牌 云端 容易 容量 敬请 来电 来信 来源 普通 普及 戈壁 鹿港 薄荷 雍正 羊肉 阿姨 乌鸦 " +
		"母亲 修改 修复 邸报 水平 水电 凤凰 雷达 元旦 顾客 顾问 黄色 穆斯 萧条 尹某 祁连 贝壳 成本 成员 成都 成立 戴帽 " +
		"茅台 纪念 纪律 舒适 屈服 项链 祝愿 董事 蓝色 季度 麻将 贾某 江苏 江西 颜色 梅花 盛大 钟声 骆驼 凌晨 霍乱 柯南 " +
		"经理 经验 经济 经营 经过 干净 宗旨 丁香 宣誓 郁闷 杭州 洪水 诸位 左右 左边 崔某 龚某 滑雪 羊毛 甄选 家庭 家人 " +
		"家长 家属 家里 储蓄 储存 松开 段落 富有 焦点 弓箭 牧场 山东 山西 山区 秋天 秋季 伊始 暴雨 印刷 印象 宿舍 怀疑 " +
		"从事 从而 从来 索取 蒙古 乔迁 阴天 能够 能力 双方 双手 通信 别人 充值 充分 慕名 习惯 鱼类 终于 终端 居民 居住 " +
		"步骤 禄位 越来 隆重 融资 那么 那些 空间 空调 后来 后面 后续 益处 揭示 植物 银行 银联 续费 靖国 时候 时代 时期 " +
		"申请 申报 申明 关注 关闭 关键 关心 兰州 焦虑 俞某 左侧 柳树 甘肃 包头 宁波 宁夏 尚未 符合 阮某 梅州 童年 童装 " +
		"毕业 单据 季节 裴某 霍某 涂料 成交 苗木 谷歌 盛行 曲线 翁某 冉冉 骆某 蓝天 路过 游览 辛苦 管控 柴油 蒙牛 鲍鱼 " +
		"华南 华北 华东 喻某 蒲公 房屋 房产 房租 房贷 房东 滕某 屈指 饶恕 解决 解释 解除 牟利 艾滋 尤其 阳光 阳台 时效 " +
		"穆某 农业 农村 农民 司法 卓越 古代 古典 吉林 吉祥 缪某 简历 车辆 项下 连带 芦苇 娄底 窦某 戚某 岑某 景区 景色 " +
		"党委 宫颈 费用 卜卦 冷链 晏某 卫星 米饭 柏林 宗族 瞿某 桂林 全款 佟某 应急 臧某 闵行 苟且 邬某 边境 卞某 姬某 " +
		"师范 和解 仇恨 栾某 隋朝 商量 刁难 沙漠 荣获 巫师 寇某 桑葚 郎中 甄别 丛林 仲裁 虞某 敖包 巩固 明天 佘山 迟到 " +
		"官司 封顶 谈及 匡扶 鞠躬 惠及 荆州 乐意 冀州 郁金 胥某 储备 原件 栗子 燕窝 楚国 鄢陵 劳务 谌某 奚落 皮鞋 粟米 " +
		"冼某 蔺某 楼盘 楼层 盘点 满额 闻讯 位列 厉害 伊利 仝某 区域 区间 郜某 海量 阚某 花呗 权限 强行 帅气 屠宰 豆瓣 " +
		"朴素 盖章 练车 廉租 禹州 井冈 祖籍 巴黎 丰田 支票 卿某 国债 狄某 平安 计息 索尼 宣城 晋升 相应 初审 门诊 云南 " +
		"容器 敬老 来往 扈某 晁某 芮城 都市 普惠 阙某 浦东 戈尔 伏特 鹿角 薄弱 邰某 雍容 辜负 羊城 阿拉 乌鲁 母婴 裘皮 " +
		"亓某 修理 邸某 何时 何处 何种 何况 何必 周期 周年 周边 黄河 黄山 黄瓜 马路 马拉 马来 朱红 胡同 胡说 郭某 林场 " +
		"须知 须要 须填 须持 须由 须在 应知 应签 应如 应于 应由 应向 应按 应在 宁愿 时须 于此 于本 任意 任职 成为 和约 " +
		"江山 金卡 金牌 钱包 钱款 贺卡 贺词 封装 车险 车贷 房本 关联 应答 全称 相片 签章 本金 利息 敬礼 " +
		"周一 周二 周三 周四 周五 周六 周日 方法 方案 方式 方面 范围 成绩 成果 安排 安装 程度 通知 申请 关注 解答 施工 " +
		"于是 向往 常见 康复 武汉 温州 卢浮 包容 孔子 孟子 庄子 老子 屈原 苏州 常州 福州 梅州 郑州 徐州 廊坊 祝你 " +
		"汤姆 杰克 玛丽 马克 戴维 乔治 汉斯 莫斯 罗马 罗斯 米兰 巴西 阿根 柯达 索尼 宝马 奔驰 雷克 丰田 本田") {
		m[w] = true
	}
	return m
}()

// brandWords are companies and brands that start with a surname: never a
// name, even after "姓名：".
var brandWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("万元 万达 万科 华为 腾讯 阿里 百度 京东 小米 美团 联想 海尔 格力 招商 中信 光大 民生 兴业 浦发 华夏 方正 国美 " +
		"苏宁 恒大 顺丰 申通 圆通 韵达 中通 邮政 滴滴 携程 网易 新浪 搜狐 快手 字节 拼多 唯品 蔚来 理想 比亚 吉利 长城 " +
		"长安 奇瑞 海信 创维 康佳 格兰 苏泊 九阳 美的 安踏 特步 匹克 周大 金蝶 用友 曙光 浪潮 紫光 中兴 同方") {
		m[w] = true
	}
	return m
}()

// relTags are relationship words written in brackets after a name in
// contact lists: "慕容琳（子女）", "王强(配偶)".
var relTags = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("配偶 丈夫 妻子 老公 老婆 爱人 父亲 母亲 父母 爸爸 妈妈 儿子 女儿 子女 兄弟 姐妹 哥哥 姐姐 弟弟 妹妹 " +
		"朋友 好友 同事 同学 亲属 亲戚 本人 其他 邻居 领导 上级 室友 男友 女友 男朋友 女朋友 表哥 表姐 表弟 表妹 堂哥 堂姐 " +
		"叔叔 阿姨 舅舅 姑姑 伯伯 爷爷 奶奶 外公 外婆 岳父 岳母 公公 婆婆 女婿 儿媳 紧急联系人 担保人 联系人 直系亲属 " +
		"亲友 老乡 合伙人 客户 老板 员工 配偶/爱人 家人 父 母 子 女 兄 弟 姐 妹 夫 妻 " +
		"spouse friend colleague father mother parent sibling brother sister son daughter child relative other " +
		"husband wife partner coworker classmate neighbor neighbour boss self") {
		m[w] = true
	}
	return m
}()

var nameStopSet = newRuneSet(nameStopRunes)

// placeSuffixes end place and organisation words, not names.
var placeSuffixes = newRuneSet("区市县省路街镇村号楼室州岛山河湖站港厂店局院所馆部处司行社")

// stopAt reports whether a name-ending word starts at p.
func stopAt(text []byte, p int) bool {
	r, _ := nextRune(text, p)
	if nameStopSet.has(r) {
		return true
	}
	for _, w := range nameStops {
		if hasPrefix(text[p:], w) {
			return true
		}
	}
	return false
}

// stopWordAt reports whether a stop word (not a single stop rune) starts at p.
func stopWordAt(text []byte, p int) bool {
	for _, w := range nameStops {
		if len(w) > 3 && hasPrefix(text[p:], w) {
			return true
		}
	}
	return false
}

// fieldWordAt reports whether a field name starts at p ("姓名", "电话"):
// after a label that means the "value" is the next label.
func fieldWordAt(text []byte, p int) bool {
	for _, w := range zhFieldWords {
		if hasPrefix(text[p:], w) {
			return true
		}
	}
	return false
}

// surnameAt returns the surname length in runes at p (2 for compound), or 0.
func surnameAt(text []byte, p int) int {
	r, _ := nextRune(text, p)
	if compoundFirst.has(r) && p+6 <= len(text) && compoundSet[string(text[p:p+6])] {
		return 2
	}
	if surnameSet.has(r) {
		return 1
	}
	return 0
}

// compoundFirst holds the first runes of the compound surnames.
var compoundFirst = func() *runeSet {
	t := new(runeSet)
	for _, s := range strings.Fields(compoundSurnames) {
		t.add(string([]rune(s)[:1]))
	}
	return t
}()

// hanRun records the starts of up to len(pos)-1 Han runes from p; pos[n] is
// the end of the run.
func hanRun(text []byte, p int, pos []int) int {
	n, q := 0, p
	for n < len(pos)-1 {
		r, sz := nextRune(text, q)
		if !isHan(r) {
			break
		}
		pos[n] = q
		n++
		q += sz
	}
	pos[n] = q
	return n
}

// plausibleName checks a surname-led span of sl surname runes and g given
// runes: given runes are not function words or titles, and the whole is not
// a common word, a place or a brand.
func plausibleName(text []byte, st, e, sl, g int) bool {
	return plausibleNameAs(text, st, e, sl, g, false)
}

// plausibleNameAs is plausibleName; after a label that says name ("姓名：")
// a common word is a name too ("姓名：卓越"), a brand still is not.
func plausibleNameAs(text []byte, st, e, sl, g int, strong bool) bool {
	if g < 1 || g > 2 {
		return false
	}
	v := text[st:e]
	k := 0
	for i := 0; i < len(v); {
		r, sz := nextRune(v, i)
		if k >= sl && notGiven.has(r) {
			return false
		}
		if k == sl && g == 1 && titleRunes.has(r) {
			return false
		}
		k++
		i += sz
	}
	if r, _ := lastRune(v, len(v)); strings.ContainsRune("员者们人", r) {
		return false
	}
	if g == 2 {
		// "李老师", "王经理": a surname and a title; "董事长": a title.
		given := string(v[len(v)-6:])
		for _, w := range nameStops {
			if w == given || w == string(v) {
				return false
			}
		}
		if strings.Contains("阿姨 叔叔 警官 大夫 科长 处长 局长 部长 厂长 所长 院长 校长 老板 大爷 大妈 大姐 大哥 师兄 师姐 总裁 董事", given) {
			return false
		}
	}
	if brandWords[string(v)] || !strong && (sl+g == 2 && commonWords[string(v)] || sl == 1 && g == 2 && commonWords[string(v[:6])] && commonWords[string(v[3:])]) {
		return false
	}
	return !placeLike(v)
}

// nameAfter parses a Chinese name starting at p (after a label): surname,
// one or two given runes, then a stop word, a relationship tag or the end of
// the Han run. It returns the end and a confidence (0: no name).
func nameAfter(text []byte, p int) (int, float64) { return nameAfterMode(text, p, false, false) }

// nameAfterMode is nameAfter; glued (a label written right before the
// value, "借款人张三") accepts only the end of the run or a stop word of two
// runes or more after the name, not a single function rune: in
// "借款人应按时还款" 还 ends nothing.
func nameAfterMode(text []byte, p int, glued, strong bool) (int, float64) {
	sl := surnameAt(text, p)
	if sl == 0 || fieldWordAt(text, p) {
		return p, 0
	}
	var pos [8]int
	n := hanRun(text, p, pos[:])
	for g := 1; g <= 2 && sl+g <= n; g++ {
		e := pos[sl+g]
		if (sl+g == n || !glued && stopAt(text, e) || glued && stopWordAt(text, e) || fieldWordAt(text, e)) && plausibleNameAs(text, p, e, sl, g, strong) &&
			!orgAfterConj(text, e) {
			return e, 0.9
		}
	}
	return p, 0
}

// nameBefore finds a name ending at e (before an honorific, a relationship
// tag or an identifier): the whole Han run if it is a name, or its last 3
// then 2 runes starting with a surname. strict requires the whole run to
// be the name.
func nameBefore(text []byte, e int, strict bool) (int, float64) {
	var pos [7]int
	n, q := 0, e
	for n < len(pos) {
		r, sz := lastRune(text, q)
		if !isHan(r) {
			break
		}
		q -= sz
		pos[n] = q // pos[k] is the start of the (k+1)-th rune back
		n++
	}
	if n == len(pos) && strict {
		return e, 0
	}
	try := func(k int) (int, float64) {
		if k > n || k < 2 {
			return e, 0
		}
		st := pos[k-1]
		sl := surnameAt(text, st)
		if sl == 0 || !plausibleName(text, st, e, sl, k-sl) {
			return e, 0
		}
		return st, 0.8
	}
	if n <= 4 {
		if st, c := try(n); c > 0 {
			return st, c
		}
	}
	if strict {
		return e, 0
	}
	// A label glued before the name ("联系人慕容琳") or a verb ("感谢张伟"):
	// try the last four (compound surnames), three, then two runes.
	for _, k := range [...]int{4, 3, 2} {
		if k >= n {
			continue
		}
		st := pos[k-1]
		if sl := surnameAt(text, st); sl == 2 && k == 4 || sl >= 1 && k < 4 {
			if st, c := try(k); c > 0 {
				return st, c
			}
		}
	}
	return e, 0
}

// relTagAt returns the size of a bracketed relationship tag at p
// ("（子女）", "(spouse)", "[朋友]"), or 0.
func relTagAt(text []byte, p int) int {
	op := openParenAt(text, p)
	if op == 0 {
		if hasPrefix(text[p:], "【") {
			op = 3
		} else if p < len(text) && text[p] == '[' {
			op = 1
		} else {
			return 0
		}
	}
	q := p + op
	for q < len(text) && q-p < 24 {
		if cp := closeParenAt(text, q); cp > 0 || hasPrefix(text[q:], "】") || text[q] == ']' {
			if cp == 0 {
				cp = 1
				if text[q] != ']' {
					cp = 3
				}
			}
			w := text[p+op : q]
			var lb [24]byte
			l := lb[:0]
			for _, c := range w {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				l = append(l, c)
			}
			if relTags[string(l)] {
				return q + cp - p
			}
			return 0
		}
		q++
	}
	return 0
}

// relationTag handles a bracket at i: a relationship tag after a name.
func (s *scanner) relationTag(i int) {
	if relTagAt(s.text, i) == 0 {
		return
	}
	e := i
	for e > 0 && (s.text[e-1] == ' ' || s.text[e-1] == '\t') {
		e--
	}
	if st, c := nameBefore(s.text, e, false); c > 0 {
		s.emit(PersonName, st, e, 0.85, s.text[st:e])
		return
	}
	s.englishNameBefore(e)
}

// hanTrigger handles Han runes that start a name label or an honorific.
func (s *scanner) hanTrigger(i int, r rune) {
	text := s.text
	if i+3 < len(text) {
		if c, _ := alnumAt(text, i+3); isLetter(c) && plateProvince(r) {
			s.plate(i)
			return
		}
	}
	if (r == '验' || r == '驗' || r == '动' || r == '動' || r == '短') && s.d.enabled[iCredential] {
		s.smsCode(i)
		return
	}
	if !s.d.needName {
		return
	}
	rest := text[i:]
	switch {
	case hasPrefix(rest, "先生"), hasPrefix(rest, "女士"):
		if hasPrefix(rest[6:], "们") {
			return
		}
		if st, c := nameBefore(text, i, false); c > 0 {
			s.emit(PersonName, st, i, c, text[st:i])
		}
		return
	}
	if r == '【' {
		s.relationTag(i)
		return
	}
	if r == '、' {
		s.enumeration(i)
		return
	}
	for _, w := range zhClosings {
		if hasPrefix(rest, w) {
			q := i + len(w)
			for q < len(text) && (strings.IndexByte("!,. ~", text[q]) >= 0 || hasPrefix(text[q:], "！") || hasPrefix(text[q:], "。") || hasPrefix(text[q:], "，")) {
				if text[q] < 0x80 {
					q++
				} else {
					q += 3
				}
			}
			s.signature(q)
			return
		}
	}
	switch {
	case r == '您' && hasPrefix(rest, "您好"):
		s.greeted(i)
		return
	case r == '身' && hasPrefix(rest, "身份证"):
		s.listed(i)
		return
	}
	if e := courtLabelEnd(text, i); e > 0 {
		if p := skipSpaces(text, e); p > e || hasPrefix(text[e:], "\u3000") {
			for hasPrefix(text[p:], "\u3000") {
				p = skipSpaces(text, p+3)
			}
			if q := wholeName(text, p, true); q > p && (q == len(text) || text[q] == '\n' || text[q] == '\r') {
				s.emit(PersonName, p, q, 0.85, text[p:q])
			}
		}
		return
	}
	for _, l := range gluedLabelIndex[r] {
		if !hasPrefix(rest, l) {
			continue
		}
		p := i + len(l)
		// "联系人1", "联系人二": numbered labels.
		for k := 0; k < 3 && p < len(text); k++ {
			if c, sz := alnumAt(text, p); sz > 0 && isDigit(c) {
				p += sz
			} else if r, sz := nextRune(text, p); strings.ContainsRune("一二三四五六七八九", r) {
				p += sz
			} else {
				break
			}
		}
		// A colon after the label is handled by colon(), with the
		// label read back from it.
		if p < len(text) && text[p] == ':' || hasPrefix(text[p:], "：") {
			return
		}
		// A header cell: "姓名\t关系\t手机", "| 姓名 |", "<th>姓名</th>".
		if q := skipSpaces(text, p); q < len(text) && strings.IndexByte("\t|,<", text[q]) >= 0 {
			s.tableHeader(i, p)
		}
		q := skipLabelGap(text, p)
		if relativeLabel(l) && weakSurnameAt(text, q) {
			return // "我同学都知道"
		}
		s.namesAfter(q, q > p, l == "姓名" || l == "姓 名" || l == "姓\u3000名", false)
		return
	}
}

// gluedLabels are the labels that introduce a name even without a colon:
// "借款人张三", "联系人 李四", "<td>姓名</td><td>王五</td>", and the
// relatives a collection notice names ("您的配偶张浩明（身份证尾号…）").
var gluedLabels = append(relativeLabels(), baseGluedLabels[:]...)

// relativeLabels are "您的", "我的" … and a relationship word of two runes
// or more: collection messages name the relative they told ("您的丈夫刘可雨
// （157…）"), complaints the relative who was called ("给我兄弟邹悦玉打电话").
func relativeLabels() []string {
	var ls []string
	for w := range relTags {
		if w[0] >= 0x80 && len(w) >= 6 {
			for _, who := range [...]string{"您的", "你的", "我的", "我"} {
				ls = append(ls, who+w)
			}
		}
	}
	slices.Sort(ls) // map order must not decide which label wins
	return ls
}

// relativeLabel reports a label of relativeLabels.
func relativeLabel(l string) bool {
	return strings.HasPrefix(l, "我") || strings.HasPrefix(l, "您的") || strings.HasPrefix(l, "你的")
}

var baseGluedLabels = [...]string{"姓名", "姓 名", "姓\u3000名", "联系人", "收件人", "收货人", "借款人", "申请人", "持卡人", "户名", "本人", "嫌疑人",
	"担保人", "保证人", "收款人", "付款人", "寄件人", "委托人", "代理人", "监护人", "投保人", "被保险人", "受益人", "法定代表人", "负责人", "经办人", "当事人", "债务人", "承租人", "尊敬的", "亲爱的",
	"民警", "警官", "记者", "客服", "律师", "法官", "医生", "护士", "老师", "经理", "同事", "朋友", "我是", "我叫", "名叫", "证明人", "客户"}

// zhClosings end a letter; a name alone on the next line is its signature.
var zhClosings = [...]string{"谢谢", "盼复", "敬礼", "此致", "顺祝", "祝好", "感谢"}

func skipSpaces(text []byte, p int) int {
	for p < len(text) && text[p] == ' ' {
		p++
	}
	return p
}

// gluedLabelIndex lists the glued labels by their first rune.
var gluedLabelIndex = func() map[rune][]string {
	m := map[rune][]string{}
	for _, l := range gluedLabels {
		r := []rune(l)[0]
		m[r] = append(m[r], l)
	}
	return m
}()

// skipLabelGap skips what stands between a label and its value: spaces,
// tabs, one line break, quotes, and up to two HTML tags ("</td><td>").
func skipLabelGap(text []byte, p int) int {
	nl, tags := 0, 0
	for p < len(text) {
		switch c := text[p]; {
		case c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '=':
			p++
			continue
		case c == '\r':
			p++
			continue
		case c == '\n' && nl == 0:
			nl++
			p++
			continue
		case c == '<' && tags < 2:
			q := p + 1
			for q < len(text) && text[q] != '>' && text[q] != '<' && q-p < 40 {
				q++
			}
			if q < len(text) && text[q] == '>' {
				tags++
				p = q + 1
				continue
			}
		case hasPrefix(text[p:], "\u3000"):
			p += 3
			continue
		}
		break
	}
	return p
}

// namesAfter reports the name at p after a label, and further names in a
// list ("张三、李四"). A name with a relationship tag is as good as one with
// a label. field says the label ended with a colon: the value may be a
// whole name outside the surname list (wholeName); a glued label may be a
// header cell followed by the next one ("姓名\t拼音").
func (s *scanner) namesAfter(p int, delimited, strong, field bool) {
	text := s.text
	if field {
		if e := wholeName(text, p, strong); e > p {
			s.emit(PersonName, p, e, 0.85, text[p:e])
			return
		}
	}
	for k := 0; k < 8; k++ {
		e, c := nameAfterMode(text, p, !delimited, strong && k == 0)
		if c == 0 {
			if k == 0 && (delimited || p < len(text) && 'A' <= text[p] && text[p] <= 'Z') && !labelAhead(text, p) {
				s.englishName(p, 0.85, 1)
			}
			return
		}
		if !delimited {
			c = 0.85
		}
		s.emit(PersonName, p, e, c, text[p:e])
		if t := relTagAt(text, e); t > 0 {
			e += t
		}
		// List separators.
		q := e
		switch {
		case hasPrefix(text[q:], "、"), hasPrefix(text[q:], "，"), hasPrefix(text[q:], "；"):
			q += 3
		case q < len(text) && (text[q] == ',' || text[q] == '/' || text[q] == ';'):
			q++
		default:
			return
		}
		for q < len(text) && text[q] == ' ' {
			q++
		}
		p = q
	}
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// adjacentNames adds names written right next to an identifier, as in
// contact lists and tables ("张伟 13812345678", "13812345678,李娜"): the Han
// run must be exactly a name, bounded by separators.
func (s *scanner) adjacentNames(fs []raw) []raw {
	text := s.text
	added := false
	n := len(fs)
	for k := 0; k < n; k++ {
		f := fs[k]
		if !subjectType(f.typeOf()) {
			continue
		}
		// before
		e := skipSepsBack(text, f.Start)
		if st, c := nameBefore(text, e, true); c > 0 && (k == 0 || fs[k-1].End <= st) && !colonAt(text, e) && !weakSurnameAt(text, st) {
			fs = append(fs, s.raw(PersonName, st, e, 0.75, text[st:e]))
			added = true
		}
		// after
		p := skipSeps(text, f.End)
		if p < len(text) {
			if e, c := nameAfter(text, p); c >= 0.9 && (k+1 >= n || fs[k+1].Start >= e) && !weakSurnameAt(text, p) {
				if r, _ := nextRune(text, e); !isHan(r) {
					fs = append(fs, s.raw(PersonName, p, e, 0.75, text[p:e]))
					added = true
				}
			}
		}
	}
	if !added {
		return fs
	}
	// Both runs are sorted: merge instead of sorting again.
	merged := make([]raw, 0, len(fs))
	a, b := fs[:n], fs[n:]
	slices.SortStableFunc(b, byStart)
	for len(a) > 0 && len(b) > 0 {
		if byStart(b[0], a[0]) < 0 {
			merged, b = append(merged, b[0]), b[1:]
		} else {
			merged, a = append(merged, a[0]), a[1:]
		}
	}
	return dropOverlaps(append(append(merged, a...), b...))
}

// labelAhead reports a ':' or '：' within a few words on the line from p:
// what starts at p is the next label ("Relationship manager:"), not a value.
func labelAhead(text []byte, p int) bool {
	for q := p; q < len(text) && q-p < 32 && text[q] != '\n'; q++ {
		if text[q] == ':' || hasPrefix(text[q:], "：") {
			return true
		}
	}
	return false
}

// colonAt reports a ':' or '：' at p, after spaces: what ends there is a
// label, not a value.
func colonAt(text []byte, p int) bool {
	for p < len(text) && (text[p] == ' ' || text[p] == '\t') {
		p++
	}
	return p < len(text) && text[p] == ':' || hasPrefix(text[p:], "：")
}

// nameSeps are the separators of lists and tables.
func nameSepAt(text []byte, i int) int {
	if i < len(text) {
		switch text[i] {
		case ' ', '\t', ',', '|', ';', '/', ':', '"', '(', ')':
			return 1
		}
	}
	for _, w := range [...]string{"，", "、", "：", "；", "（", "）", "\u3000"} {
		if hasPrefix(text[i:], w) {
			return len(w)
		}
	}
	return 0
}

func skipSeps(text []byte, i int) int {
	for k := 0; k < 4 && i < len(text); k++ {
		n := nameSepAt(text, i)
		if n == 0 {
			break
		}
		i += n
	}
	return i
}

func skipSepsBack(text []byte, i int) int {
	for k := 0; k < 4 && i > 0; k++ {
		_, sz := lastRune(text, i)
		if sz == 0 || nameSepAt(text, i-sz) != sz {
			break
		}
		i -= sz
	}
	return i
}

// placeLike reports whether a Han run is a place rather than a name: a
// division name (海淀区 starts with the surname 海) or a word ending in a
// place suffix.
func placeLike(b []byte) bool {
	if _, ok := divisionSet[string(b)]; ok {
		return true
	}
	r, _ := lastRune(b, len(b))
	return placeSuffixes.has(r)
}

// nameSeparators join the parts of minority names written in Han:
// 买买提·吐尔逊 (U+00B7, the standard one), •, ・ (U+30FB) and the
// full-width dot.
var nameSeparators = [...]string{"·", "•", "・", "．"}

func nameSeparatorAt(text []byte, p int) int {
	for _, w := range nameSeparators {
		if hasPrefix(text[p:], w) {
			return len(w)
		}
	}
	return 0
}

// noNames are values a name field holds when it holds no name.
var noNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("不详 未知 保密 暂无 匿名 本人 同上 无名 测试 其他 其它 未填 未填写 空白 待定 待补 " +
		"个人 企业 单位 公司 客户 用户 会员 游客 先生 女士 小姐 某某 通过 复核 已复核 审核 同意 不同意 见上 详见") {
		m[w] = true
	}
	return m
}()

// wholeName reports a name that fills the value at p, right after a name
// label: the value ends at the end of the line or field (or before a
// relationship tag) and is either a minority name (Han parts joined by a
// name separator, up to 16 runes: 买买提·吐尔逊, 迪丽拜尔•阿不都拉) or,
// after a label that says "name" (strong: 姓名, khxm, FullName) or before a
// relationship tag, a run of two to four Han runes whatever its first rune
// (阿西木呷, 其木格: not every name starts with a listed surname). It
// returns the end, or p.
func wholeName(text []byte, p int, strong bool) int {
	q, runes, seps := p, 0, 0
	for {
		var pos [17]int
		n := hanRun(text, q, pos[:])
		if n == 0 {
			return p
		}
		runes += n
		q = pos[n]
		if runes > 16 {
			return p
		}
		if w := nameSeparatorAt(text, q); w > 0 {
			if r, _ := nextRune(text, q+w); isHan(r) {
				q += w
				seps++
				continue
			}
		}
		break
	}
	if !valueEndAt(text, q) {
		return p
	}
	if seps > 0 {
		return q
	}
	rel := q < len(text) && (text[q] == '-' || relTagAt(text, q) > 0) // valueEndAt checked the tag
	if !strong && !rel || runes < 2 || runes > 4 {
		return p
	}
	v := text[p:q]
	if noNames[string(v)] || commonWords[string(v)] || brandWords[string(v)] || placeLike(v) || fieldWordAt(text, p) {
		return p
	}
	for _, w := range nameStops {
		if hasPrefix(v, w) || hasSuffix(v, w) {
			return p
		}
	}
	k := 0
	for i := 0; i < len(v); k++ {
		r, sz := nextRune(v, i)
		if k > 0 && notGiven.has(r) {
			return p
		}
		i += sz
	}
	if r, _ := lastRune(v, len(v)); strings.ContainsRune("员者们人某氏", r) {
		return p
	}
	if r, _ := nextRune(v, len(v)-3); titleRunes.has(r) && runes == 2 {
		return p
	}
	return q
}

// valueEndAt reports whether a field value ends at p: the end of the text,
// a line or cell break, spaces before the next field, or a relationship tag
// written after the name (（子女）, -哥哥, " 关系：").
func valueEndAt(text []byte, p int) bool {
	if p >= len(text) {
		return true
	}
	switch text[p] {
	case '\n', '\r', '\t', ',', '"', '|', ';', ' ':
		return true
	case '-':
		for w := range relTags {
			if hasPrefix(text[p+1:], w) {
				return true
			}
		}
		return false
	}
	if hasPrefix(text[p:], "\u3000") || hasPrefix(text[p:], "，") || hasPrefix(text[p:], "；") || hasPrefix(text[p:], "。") {
		return true
	}
	return relTagAt(text, p) > 0
}

// greeted reports the name a message opens with, right before 您好
// ("【恒信金融】郭媛秀您好"): the whole Han run must be the name, and it
// starts a line, a sentence or follows a sender's 【tag】.
func (s *scanner) greeted(i int) {
	text := s.text
	st, c := nameBefore(text, i, true)
	if c == 0 || weakSurnameAt(text, st) || !openingAt(text, st) {
		return
	}
	s.emit(PersonName, st, i, 0.8, text[st:i])
}

// listed reports the name that heads a line of a public list before its
// (masked) ID: "张清超，身份证号码3302**********" in debtor blacklists.
func (s *scanner) listed(i int) {
	text := s.text
	e := i
	switch {
	case e >= 3 && string(text[e-3:e]) == "，":
		e -= 3
	case e >= 1 && text[e-1] == ',':
		e--
	default:
		return
	}
	st, c := nameBefore(text, e, true)
	if c == 0 || weakSurnameAt(text, st) {
		return
	}
	ls := st
	for ls > 0 && (text[ls-1] == ' ' || text[ls-1] == '\t' || text[ls-1] == '.' || isDigit(text[ls-1])) {
		ls--
	}
	if ls > 0 && text[ls-1] != '\n' {
		return
	}
	s.emit(PersonName, st, e, 0.8, text[st:e])
}

// openingAt reports whether p starts a line or a sentence or follows a
// sender's tag (】), spaces aside.
func openingAt(text []byte, p int) bool {
	for p > 0 && (text[p-1] == ' ' || text[p-1] == '\t') {
		p--
	}
	if p == 0 || text[p-1] == '\n' || text[p-1] == ',' || text[p-1] == '"' {
		return true
	}
	for _, w := range [...]string{"】", "，", "。", "：", "！"} {
		if p >= len(w) && string(text[p-len(w):p]) == w {
			return true
		}
	}
	return false
}

// courtLabels sign a judgment or ruling, written with spaces between their
// runes to line up ("审  判  长  张德清").
var courtLabels = [...]string{"审判长", "审判员", "陪审员", "人民陪审员", "书记员", "执行员", "法官助理", "代理审判员"}

// courtLabelEnd returns the end of a court signing label at i, its runes
// possibly spaced, when it starts a line; 0 otherwise.
func courtLabelEnd(text []byte, i int) int {
	ls := i
	for ls > 0 && (text[ls-1] == ' ' || text[ls-1] == '\t') {
		ls--
	}
	if ls > 0 && text[ls-1] != '\n' {
		return 0
	}
	for _, l := range courtLabels {
		p := i
		ok := true
		for _, r := range l {
			for k := 0; k < 4 && p > i && (p < len(text) && text[p] == ' ' || hasPrefix(text[p:], "\u3000")); k++ {
				if text[p] == ' ' {
					p++
				} else {
					p += 3
				}
			}
			q, sz := nextRune(text, p)
			if q != r {
				ok = false
				break
			}
			p += sz
		}
		if ok {
			return p
		}
	}
	return 0
}

// conjRunes join two names ("王芳和李明") and also stand inside the trade
// names of companies ("佳和", "德与").
var conjRunes = newRuneSet("和与及同")

// orgSuffixes end the name of an organisation.
var orgSuffixes = [...]string{"公司", "集团", "事务所", "银行", "中心", "工作室", "合作社", "研究院", "研究所", "医院",
	"学校", "大学", "学院", "协会", "商会", "委员会", "基金会", "商行", "酒店", "超市", "药厂", "工厂", "门店", "分行", "支行"}

// orgAfterConj reports a conjunction at p that is part of an
// organisation's name rather than a join between two people: the Han run
// after it reaches an organisation suffix within 16 runes, and neither a
// name nor a place starts right after it. In "原告：武汉佳和资产管理有限公司"
// 武汉佳 is no person; in "张伟和李强于…" and "张伟和北京某某公司" 张伟 is.
func orgAfterConj(text []byte, p int) bool {
	r, sz := nextRune(text, p)
	if !conjRunes.has(r) {
		return false
	}
	q := p + sz
	if _, c := nameAfter(text, q); c > 0 {
		return false
	}
	var pos [17]int
	n := hanRun(text, q, pos[:])
	for k := 2; k <= 4 && k <= n; k++ {
		if _, ok := divisionSet[string(text[q:pos[k]])]; ok {
			return false
		}
	}
	for k := 0; k < n; k++ {
		for _, w := range orgSuffixes {
			if hasPrefix(text[pos[k]:pos[n]], w) {
				return true
			}
		}
	}
	return false
}
