package pii

import (
	"bytes"
	"testing"
	"time"

	"github.com/scruple/scruple/pii/internal/corpus"
)

// benchText is mixed Chinese and English prose with few findings: the common
// case for a crawler, where most pages hold no personal information.
func benchText(size int) []byte {
	paras := []string{
		"近日，国家统计局发布了2025年第三季度国民经济运行数据。数据显示，前三季度国内生产总值同比增长5.2%，其中第三产业增加值增长5.8%。",
		"The quarterly report shows revenue of $12.5 million, up 8.3% year over year, driven by strong demand in the Asia-Pacific region.",
		"据介绍，该项目总投资约38亿元，占地面积1200亩，预计2027年建成投产，届时可提供就业岗位3000余个。",
		"Version 2.14.1 fixes a crash on startup (issue #4521) and improves performance of the indexer by about 15 percent.",
		"市民如有疑问，可拨打政务服务热线12345咨询，或登录官方网站查询办事指南，办公地点在市政府3号楼。",
		"Please see chapter 7, pages 112-118, for the full discussion of the results published in 2019 and 2021.",
		"专家表示，随着新能源汽车渗透率不断提升，产业链上下游企业正在加快布局，行业竞争格局将进一步优化。",
		"In the 1990s the company moved its headquarters to Shenzhen; today it employs about 40,000 people worldwide.",
	}
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		b.WriteString(paras[i%len(paras)])
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkScan measures the common case: prose with digits, versions,
// prices and dates but no personal information.
func BenchmarkScan(b *testing.B) {
	text := benchText(1 << 20)
	d := New(Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d.Scan(text)
	}
}

// BenchmarkScanDense measures the labelled corpus: every document holds
// several findings (contact lists, loan forms), the worst case.
func BenchmarkScanDense(b *testing.B) {
	var buf bytes.Buffer
	for _, doc := range corpus.Generate(1, 2000) {
		buf.WriteString(doc.Text)
		buf.WriteByte('\n')
	}
	text := buf.Bytes()
	d := New(Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d.Scan(text)
	}
}
