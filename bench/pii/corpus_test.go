package piibench

import (
	"bytes"
	"sort"
	"testing"

	"github.com/scruple/scruple/bench/pii/baseline"
	"github.com/scruple/scruple/bench/pii/corpus"
	"github.com/scruple/scruple/pii"
)

// TestSameWork checks that both detectors find the planted values at about
// the planted density, so the speed comparison is between detectors doing
// comparable work, and logs the counts per type.
func TestSameWork(t *testing.T) {
	for _, c := range []struct {
		name string
		d    corpus.Density
	}{{"sparse", corpus.Sparse}, {"dense", corpus.Dense}} {
		var buf bytes.Buffer
		planted := corpus.Write(&buf, 7, 4<<20, c.d)
		text := buf.Bytes()
		if !bytes.Equal(text, corpus.Generate(7, 4<<20, c.d)) {
			t.Fatal("generator is not deterministic")
		}
		fs, _ := pii.New(pii.Options{Now: now}).Scan(text)
		bs := baseline.New().Scan(text)
		count := map[string][2]int{}
		for _, f := range fs {
			v := count[string(f.Type)]
			v[0]++
			count[string(f.Type)] = v
		}
		for _, f := range bs {
			v := count[f.Type]
			v[1]++
			count[f.Type] = v
		}
		var types []string
		for k := range count {
			types = append(types, k)
		}
		sort.Strings(types)
		t.Logf("%s: %d bytes, %d planted lines; scruple %d findings, regexp %d", c.name, len(text), planted, len(fs), len(bs))
		for _, k := range types {
			t.Logf("  %-18s scruple %6d  regexp %6d", k, count[k][0], count[k][1])
		}
		if len(fs) < planted*9/10 || len(bs) < planted*9/10 {
			t.Errorf("%s: too few findings for %d planted lines: scruple %d, regexp %d", c.name, planted, len(fs), len(bs))
		}
	}
}
