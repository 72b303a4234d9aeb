// Command pigen writes the independent PI corpus of one seed:
//
//	pigen -seed 1 -out pieval/corpus-1
//
// produces OUT/docs/<kind>/<file>, OUT/truth.jsonl (the labels, with values:
// keep it with the corpus, never in logs) and OUT/manifest.json (counts).
// Seed 1 is the tuning seed; 2 and 3 are held out (README.md).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/scruple/scruple/bench/pii/independent"
)

func main() {
	seed := flag.Uint64("seed", 1, "corpus seed (1 tuning; 2, 3 held out)")
	out := flag.String("out", "", "output directory (required)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "pigen: -out is required")
		os.Exit(2)
	}
	m, err := independent.Generate(*seed, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pigen:", err)
		os.Exit(1)
	}
	pos, neg := 0, 0
	for _, n := range m.Positives {
		pos += n
	}
	for _, n := range m.Negatives {
		neg += n
	}
	fmt.Printf("pigen: seed %d: %d files, %.1f MB, %d positives, %d hard negatives, %d neutral\n",
		m.Seed, m.Files, float64(m.Bytes)/1e6, pos, neg, m.Neutral)
}
