package serve

// messages are the console's words in English and Chinese. Rule messages
// come from package consent (English, with the PIPL article) in both.
var messages = map[string]map[string]string{
	"en": {
		"signin": "Sign in", "signin_hint": "Paste a token made with: scruple serve token create --role viewer|operator|admin",
		"signout": "Sign out", "token": "Token", "status": "Crawl status", "records": "Records", "consents": "Consents",
		"lookup": "Subject lookup", "verify": "Verify a bundle", "report": "Report", "error": "Error",
		"done": "done", "queued": "queued", "leased": "in flight", "deferred": "deferred", "log_entries": "log entries",
		"progress": "Progress", "pages_per_s": "pages/s", "refusals": "Refusals", "robots": "robots.txt",
		"nonpublic": "non-public", "blocked": "blocked", "traps": "traps", "hosts": "Hosts", "host": "Host",
		"kind": "Kind", "finding_type": "Finding type", "filter": "Filter", "findings": "Findings", "text": "Text (redacted)",
		"next": "Next page", "state": "State", "subject_type": "Subject type", "subject": "Subject (never stored)",
		"types": "Types", "purpose": "Purpose", "processor": "Processor", "recipients": "Recipients (or none)",
		"method": "Method", "evidence": "Evidence SHA-256", "expires": "Expires", "separate": "Separate consent (sensitive types)",
		"guardian": "Guardian consent (under 14)", "grant": "Grant a consent", "refuse": "Record a refusal",
		"withdraw": "Withdraw", "granted": "Granted consent", "already_granted": "Already granted (nothing changed): consent", "withdrawn": "Withdrew consent {id}: {n} records purged",
		"refused_done": "Recorded refusal {id}: {n} records purged", "refused": "Refused:",
		"lookup_hint": "The subject is HMAC'd on arrival and never stored or logged.", "bundle": "Bundle (.tar.gz or .zip)",
		"retrying": "retrying", "backoff_until": "backing off until", "deferred_urls": "Deferred URLs (the next run retries them)",
		"all_deferred": "all deferred URLs",
	},
	"zh": {
		"signin": "登录", "signin_hint": "粘贴用 scruple serve token create --role viewer|operator|admin 生成的令牌",
		"signout": "退出", "token": "令牌", "status": "爬取状态", "records": "记录", "consents": "同意",
		"lookup": "主体查询", "verify": "验证数据包", "report": "报告", "error": "错误",
		"done": "已完成", "queued": "排队中", "leased": "进行中", "deferred": "已推迟", "log_entries": "日志条目",
		"progress": "进度", "pages_per_s": "页/秒", "refusals": "拒绝", "robots": "robots.txt",
		"nonpublic": "非公开", "blocked": "已阻止", "traps": "陷阱", "hosts": "主机", "host": "主机",
		"kind": "类型", "finding_type": "发现类型", "filter": "筛选", "findings": "发现", "text": "文本（已脱敏）",
		"next": "下一页", "state": "状态", "subject_type": "主体类型", "subject": "主体（不存储）",
		"types": "信息类型", "purpose": "目的", "processor": "处理者", "recipients": "接收方（或 none）",
		"method": "取得方式", "evidence": "证据 SHA-256", "expires": "到期", "separate": "单独同意（敏感信息）",
		"guardian": "监护人同意（未满十四周岁）", "grant": "登记同意", "refuse": "登记拒绝",
		"withdraw": "撤回", "granted": "已登记同意", "already_granted": "此前已登记（未作更改）：同意", "withdrawn": "已撤回同意 {id}：清除 {n} 条记录",
		"refused_done": "已登记拒绝 {id}：清除 {n} 条记录", "refused": "已拒绝：",
		"lookup_hint": "主体在到达时即被 HMAC 处理，从不存储或记录。", "bundle": "数据包（.tar.gz 或 .zip）",
		"retrying": "重试中", "backoff_until": "暂停至", "deferred_urls": "已推迟的 URL（下次运行重试）",
		"all_deferred": "全部已推迟的 URL",
	},
}
