package report

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/scruple/scruple"
)

// Languages the report is written in.
const (
	LangEN = "en"
	LangZH = "zh"
)

// ParseLang normalises a language name ("zh", "zh-CN", "zh_TW.UTF-8",
// "en", "en-GB"); "" means English.
func ParseLang(s string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	switch {
	case l == "" || l == "en" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_"):
		return LangEN, nil
	case l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_"):
		return LangZH, nil
	}
	return "", scruple.Errorf(scruple.EINVALID, "--lang %q: the report is written in zh or en", s)
}

// LangFromEnv picks the report's language from the locale, as POSIX orders
// it (LC_ALL, then LC_MESSAGES, then LANG): Chinese when the locale is
// Chinese, else English.
func LangFromEnv(getenv func(string) string) string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return LangZH
			}
			return LangEN
		}
	}
	return LangEN
}

// translator writes the report's words in one language.
type translator struct {
	lang string
	zh   bool
	p    *message.Printer
	// missing records keys not in the catalogue (the tests read it).
	missing map[string]bool
}

func newTranslator(lang string) *translator {
	tag := language.English
	if lang == LangZH {
		tag = language.SimplifiedChinese
	}
	return &translator{lang: lang, zh: lang == LangZH, p: message.NewPrinter(tag)}
}

// t returns a phrase; an unknown key returns itself (the catalogue test
// makes sure none is unknown).
func (t *translator) t(key string) string {
	m, ok := catalog[key]
	if !ok {
		if t.missing == nil {
			t.missing = map[string]bool{}
		}
		t.missing[key] = true
		return key
	}
	if t.zh {
		return m.zh
	}
	return m.en
}

// kind names a record kind; a kind this version does not know (a newer
// crawler's) is shown as it is written.
func (t *translator) kind(k string) string {
	if _, ok := catalog["kind."+k]; ok {
		return t.t("kind." + k)
	}
	return k
}

// f formats a phrase with arguments; integers get the locale's grouping.
func (t *translator) f(key string, args ...any) string {
	return t.p.Sprintf(t.t(key), args...)
}

// n formats a count.
func (t *translator) n(v int64) string { return t.p.Sprintf("%d", v) }

// time formats an instant the same way in both languages: ISO 8601, UTC.
func (t *translator) time(tm time.Time) string {
	if tm.IsZero() {
		return "—"
	}
	return tm.UTC().Format("2006-01-02 15:04:05 UTC")
}

// bytes formats a size in binary units.
func (t *translator) bytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return t.p.Sprintf("%d B", n)
}

// dur formats a duration briefly: "1s", "250ms", "1.5s", "2m0s".
func dur(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < time.Millisecond:
		return d.String()
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", d.Seconds()), "0"), ".") + "s"
	}
	return d.Round(time.Second).String()
}

// phrase is one entry of the catalogue, in both languages. Format verbs
// must agree between the two (the catalogue test checks it).
type phrase struct{ en, zh string }

// catalog holds every phrase of the report. It is a table, not state: it is
// never written after initialisation.
var catalog = map[string]phrase{
	// Page
	"title":     {"Crawl provenance report", "爬取来源证明报告"},
	"brand":     {"evidence for data buyers and regulators", "供数据买方与监管方查验的证据"},
	"subject":   {"Bundle", "证据包"},
	"generated": {"generated", "生成于"},
	"none":      {"none", "无"},
	"other":     {"other", "其他"},
	"more":      {"… and %d more", "……另有 %d 项"},
	"between":   {"between", "位于"},
	"and":       {"and", "与"},
	"from":      {"from", "起于"},
	"anomalies": {"anomalies", "异常"},
	"purges":    {"purges", "清除记录"},
	"timeline":  {"Purges and consent events over time", "清除与同意事件时间线"},

	"sec.verdict":   {"Verdict", "结论"},
	"sec.scope":     {"Scope", "范围"},
	"sec.hosts":     {"Per host", "各主机"},
	"sec.pi":        {"Personal information", "个人信息"},
	"sec.checklist": {"Legal checklist", "合规核对表"},
	"sec.anomalies": {"Anomalies", "异常检查"},
	"sec.samples":   {"Samples", "样本"},
	"sec.evidence":  {"Evidence", "证据条目"},

	// Verdict
	"verdict.ok":             {"VERIFIED", "验证通过"},
	"verdict.bad":            {"NOT VERIFIED", "验证未通过"},
	"verdict.ok.text":        {"%d records and %d signed log entries; every record matches the log the checkpoint (tree size %d) signs.", "%d 条记录、%d 条已签名日志条目；每条记录都与检查点（树大小 %d）签名的日志一致。"},
	"verdict.bad.text":       {"This bundle is not what was signed. Nothing below is proven; it shows what the bundle claims.", "此证据包与签名时的内容不符。以下内容均未得到证明，仅显示证据包自称的内容。"},
	"verdict.unpinned":       {"The signer was not checked against a key you trust: the bundle's own key.pub was used, which a re-signed bundle replaces. Compare the fingerprint below with the provider's published one, or pass --key.", "签名者未与您信任的公钥核对：使用的是证据包自带的 key.pub，而重新签名的证据包会替换它。请将下方指纹与数据提供方公布的指纹比对，或使用 --key。"},
	"issue.altered":          {"Tampered", "被篡改"},
	"issue.altered.text":     {"%d record(s) or log line(s) altered, added or reordered", "%d 条记录或日志行被修改、添加或重排"},
	"issue.truncated":        {"Truncated", "被截断"},
	"issue.truncated.text":   {"%d sign(s) of removed records, removed log lines or a file cut short", "%d 处记录被删除、日志行被删除或文件被截短的迹象"},
	"issue.resigned":         {"Re-signed", "被重新签名"},
	"issue.resigned.text":    {"%d sign(s) that the bundle is signed by another key than expected", "%d 处迹象表明证据包由非预期的密钥签名"},
	"issue.missing":          {"Incomplete", "不完整"},
	"issue.missing.text":     {"%d bundle file(s) missing or unreadable", "%d 个证据包文件缺失或无法读取"},
	"issue.manifest":         {"Manifest mismatch", "清单不符"},
	"issue.manifest.text":    {"%d disagreement(s) between manifest.json and the files", "manifest.json 与文件之间有 %d 处不一致"},
	"issue.attestation":      {"Attestation fails", "证明文件未通过"},
	"issue.attestation.text": {"%d problem(s) with the in-toto attestation: missing, not signed by the key, or listing other files", "in-toto 证明文件有 %d 处问题：缺失、非该密钥签名，或所列文件不符"},
	"key.name":               {"Signer key", "签名密钥"},
	"key.hash":               {"key hash", "密钥哈希"},
	"key.pinned":             {"checked against the key you gave", "已与您提供的公钥核对"},
	"key.fingerprint":        {"Fingerprint (SHA-256)", "指纹（SHA-256）"},
	"tree.size":              {"Tree size", "树大小"},
	"tree.root":              {"Root hash", "根哈希"},
	"counts":                 {"Contents", "内容"},
	"counts.text":            {"%d records, %d log entries", "%d 条记录，%d 条日志条目"},
	"span":                   {"Time span", "时间范围"},
	"created":                {"Bundle written", "证据包生成时间"},
	"problems":               {"What is wrong", "问题明细"},
	"files":                  {"Files", "文件"},
	"file.signed":            {"verified (signed)", "已验证（已签名）"},
	"file.manifest":          {"matches manifest (unsigned)", "与清单一致（未签名）"},
	"file.attested":          {"verified (attestation)", "已验证（证明文件）"},
	"file.unchecked":         {"informative, not signed", "仅供参考，未签名"},
	"file.bad":               {"DOES NOT MATCH the manifest", "与清单不一致"},
	"summary.checklist":      {"Checklist: %d pass, %d warning, %d fail", "核对表：%d 项通过，%d 项警告，%d 项不通过"},
	"summary.anomalies":      {"anomaly checks that found something: %d", "发现问题的异常检查：%d 项"},

	// Scope
	"seeds":             {"Seeds", "种子 URL"},
	"seeds.fromrecords": {"(from the records' source; the runs' settings are not in the bundle)", "（取自记录来源；运行设置不在证据包中）"},
	"notinbundle":       {"not in the bundle", "证据包中没有"},
	"hosts":             {"Hosts", "主机数"},
	"useragent":         {"User agent", "User-Agent"},
	"purpose":           {"Purpose", "目的"},
	"purpose.none":      {"none declared: nothing that needs consent could be kept", "未声明：任何需要同意的信息均不得保留"},
	"versions":          {"Versions", "版本"},
	"detector":          {"detector", "检测器"},
	"runs":              {"Runs", "运行记录"},
	"runs.none":         {"The log holds no run settings (bundles written before scruple logged them): the delay, user agent, purpose and policy text in force cannot be proven.", "日志中没有运行设置（早于 scruple 记录运行设置的证据包）：无法证明当时的间隔、User-Agent、目的和策略文本。"},
	"distributed":       {"distributed worker", "分布式工作节点"},
	"policy":            {"Policy", "策略"},
	"policy.hash":       {"hash", "哈希"},
	"policy.entries":    {"decided %d entries", "决定了 %d 条日志条目"},
	"policy.verified":   {"text matches its hash", "文本与哈希一致"},
	"policy.mismatch":   {"text does NOT match its hash", "文本与哈希不一致"},
	"policy.notext":     {"text not in the bundle", "文本不在证据包中"},
	"col.entry":         {"Entry", "条目"},
	"col.started":       {"Started", "开始时间"},
	"col.delay":         {"Delay", "间隔"},
	"col.perhost":       {"Per host", "每主机并发"},
	"col.concurrency":   {"Concurrency", "总并发"},
	"col.scope":         {"Scope", "范围"},
	"col.depth":         {"Max depth", "最大深度"},
	"col.agent":         {"robots.txt agent", "robots.txt 代理名"},

	// Hosts
	"hosts.intro":         {"Requests are those the log records by their times: each URL's final response and every robots.txt fetch (attempts that were retried are not logged). The spacing is what the crawler had to keep: max(delay, Crawl-delay).", "请求数为日志按时间记录的请求：每个 URL 的最终响应及每次 robots.txt 抓取（被重试的尝试不记录）。要求间隔为爬虫必须遵守的最小间隔：max(delay, Crawl-delay)。"},
	"hosts.omitted":       {"%d more hosts are counted in every total but not listed.", "另有 %d 个主机计入所有总数但未逐一列出。"},
	"col.host":            {"Host", "主机"},
	"col.entries":         {"Records", "记录"},
	"col.pages":           {"Pages", "页面"},
	"col.robotsrefused":   {"robots.txt refused", "robots.txt 拒绝"},
	"col.nonpublic":       {"Non-public", "非公开"},
	"col.deferred":        {"Deferred", "推迟"},
	"col.traps":           {"Traps", "陷阱"},
	"col.requests":        {"Requests", "请求"},
	"col.gap":             {"Smallest gap", "最小间隔"},
	"col.busiest":         {"Busiest minute", "最繁忙一分钟"},
	"col.spacing":         {"Spacing", "要求间隔"},
	"col.polite":          {"Politeness", "礼貌性"},
	"col.fetched":         {"Fetched", "抓取时间"},
	"col.outcome":         {"Outcome", "结果"},
	"polite.ok":           {"within limits", "符合要求"},
	"polite.fast":         {"TOO FAST", "过快"},
	"polite.unknown":      {"unproven", "无法证明"},
	"polite.none":         {"no request", "无请求"},
	"polite.ok.text":      {"the fetch times keep the configured spacing.", "抓取时间符合配置的间隔。"},
	"polite.fast.text":    {"requests came faster than the configuration allowed.", "请求频率超过配置允许的范围。"},
	"polite.unknown.text": {"the bundle does not say which delay was configured.", "证据包未说明配置的间隔。"},
	"polite.none.text":    {"no request reached this host (refused before any request).", "未向该主机发出请求（在请求前即被拒绝）。"},
	"polite.requests":     {"Requests", "请求数"},
	"polite.gap":          {"Smallest gap", "最小间隔"},
	"polite.busiest":      {"Busiest minute", "最繁忙一分钟"},
	"polite.limit":        {"at most %d allowed", "最多允许 %d 次"},
	"polite.configured":   {"Configured", "配置"},
	"polite.config":       {"delay %s, Crawl-delay %s, %d in flight per host", "间隔 %s，Crawl-delay %s，每主机并发 %d"},
	"polite.verdict":      {"Observed", "实际观测"},
	"polite.toofast":      {"%d gap(s) shorter than the spacing.", "%d 处间隔短于要求。"},
	"polite.perhost":      {"(%d requests may be in flight at once: responses may arrive closer together than the delay, requests are sent at least the delay apart)", "（同时最多 %d 个请求：响应可能比间隔更密集，但请求的发出至少相隔一个间隔）"},
	"robots.noentries":    {"No robots.txt fetch is logged for this host; its records name the robots.txt digest(s):", "日志中没有该主机的 robots.txt 抓取条目；其记录引用的 robots.txt 摘要为："},
	"refused.robots":      {"Refused by robots.txt, per deciding rule", "被 robots.txt 拒绝（按决定规则）"},
	"refused.nonpublic":   {"Non-public refusals, per reason", "非公开内容拒绝（按原因）"},
	"refused.traps":       {"Spider traps and host budget", "爬虫陷阱与主机配额"},
	"refused.blocked":     {"Refused before any request", "请求前拒绝"},
	"refused.deferred":    {"Deferred", "推迟"},
	"deferred.text":       {"%d URL(s) deferred: the host would not serve them (robots.txt kept failing, so nothing was fetched per RFC 9309 §2.3.1.4, or it answered only 429/503); running the crawl again retries them.", "%d 个 URL 被推迟：该主机不提供服务（robots.txt 持续失败，依 RFC 9309 §2.3.1.4 未抓取任何内容；或只返回 429/503）；再次运行爬取会重试。"},
	"np.login":            {"login", "登录"},
	"np.paywall":          {"paywall", "付费墙"},
	"np.challenge":        {"challenge (CAPTCHA)", "验证（CAPTCHA）"},
	"np.other":            {"other", "其他"},
	"kind.page":           {"pages", "页面"},
	"kind.duplicate":      {"duplicates", "重复"},
	"kind.noindex":        {"noindex", "noindex"},
	"kind.nonpublic":      {"non-public", "非公开"},
	"kind.disallowed":     {"robots.txt refused", "robots.txt 拒绝"},
	"kind.redirect":       {"redirects", "重定向"},
	"kind.blocked":        {"blocked", "拦截"},
	"kind.error":          {"errors", "错误"},
	"kind.sitemap":        {"sitemaps", "站点地图"},
	"kind.dropped":        {"dropped (personal data)", "整页丢弃（个人信息）"},
	"kind.trap":           {"traps", "陷阱"},
	"kind.deferred":       {"deferred", "推迟"},
	"kind.skipped":        {"skipped (not text)", "跳过（非文本）"},

	// Personal information
	"pi.summary":       {"%d findings in %d stored records: %d redacted, %d kept under a consent, %d kept by the policy (not personal); %d pages dropped whole.", "已存储的 %[2]d 条记录中共有 %[1]d 处个人信息发现：%[3]d 处已脱敏，%[4]d 处依同意保留，%[5]d 处依策略保留（非个人信息）；%[6]d 个页面被整页丢弃。"},
	"pi.logged":        {"As decided at fetch time (the log's decisions, before any purge)", "抓取时的决定（日志记录，任何清除之前）"},
	"chart.type":       {"Findings per type", "按类型统计"},
	"chart.class":      {"Findings per class (JR/T 0171, PIPL sensitive, minors)", "按类别统计（JR/T 0171、PIPL 敏感、未成年人）"},
	"chart.action":     {"Findings per action", "按处理方式统计"},
	"class.C3":         {"C3 (authentication)", "C3（鉴别信息）"},
	"class.C2":         {"C2 (identity, account)", "C2（身份与账户）"},
	"class.C1":         {"C1 (internal)", "C1（机构内部）"},
	"class.none":       {"unclassed", "未分级"},
	"class.sensitive":  {"PIPL sensitive", "PIPL 敏感"},
	"class.minors":     {"minors (pages dropped)", "未成年人（整页丢弃）"},
	"act.redacted":     {"redacted", "已脱敏"},
	"act.consent":      {"kept under consent", "依同意保留"},
	"act.kept":         {"kept by policy", "依策略保留"},
	"act.dropped":      {"page dropped", "整页丢弃"},
	"seg.redacted":     {"redacted", "已脱敏"},
	"seg.consent":      {"kept under consent", "依同意保留"},
	"seg.kept":         {"kept by policy", "依策略保留"},
	"seg.dropped":      {"pages dropped", "整页丢弃"},
	"seg.n":            {"findings", "发现"},
	"col.type":         {"Type", "类型"},
	"consents":         {"Consents of kept values", "所保留信息的同意"},
	"consents.note":    {"Values kept under a consent are in the bundle's records, never in this report. Terms marked as the ledger's come from the provider's live consent ledger and are not signed.", "依同意保留的信息存在于证据包的记录中，绝不出现在本报告中。标注为“台账”的条款来自数据提供方的在线同意台账，未经签名。"},
	"consents.none":    {"No value is kept under a consent, and no consent event is logged.", "没有依同意保留的信息，日志中也没有同意事件。"},
	"consent.unknown":  {"Terms not in the bundle: the purpose, processor, recipients, expiry and evidence of this consent cannot be proven.", "条款不在证据包中：无法证明该同意的目的、处理者、接收方、期限与证据。"},
	"col.consent":      {"Consent", "同意"},
	"col.status":       {"Status", "状态"},
	"col.purpose":      {"Purpose", "目的"},
	"col.processor":    {"Processor", "处理者"},
	"col.recipients":   {"Recipients", "接收方"},
	"col.types":        {"Types", "类型"},
	"col.expiry":       {"Expires", "到期"},
	"col.evidence":     {"Evidence", "证据"},
	"col.keptnow":      {"Kept now", "当前保留"},
	"col.purges":       {"Purges", "清除"},
	"status.live":      {"live", "有效"},
	"status.expired":   {"expired", "已到期"},
	"status.withdrawn": {"withdrawn", "已撤回"},
	"status.refused":   {"refused", "已拒绝"},
	"status.unknown":   {"terms unknown", "条款未知"},
	"source.ledger":    {"(ledger, unsigned)", "（台账，未签名）"},
	"separate":         {"separate consent", "单独同意"},
	"guardian":         {"guardian", "监护人同意"},
	"purges.title":     {"Purges and consent events", "清除与同意事件"},
	"purges.none":      {"No purge and no consent event is logged.", "日志中没有清除或同意事件。"},
	"purge.removed":    {"record deleted", "记录已删除"},
	"purge.rewritten":  {"re-redacted", "已重新脱敏"},
	"event.purge":      {"purge", "清除"},
	"event.withdrawal": {"withdrawal", "撤回"},
	"event.refusal":    {"refusal", "拒绝"},
	"event.expiry":     {"expiry", "到期"},
	"event.grant":      {"grant", "授予"},
	"event.sweep":      {"sweep", "清扫"},
	"api.title":        {"Changes made through scruple serve", "通过 scruple serve 所作的变更"},
	"api.intro": {"Each consent change made through the API or console is logged, in the same transaction as the change, with the token that asked (its label and id); token changes too. Never a subject's value.",
		"经 API 或控制台所作的每项同意变更，均与变更本身在同一事务中记入日志，并注明发起请求的令牌（标签与编号）；令牌的创建与吊销亦然。从不记录主体的个人信息。"},
	"api.none":         {"No change was made through scruple serve.", "没有通过 scruple serve 所作的变更。"},
	"api.grant":        {"grant", "授予同意"},
	"api.import":       {"import", "导入同意"},
	"api.withdraw":     {"withdraw", "撤回"},
	"api.refuse":       {"refusal recorded", "登记拒绝"},
	"api.token_create": {"create token", "创建令牌"},
	"api.token_revoke": {"revoke token", "吊销令牌"},
	"api.":             {"other", "其他"},
	"col.action":       {"Action", "操作"},
	"col.token":        {"Token (label, id)", "令牌（标签、编号）"},
	"col.target":       {"Consent or token", "同意或令牌"},
	"col.time":         {"Time", "时间"},
	"col.event":        {"Event", "事件"},
	"col.url":          {"URL", "URL"},
	"col.reason":       {"Reason", "原因"},

	// Checklist
	"checklist.intro": {"Each rule passes only on what the bundle proves; anything it cannot prove is a fail. Links lead to the evidence.", "每条规则仅依据证据包能证明的内容判定通过；无法证明的即为不通过。链接指向相应证据。"},
	"col.result":      {"Result", "结果"},
	"col.rule":        {"Rule", "规则"},
	"col.finding":     {"Finding", "说明"},
	"status.pass":     {"pass", "通过"},
	"status.warn":     {"warning", "警告"},
	"status.fail":     {"fail", "不通过"},
	"rule.unverified": {"Not proven: the bundle did not verify.", "无法证明：证据包未通过验证。"},

	"rule.public.title":   {"Public data only", "仅采集公开数据"},
	"rule.public.law":     {"Cybersecurity Law Art. 27 · Data Security Law Art. 32 · the public/non-public line drawn by the Beijing regulators", "《网络安全法》第二十七条 ·《数据安全法》第三十二条 · 北京监管部门划定的公开/非公开界线"},
	"rule.public.none":    {"The bundle holds no record entry: nothing shows how content was obtained.", "证据包中没有记录条目：无法说明内容是如何获取的。"},
	"rule.public.breach":  {"%d entries show credentials sent or a refused page's body kept.", "%d 条条目显示发送了凭据或保留了被拒页面的正文。"},
	"rule.public.missing": {"%d of %d record entries lack the public-access evidence.", "%[2]d 条记录条目中有 %[1]d 条缺少公开访问证据。"},
	"rule.public.pass":    {"All %d record entries state that no cookie, password or other credential was sent; %d non-public responses (login, paywall, CAPTCHA, 401/403/451) were refused and their bodies not kept.", "全部 %d 条记录条目均声明未发送 Cookie、密码或其他凭据；%d 个非公开响应（登录、付费墙、验证码、401/403/451）被拒绝且正文未保留。"},

	"rule.polite.title":   {"No disruption of the site (robots.txt, politeness)", "不干扰网站运行（robots.txt、访问频率）"},
	"rule.polite.law":     {"Cybersecurity Law Art. 27 (no interference with normal functioning) · RFC 9309", "《网络安全法》第二十七条（不得干扰网络正常功能）· RFC 9309"},
	"rule.polite.fast":    {"%d finding(s): a request robots.txt did not allow, one without robots.txt evidence, or requests faster than the configured spacing.", "%d 处问题：发出了 robots.txt 不允许的请求、缺少 robots.txt 证据的请求，或请求快于配置的间隔。"},
	"rule.polite.unknown": {"The bundle does not record the configured delay: politeness cannot be proven.", "证据包未记录配置的间隔：无法证明访问频率符合要求。"},
	"rule.polite.nodelay": {"No delay was configured between requests to a host.", "未配置对同一主机请求之间的间隔。"},
	"rule.polite.pass":    {"Every request was allowed by robots.txt; every host's fetch times keep a delay of at least %s with at most %d in flight (and any Crawl-delay); %d robots.txt fetches logged.", "每个请求均经 robots.txt 允许；各主机的抓取时间均保持至少 %s 的间隔、每主机最多 %d 个并发（并遵守 Crawl-delay）；日志记录了 %d 次 robots.txt 抓取。"},

	"rule.pipl6.title":            {"Specific purpose, minimum necessary", "目的明确、最小必要"},
	"rule.pipl6.law":              {"PIPL Art. 6", "《个人信息保护法》第六条"},
	"rule.pipl6.nopolicy":         {"The policy's text is not in the bundle (or does not match its hash): which rules decided what was kept cannot be proven.", "策略文本不在证据包中（或与其哈希不符）：无法证明由哪些规则决定保留内容。"},
	"rule.pipl6.nopurpose":        {"Values are kept under consent, but no declared purpose is in the bundle.", "有依同意保留的信息，但证据包中没有声明的目的。"},
	"rule.pipl6.purpose":          {"%d consent(s) keep values for a purpose other than the crawl's.", "%d 项同意保留信息的目的与爬取目的不同。"},
	"rule.pipl6.keeps":            {"The policy keeps some personal information without consent: the lawful purpose must be documented outside the bundle.", "策略在无同意的情况下保留部分个人信息：须在证据包之外说明其合法目的。"},
	"rule.pipl6.nopurpose.nokept": {"No purpose was declared; nothing that needs consent was kept.", "未声明目的；未保留任何需要同意的信息。"},
	"rule.pipl6.pass":             {"The policy's text is in the bundle and matches its hash; personal information is redacted unless consented; %d values kept, all under consents for the declared purpose.", "策略文本在证据包中且与哈希一致；个人信息除经同意外均已脱敏；保留的 %d 处信息均依声明目的的同意。"},

	"rule.pipl14.title":  {"Specific, informed consent; no blanket consent", "具体、知情的同意；无概括同意"},
	"rule.pipl14.law":    {"PIPL Art. 13, 14", "《个人信息保护法》第十三、十四条"},
	"rule.pipl14.pass":   {"The %d consent(s) that keep values name specific types, a specific purpose, the processor, the collection method, evidence and an expiry.", "保留信息所依据的 %d 项同意均列明具体类型、具体目的、处理者、收集方式、证据与期限。"},
	"rule.pipl23.title":  {"Named recipients", "指明接收方"},
	"rule.pipl23.law":    {"PIPL Art. 23", "《个人信息保护法》第二十三条"},
	"rule.pipl23.pass":   {"The %d consent(s) that keep values name every recipient (or none).", "保留信息所依据的 %d 项同意均指明全部接收方（或无接收方）。"},
	"rule.terms.bad":     {"%d consent(s) break a consent rule:", "%d 项同意违反同意规则："},
	"rule.terms.unknown": {"%d consent(s) keep values, but their terms are not in the bundle: cannot be proven.", "%d 项同意保留了信息，但其条款不在证据包中：无法证明。"},
	"rule.terms.ledger":  {"%d consent(s) are shown from the live ledger: true for the provider, not provable from a bundle.", "%d 项同意的条款取自在线台账：对数据提供方成立，但无法由证据包证明。"},
	"rule.nokept":        {"No value is kept under a consent: all %d findings were redacted or kept by the policy as non-personal.", "没有依同意保留的信息：全部 %d 处发现均已脱敏或依策略作为非个人信息保留。"},

	"rule.pipl27.title": {"Refusal of publicly disclosed information honoured", "尊重对已公开信息的拒绝"},
	"rule.pipl27.law":   {"PIPL Art. 27", "《个人信息保护法》第二十七条"},
	"rule.pipl27.kept":  {"%d refused consent(s) still keep values.", "%d 项已拒绝的同意仍保留信息。"},
	"rule.pipl27.none":  {"No refusal is logged.", "日志中没有拒绝记录。"},
	"rule.pipl27.pass":  {"%d refusal(s) logged; no value of a refusing subject is kept.", "日志记录了 %d 次拒绝；拒绝者的信息均未保留。"},

	"rule.pipl29.title":      {"Sensitive information: separate consent", "敏感个人信息：单独同意"},
	"rule.pipl29.law":        {"PIPL Art. 28, 29", "《个人信息保护法》第二十八、二十九条"},
	"rule.pipl29.none":       {"No sensitive value is kept under a consent; all %d sensitive findings were redacted.", "没有依同意保留的敏感信息；全部 %d 处敏感信息均已脱敏。"},
	"rule.pipl29.noseparate": {"keeps sensitive information without separate consent", "在无单独同意的情况下保留敏感信息"},
	"rule.pipl29.anomaly":    {"%d sensitive value(s) kept without separate consent.", "%d 处敏感信息在无单独同意的情况下被保留。"},
	"rule.pipl29.pass":       {"The %d consent(s) that keep values hold separate consent where they keep sensitive information.", "保留信息所依据的 %d 项同意在涉及敏感信息时均有单独同意。"},

	"rule.pipl31.title":    {"Minors' information", "未成年人个人信息"},
	"rule.pipl31.law":      {"PIPL Art. 31", "《个人信息保护法》第三十一条"},
	"rule.pipl31.nopolicy": {"The policy's text is not in the bundle: how a minor's data was treated cannot be proven.", "策略文本不在证据包中：无法证明如何处理未成年人信息。"},
	"rule.pipl31.keep":     {"The policy's rule for a minor's data is %q: a minor's information needs a guardian's consent.", "策略对未成年人信息的规则为 %q：未成年人信息须经监护人同意。"},
	"rule.pipl31.ids":      {"%d consent(s) keep resident IDs without a guardian's consent; the policy (%s) kept them only for adults, which the report cannot re-check without the values.", "%d 项同意在无监护人同意的情况下保留身份证号；策略（%s）仅对成年人保留，报告无法在没有原值的情况下复核。"},
	"rule.pipl31.pass":     {"The policy's rule for a page holding a minor's ID is %q (keeping needs a guardian's consent); %d page(s) dropped for a minor's data.", "策略对含未成年人身份证号页面的规则为 %q（保留须经监护人同意）；%d 个页面因含未成年人信息被丢弃。"},

	"rule.pipl47.title":   {"Deletion on withdrawal or expiry", "撤回或到期后删除"},
	"rule.pipl47.law":     {"PIPL Art. 47", "《个人信息保护法》第四十七条"},
	"rule.pipl47.kept":    {"%d value(s) are still kept under a consent that was withdrawn, refused or expired.", "%d 处信息在同意被撤回、拒绝或到期后仍被保留。"},
	"rule.pipl47.unknown": {"%d consent(s) keep values but their expiry is not in the bundle: deletion on time cannot be proven.", "%d 项同意保留了信息，但其期限不在证据包中：无法证明按时删除。"},
	"rule.pipl47.none":    {"No withdrawal, refusal or expiry is logged, and no value is kept under an ended consent.", "日志中没有撤回、拒绝或到期记录，也没有在同意终止后保留的信息。"},
	"rule.pipl47.pass":    {"%d withdrawal(s), refusal(s) or expiries logged, with %d purge(s); no value is kept under an ended consent.", "日志记录了 %d 次撤回、拒绝或到期，及 %d 次清除；没有在同意终止后保留的信息。"},

	"rule.c3.title": {"C3 authentication data never kept", "C3 类鉴别信息从不留存"},
	"rule.c3.law":   {"JR/T 0171-2020", "JR/T 0171-2020"},
	"rule.c3.kept":  {"%d C3 value(s) (passwords, PINs, CVVs, codes) kept or decided kept.", "%d 处 C3 信息（密码、PIN、CVV、验证码）被保留或被决定保留。"},
	"rule.c3.pass":  {"No C3 value is kept: all %d C3 findings were redacted.", "未保留任何 C3 信息：全部 %d 处 C3 发现均已脱敏。"},

	// Anomalies
	"anomalies.none":   {"None of the report's own checks found anything.", "报告自身的各项检查均未发现问题。"},
	"anomalies.checks": {"Checks: every redacted span holds its mask; no C3 value kept; no value kept without consent against the policy; every kept value's consent was live at fetch time, covers its type, is separate for sensitive types and has not ended; no credential sent; every record is placed by its own signed log entry; no refused page kept a body; every request was allowed by robots.txt; no host was fetched faster than its spacing.", "检查项目：每个脱敏位置都含掩码；未保留 C3 信息；未违反策略在无同意时保留信息；每个保留值的同意在抓取时有效、覆盖其类型、敏感类型有单独同意且未终止；未发送凭据；每条记录都有其自己的已签名日志条目；被拒页面未保留正文；每个请求均经 robots.txt 允许；没有主机被快于要求间隔地抓取。"},
	"col.check":        {"Check", "检查"},
	"col.count":        {"Count", "次数"},
	"col.examples":     {"Examples", "示例"},

	"anomaly.c3-kept":               {"A C3 value (password, PIN, CVV, code) is kept in a record", "记录中保留了 C3 信息（密码、PIN、CVV、验证码）"},
	"anomaly.c3-kept-logged":        {"The log records a decision to keep a C3 value", "日志记录了保留 C3 信息的决定"},
	"anomaly.credentials":           {"A record entry says credentials were sent", "记录条目显示发送了凭据"},
	"anomaly.record-unlogged":       {"A record is not placed by the log: no signed record entry of its URL at its id, or another record names that entry", "记录未被日志认可：其 id 处没有该 URL 的已签名记录条目，或该条目已被另一记录引用"},
	"anomaly.refused-with-text":     {"A refused or non-page record holds text or a title", "被拒绝或非页面记录含有正文或标题"},
	"anomaly.mask-missing":          {"A redacted finding's span does not hold its mask: the value may be stored raw", "脱敏发现的位置不含掩码：原值可能被存储"},
	"anomaly.span-outside":          {"A finding's span lies outside its field", "发现的位置超出其字段范围"},
	"anomaly.kept-no-consent":       {"A personal value is kept without consent although the policy says otherwise", "策略不允许，但个人信息在无同意的情况下被保留"},
	"anomaly.consent-not-live":      {"A value was kept under a consent that was not live at fetch time", "保留信息所依据的同意在抓取时无效"},
	"anomaly.kept-after-end":        {"A value is kept under a consent that was withdrawn, refused or expired", "同意被撤回、拒绝或到期后信息仍被保留"},
	"anomaly.ended-consent-kept":    {"An ended consent still keeps values", "已终止的同意仍保留信息"},
	"anomaly.consent-unknown":       {"Values are kept under a consent whose terms are not in the bundle", "信息所依据的同意条款不在证据包中"},
	"anomaly.consent-type":          {"A value is kept under a consent that does not cover its type", "保留信息所依据的同意不涵盖其类型"},
	"anomaly.sensitive-no-separate": {"A sensitive value is kept without separate consent", "敏感信息在无单独同意的情况下被保留"},
	"anomaly.fetched-disallowed":    {"A URL was fetched although robots.txt did not allow it", "robots.txt 不允许但 URL 仍被抓取"},
	"anomaly.no-robots":             {"A URL was fetched without robots.txt evidence", "抓取 URL 时缺少 robots.txt 证据"},
	"anomaly.too-fast":              {"Two requests to a host came closer than its spacing", "对同一主机的两次请求间隔短于要求"},
	"anomaly.busy-minute":           {"A host got more requests in a minute than its spacing allows", "某主机一分钟内的请求数超过间隔允许的上限"},
	"anomaly.dropped-with-findings": {"A dropped page's record lists findings", "被丢弃页面的记录列有发现"},

	// Samples and evidence
	"samples.intro":    {"The first pages of the busiest hosts, as stored: redacted values show their mask ([cn_mobile]); values kept under a consent are masked here too ([cn_mobile ✓]).", "最繁忙主机的前几个页面（按存储内容）：脱敏信息显示掩码（[cn_mobile]）；依同意保留的信息在此也被遮蔽（[cn_mobile ✓]）。"},
	"samples.none":     {"No page was stored.", "未存储任何页面。"},
	"sample.findings":  {"%d finding(s)", "%d 处发现"},
	"evidence.intro":   {"The log entries this report cites. Check any record's inclusion in the signed log with `scruple verify BUNDLE --record URL`.", "本报告引用的日志条目。可用 `scruple verify BUNDLE --record URL` 检查任一记录是否包含在已签名的日志中。"},
	"ev.malformed":     {"malformed entry", "格式错误的条目"},
	"ev.allowed":       {"allowed", "允许"},
	"ev.disallowed":    {"disallowed", "不允许"},
	"ev.credentials":   {"credentials sent", "发送了凭据"},
	"ev.nocredentials": {"no credentials sent", "未发送凭据"},
	"ev.run":           {"delay %s, %d per host", "间隔 %s，每主机 %d"},
	"col.kind":         {"Kind", "类型"},
	"col.detail":       {"Detail", "详情"},
	"col.issue":        {"Issue", "问题"},
	"col.where":        {"Where", "位置"},
	"col.what":         {"What", "说明"},
	"col.file":         {"File", "文件"},
	"col.size":         {"Bytes", "字节"},
	"col.checked":      {"Checked", "核验"},
	"footer.verify":    {"Check it yourself: the bundle verifies offline with scruple, with the provider's published key.", "请自行核验：使用 scruple 和数据提供方公布的公钥即可离线验证证据包。"},

	// Self-inspection (scan --format html)
	"scan.title":             {"Personal information self-inspection report", "个人信息自查报告"},
	"scan.brand":             {"what the company holds, and what to correct first", "公司所持数据，以及应优先整改的内容"},
	"scan.subject":           {"Scanned", "扫描对象"},
	"scan.status.clean":      {"✔ NO PERSONAL INFORMATION FOUND", "✔ 未发现个人信息"},
	"scan.status.found":      {"PERSONAL INFORMATION FOUND", "发现个人信息"},
	"scan.status.critical":   {"✖ CORRECT NOW: credentials, bulk or minors' data", "✖ 须立即整改：鉴别信息、批量或未成年人信息"},
	"scan.status.incomplete": {"⚠ INCOMPLETE: some data could not be read", "⚠ 不完整：部分数据无法读取"},
	"scan.headline":          {"%d findings in %d of %d files or databases; %d parts and tables scanned, %d failed.", "%[3]d 个文件或数据库中有 %[2]d 个含个人信息，共 %[1]d 处；已扫描 %[4]d 个部分与数据表，%[5]d 个失败。"},
	"scan.incomplete":        {"%d part(s) could not be read: the scan cannot vouch for them (see the end of the report).", "%d 个部分无法读取：本次扫描无法为其作证（见报告末尾）。"},
	"scan.read":              {"Read", "已读取"},
	"scan.read.text":         {"%d parts and tables, %s of text", "%d 个部分与数据表，文本 %s"},
	"scan.skipped":           {"Skipped", "跳过"},
	"scan.signals":           {"Page signals", "整体信号"},
	"scan.signals.text":      {"%d with bulk personal data, %d with a minor's ID", "%d 个含批量个人信息，%d 个含未成年人身份证号"},
	"scan.sec.first":         {"What to correct first", "优先整改"},
	"scan.sec.pi":            {"Findings per type and class", "按类型与类别统计"},
	"scan.sec.files":         {"Per file", "各文件"},
	"scan.sec.tables":        {"Per table and column", "各数据表与列"},
	"scan.sec.failed":        {"Could not be read", "无法读取"},
	"scan.failed.intro":      {"These were not inspected; nothing is known of what they hold.", "以下内容未被检查，其所含内容未知。"},
	"scan.nothing":           {"Nothing to correct: no personal information was found in what was read.", "无需整改：已读取的数据中未发现个人信息。"},
	"scan.col.where":         {"Where", "位置"},
	"scan.col.why":           {"Why", "原因"},
	"scan.col.action":        {"What to do", "处理建议"},
	"scan.col.format":        {"Format", "格式"},
	"scan.col.findings":      {"Findings", "发现"},
	"scan.col.findings.n":    {"%d findings", "%d 处发现"},
	"scan.col.examples":      {"First places", "首批位置"},
	"scan.col.redacted":      {"Redacted copy", "脱敏副本"},
	"scan.col.column":        {"Column", "列"},
	"scan.col.type":          {"Declared type", "声明类型"},
	"scan.col.values":        {"Values read", "已读取值"},
	"scan.col.note":          {"Note", "备注"},
	"scan.col.binary":        {"%d binary values not read", "%d 个二进制值未读取"},
	"scan.chart.class":       {"Findings per class (JR/T 0171, PIPL sensitive, non-personal)", "按类别统计（JR/T 0171、PIPL 敏感、非个人信息）"},
	"scan.nonpersonal":       {"not personal (organisations)", "非个人信息（机构）"},
	"scan.tag.bulk":          {"bulk: %d people", "批量：%d 人"},
	"scan.tag.minor":         {"minor", "未成年人"},
	"scan.notredactable":     {"format cannot be rewritten: correct at the source", "格式无法改写：须在源头整改"},
	"scan.files.omitted":     {"%d more files with findings are counted in the totals but not listed.", "另有 %d 个含个人信息的文件计入总数但未列出。"},
	"scan.files.none":        {"No file holds personal information.", "没有文件含有个人信息。"},
	"scan.table.rows":        {"%d rows read", "已读取 %d 行"},
	"scan.table.estimated":   {"about %d in the table", "表中约 %d 行"},
	"scan.table.sampled":     {"sampled", "抽样"},
	"scan.table.key":         {"rows named by", "行标识"},
	"scan.why.c3":            {"%d credential(s) (JR/T 0171 C3: never to be held)", "%d 处鉴别信息（JR/T 0171 C3：不得留存）"},
	"scan.why.bulk":          {"bulk personal data: %d people", "批量个人信息：%d 人"},
	"scan.why.minor":         {"a minor's ID (PIPL Art. 31)", "未成年人身份证号（《个人信息保护法》第三十一条）"},
	"scan.why.sensitive":     {"%d sensitive value(s) (PIPL Art. 28)", "%d 处敏感个人信息（《个人信息保护法》第二十八条）"},
	"scan.why.count":         {"%d finding(s)", "共 %d 处"},
	"scan.why.column":        {"%d finding(s) in %d values", "%[2]d 个值中有 %[1]d 处"},
	"scan.why.sensitivecol":  {"sensitive types", "含敏感类型"},
	"scan.do.delete":         {"Delete the values; find where they came from.", "删除这些值，并查明其来源。"},
	"scan.do.bulk":           {"Check the lawful basis for holding this list; restrict access or delete it.", "核查持有该名单的合法性基础；限制访问或删除。"},
	"scan.do.minor":          {"Keep only with a guardian's consent; otherwise delete.", "仅在取得监护人同意时保留，否则删除。"},
	"scan.do.redact":         {"Redact unless a separate consent covers the values (scruple scan --redact).", "除非有单独同意，否则脱敏（scruple scan --redact）。"},
	"scan.do.review":         {"Check consent and purpose; redact what is not needed.", "核查同意与目的；对不需要的内容脱敏。"},
	"scan.do.column":         {"Mask or encrypt the column, or drop it if not needed.", "对该列进行掩码或加密，不需要则删除。"},
	"scan.do.notredacted":    {"(This format cannot be rewritten by --redact: correct it at the source.)", "（该格式无法由 --redact 改写：须在源头整改。）"},
	"scan.footer":            {"Write redacted copies, or a SARIF file for code-scanning tools:", "生成脱敏副本，或供代码扫描工具使用的 SARIF 文件："},
	"seg.sensitive":          {"PIPL sensitive", "PIPL 敏感"},
	"seg.nonpersonal":        {"not personal", "非个人信息"},
}
