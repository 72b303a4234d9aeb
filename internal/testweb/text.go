package testweb

import (
	"hash/fnv"
	"math/rand/v2"
	"strings"
)

// The vocabularies of the text generator, split into words by newVocab. The
// generated text carries no runs of digits, addresses or names, so detectors
// of personal information find nothing in it unless a page adds something on
// purpose.
const (
	zhVocab = "城市 交通 天气 图书馆 公园 春天 夏天 秋天 冬天 河流 " +
		"山脉 学校 老师 学生 音乐 电影 新闻 报道 经济 科技 " +
		"网络 数据 研究 社区 历史 文化 博物馆 展览 传统 节日 " +
		"市场 农业 工业 环境 保护 能源 健康 运动 旅行 火车 " +
		"地铁 自行车 咖啡 茶叶 米饭 面条 水果 蔬菜 早晨 夜晚 " +
		"发展 计划 会议 报告 项目 建筑 桥梁 港口 森林 花园"
	zhJoinVocab = "的 和 与 在 关于 以及 对于 中的"
	zhEndVocab  = "。 。 ！ ； 。"
	// The first 32 English words are nouns, used in titles.
	enVocab = "city river library weather morning garden museum bridge " +
		"market school music report network harbour forest train " +
		"project history culture festival energy health travel bicycle " +
		"coffee tea noodles fruit quiet bright ancient modern " +
		"green busy gentle careful public open local seasonal " +
		"walks opens describes follows grows changes connects shows " +
		"the a of and near under across with"
)

// vocab holds the word lists of the text generator.
type vocab struct {
	zh, zhJoin, zhEnd, en []string
}

func newVocab() *vocab {
	return &vocab{
		zh:     strings.Fields(zhVocab),
		zhJoin: strings.Fields(zhJoinVocab),
		zhEnd:  strings.Fields(zhEndVocab),
		en:     strings.Fields(enVocab),
	}
}

// newRand returns a generator seeded by the spec seed and a stream name, so
// each host (and each page) draws its own reproducible sequence.
func newRand(seed uint64, stream string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(stream))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// zhSentence writes one Chinese sentence.
func (v *vocab) zhSentence(b *strings.Builder, r *rand.Rand) {
	n := 3 + r.IntN(5)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(v.zhJoin[r.IntN(len(v.zhJoin))])
		}
		b.WriteString(v.zh[r.IntN(len(v.zh))])
	}
	b.WriteString(v.zhEnd[r.IntN(len(v.zhEnd))])
}

// enSentence writes one English sentence.
func (v *vocab) enSentence(b *strings.Builder, r *rand.Rand) {
	n := 6 + r.IntN(9)
	for i := 0; i < n; i++ {
		w := v.en[r.IntN(len(v.en))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	b.WriteString(". ")
}

// paragraph returns about size bytes of mixed Chinese and English text (no
// markup, nothing to escape).
func (v *vocab) paragraph(r *rand.Rand, size int) string {
	var b strings.Builder
	for b.Len() < size {
		if r.IntN(2) == 0 {
			v.zhSentence(&b, r)
		} else {
			v.enSentence(&b, r)
		}
	}
	return b.String()
}

// title returns a short bilingual title.
func (v *vocab) title(r *rand.Rand) string {
	zh := v.zh[r.IntN(len(v.zh))] + v.zh[r.IntN(len(v.zh))]
	en := v.en[r.IntN(32)]
	return zh + " · " + strings.ToUpper(en[:1]) + en[1:] + " " + v.en[r.IntN(32)]
}
