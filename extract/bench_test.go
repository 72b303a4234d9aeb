package extract

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// benchPage builds a realistic ~50 KB news page: head metadata, scripts and
// styles, navigation, a bilingual article, and about 200 links.
func benchPage() []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>国家统计局发布最新经济数据 | Example News 新闻网</title>
<meta name="robots" content="index, follow"><link rel="canonical" href="https://news.example.com/2024/05/economy.html">
<link rel="alternate" hreflang="en" href="https://news.example.com/en/2024/05/economy.html">
<link rel="stylesheet" href="/static/css/main.css?v=20240501">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"经济数据","isAccessibleForFree":true}</script>
<style>body{font-family:"PingFang SC",sans-serif}.nav a{color:#333}.article p{line-height:1.8}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag("js",new Date());</script>
</head><body><header class="site-header"><nav class="nav">`)
	for i := range 40 {
		fmt.Fprintf(&b, `<a href="/channel/%d/" class="nav-item">频道%d Channel</a> `, i, i)
	}
	b.WriteString(`<a href="/user/login" class="login">登录</a> <a href="/user/register">注册</a></nav></header>
<main><article class="article"><h1>国家统计局发布最新经济数据 Economy data released</h1>
<div class="meta"><span class="author">记者 张三</span> <time>2024-05-16 10:00</time></div>`)
	zh := "北京时间今天上午，国家统计局发布了最新的经济数据。记者从会上获悉，全年经济运行总体平稳，就业形势保持稳定，居民消费价格温和上涨。"
	en := "The statistics bureau said on Thursday that the economy grew steadily, with employment stable and consumer prices rising moderately, according to officials."
	for i := 0; b.Len() < 38_000; i++ {
		fmt.Fprintf(&b, "<p>%s <a href=\"/news/2024/05/%d.html\">相关报道 %d</a> %s &ldquo;quoted&rdquo; &amp; more.</p>\n", zh, i, i, en)
		if i%5 == 0 {
			b.WriteString(`<figure><img src="/img/photo.jpg" alt="图片"><figcaption>图为会议现场 Photo caption</figcaption></figure>` + "\n")
		}
	}
	b.WriteString(`</article><aside class="related"><h2>相关新闻 Related</h2><ul>`)
	for i := range 100 {
		fmt.Fprintf(&b, `<li><a href="https://news.example.com/2024/04/%04d.html" title="t">相关新闻标题第%d条 Related headline number %d</a></li>`, i, i, i)
	}
	b.WriteString(`</ul></aside></main><footer><table><tr><td>关于我们</td><td>联系我们</td><td>About us</td></tr></table>`)
	for i := range 20 {
		fmt.Fprintf(&b, `<a href="/footer/%d" rel="nofollow">链接%d</a> `, i, i)
	}
	b.WriteString(`<p>&copy; 2024 Example News 版权所有</p></footer><script src="/static/js/app.js"></script></body></html>`)
	return []byte(b.String())
}

func BenchmarkHTML(b *testing.B) {
	doc := benchPage()
	p := HTML(doc, nil, Options{})
	if n := len(p.Links); n < 180 || n > 260 {
		b.Fatalf("bench page has %d links, want about 200", n)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		HTML(doc, nil, Options{})
	}
}

func BenchmarkDecodeGBK(b *testing.B) {
	doc, _, _ := Decode(benchPage(), "")
	gbk := encode(b, simplifiedchinese.GB18030, string(doc))
	b.SetBytes(int64(len(gbk)))
	b.ReportAllocs()
	for b.Loop() {
		Decode(gbk, "text/html; charset=gbk")
	}
}

// BenchmarkHTMLSynthetic extracts one page of the crawl benchmark's
// synthetic web (bench/crawl.sh: testweb's BenchSpec, ~7.7 KB, mixed Chinese
// and English prose, ~16 links), the page the crawl spends most time on.
func BenchmarkHTMLSynthetic(b *testing.B) {
	doc, err := os.ReadFile("testdata/bench-synthetic.html")
	if err != nil {
		b.Fatal(err)
	}
	p := HTML(doc, nil, Options{})
	if len(p.Links) < 10 || len(p.Text) < 4000 {
		b.Fatalf("bench page: %d links, %d bytes of text", len(p.Links), len(p.Text))
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		HTML(doc, nil, Options{})
	}
}
