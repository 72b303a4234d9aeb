package access

// This file holds every phrase list the classifier uses, in one place, so
// that adding a language or a wall is a table edit.
//
// Phrases are lower case and matched as substrings of the page's visible
// text after lower-casing, turning newlines into spaces and typographic
// apostrophes into "'". Chinese phrases are matched as is (no word
// boundaries exist in Chinese text).
//
// Each phrase has a strength, because the classifier must stay conservative
// in both directions (see matchLines in classify.go for the exact rules):
//
//   - strong phrases are specific wall messages that site chrome does not
//     contain ("subscribe to continue reading", "登录后查看全文"). One
//     counts anywhere in Page.Text, links included (walls often put the
//     message on the button), when it forms a short block of its own, or
//     in any line when the page's prose is teaser-short
//     (shortTeaserMaxContent). An article that discusses walls mentions
//     them inside long paragraphs and stays public.
//   - weak phrases are also menu items, badges, comment-box hints or
//     article topics ("开通会员" is a header button on many Chinese sites;
//     "付费阅读" is also the name of an industry). They count only in a
//     short line outside links (AccessSignals.NonLinkText) that is more
//     than the bare phrase, on a page whose prose is short
//     (teaserMaxContent).
//
// Lines that are part of the page title never count, and challenge phrases
// only count on pages with almost no prose (challengeMaxContent).

// kind says which wall a phrase reveals; it selects the Verdict reason.
type kind int

const (
	kindPaywall   kind = iota // subscription or payment required
	kindMetered               // free-article quota used up
	kindLoginWall             // an account (not payment) is required
	kindChallenge             // CAPTCHA or bot check
)

// phrase is one entry of the wall phrase table.
type phrase struct {
	text   string
	kind   kind
	strong bool
}

// wallPhrases is the table of paywall, metered-wall, login-wall and
// challenge phrases, English then Chinese. See the file comment for the
// meaning of strong.
var wallPhrases = []phrase{
	// English paywalls.
	{"subscribe to continue reading", kindPaywall, true},
	{"subscribe to keep reading", kindPaywall, true},
	{"subscribe to read the full", kindPaywall, true},
	{"subscribe to unlock this", kindPaywall, true},
	{"this content is for subscribers", kindPaywall, true},
	{"this article is for subscribers", kindPaywall, true},
	{"this content is only available to subscribers", kindPaywall, true},
	{"this article is only available to subscribers", kindPaywall, true},
	{"exclusive to subscribers", kindPaywall, false},
	{"subscribers only", kindPaywall, false},
	{"subscriber-only", kindPaywall, false},
	{"for subscribers only", kindPaywall, false},
	{"already a subscriber?", kindPaywall, false},
	{"become a subscriber to read", kindPaywall, true},
	{"purchase a subscription to continue", kindPaywall, true},

	// English metered walls.
	{"you have reached your limit of free articles", kindMetered, true},
	{"you've reached your limit of free articles", kindMetered, true},
	{"you have reached your free article limit", kindMetered, true},
	{"you've reached your free article limit", kindMetered, true},
	{"you have used all of your free articles", kindMetered, true},
	{"you've used all of your free articles", kindMetered, true},
	{"free articles remaining", kindMetered, false},

	// English login walls.
	{"sign in to continue reading", kindLoginWall, true},
	{"log in to continue reading", kindLoginWall, true},
	{"login to continue reading", kindLoginWall, true},
	{"register to continue reading", kindLoginWall, true},
	{"create a free account to continue reading", kindLoginWall, true},
	{"sign in to read", kindLoginWall, false},
	{"log in to read", kindLoginWall, false},
	{"log in to continue", kindLoginWall, false},
	{"sign in to continue", kindLoginWall, false},
	{"login to continue", kindLoginWall, false},
	{"you must be logged in to view", kindLoginWall, false},
	{"please log in to view", kindLoginWall, false},

	// English bot challenges.
	{"verify you are human", kindChallenge, false},
	{"verify that you are human", kindChallenge, false},
	{"are you a robot", kindChallenge, false},
	{"i'm not a robot", kindChallenge, false},
	{"checking your browser before accessing", kindChallenge, false},
	{"complete the security check", kindChallenge, false},
	{"enable javascript and cookies to continue", kindChallenge, false},

	// Chinese paywalls.
	{"仅限订阅用户", kindPaywall, true},
	{"订阅后阅读", kindPaywall, true},
	{"订阅后继续阅读", kindPaywall, true},
	{"付费后阅读", kindPaywall, true},
	{"购买后阅读", kindPaywall, true},
	{"剩余内容需付费", kindPaywall, true},
	{"试读结束", kindPaywall, true},
	{"付费阅读", kindPaywall, false},
	{"付费内容", kindPaywall, false},
	{"会员专享", kindPaywall, false},
	{"开通会员", kindPaywall, false},
	{"vip专享", kindPaywall, false},
	{"订阅用户专享", kindPaywall, false},

	// Chinese login walls. "登录后复制" (CSDN's copy button) and
	// "登录后评论" are deliberately absent: they sit on public pages.
	{"登录后阅读全文", kindLoginWall, true},
	{"登录后查看全文", kindLoginWall, true},
	{"登录后查看完整内容", kindLoginWall, true},
	{"登录后查看", kindLoginWall, false},
	{"登录后阅读", kindLoginWall, false},
	{"登录后可见", kindLoginWall, false},
	{"请登录后访问", kindLoginWall, false},

	// Chinese bot challenges. "验证码" also appears on SMS login forms;
	// those are caught as login forms first.
	{"验证码", kindChallenge, false},
	{"人机验证", kindChallenge, false},
	{"安全验证", kindChallenge, false},
	{"滑动验证", kindChallenge, false},
	{"拖动滑块", kindChallenge, false},
	{"请完成验证", kindChallenge, false},
}

// challengeTitles are <title> substrings of bot-challenge interstitials.
// They count only on pages with little prose (challengeMaxContent): an
// article titled "How CAPTCHA works" is public.
var challengeTitles = []string{
	"just a moment",
	"checking your browser",
	"attention required! | cloudflare",
	"ddos-guard",
	"security check",
	"are you a robot",
	"verify you are human",
	"captcha",
	"请稍候",
	"安全验证",
	"人机验证",
	"验证码",
}

// loginTitleWords mark a page title as a login page's; with a password
// input they allow more surrounding prose (loginTitleMaxContent).
var loginTitleWords = []string{
	"login", "log in", "log-in", "sign in", "sign-in", "signin", "sign on",
	"登录", "登入",
}
