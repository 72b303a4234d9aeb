// Command picorpus writes and scores the held-out personal-information
// corpus (bench/pii/heldout, issue 11 item 4).
//
//	picorpus gen -seed 7 -n 60 -out DIR          # the files + DIR/truth.jsonl
//	picorpus score -seed 7 -n 60                 # the pii engine on each document's text
//	picorpus score -seed 7 -n 60 -scan F.jsonl   # `scruple scan --format json --show-values DIR` output
//
// Tune on one seed; report on another you never looked at while tuning.
// Output never holds a planted value: examples are masked.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/scruple/scruple/bench/pii/heldout"
	"github.com/scruple/scruple/pii"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: picorpus gen|score [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	seed := fs.Uint64("seed", 1, "corpus seed")
	n := fs.Int("n", 60, "documents per kind")
	out := fs.String("out", "", "gen: output directory")
	scanOut := fs.String("scan", "", "score: JSON Lines output of scruple scan --format json --show-values")
	examples := fs.Bool("examples", false, "score: list masked misses and false positives")
	_ = fs.Parse(os.Args[2:])
	docs := heldout.Generate(*seed, *n)
	switch os.Args[1] {
	case "gen":
		if *out == "" {
			log.Fatal("-out is required")
		}
		must(write(*out, docs))
		fmt.Printf("%d documents written to %s\n", len(docs), *out)
	case "score":
		var r *heldout.Result
		if *scanOut != "" {
			f, err := readScan(*scanOut)
			must(err)
			r = heldout.ScoreScan(docs, f)
		} else {
			d := pii.New(pii.Options{Now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
			r = heldout.ScoreEngine(docs, func(doc heldout.Doc) []heldout.Finding {
				fs, _ := d.ScanString(doc.Text)
				out := make([]heldout.Finding, len(fs))
				for i, f := range fs {
					out[i] = heldout.Finding{Type: string(f.Type), Start: f.Start, End: f.End, Confidence: f.Confidence}
				}
				return out
			})
		}
		fmt.Printf("seed %d, %d per kind, mode %s\n", *seed, *n, map[bool]string{true: "scan output", false: "engine on text"}[*scanOut != ""])
		r.Write(os.Stdout, *examples)
	default:
		log.Fatalf("unknown command %q", os.Args[1])
	}
}

func write(dir string, docs []heldout.Doc) error {
	tf, err := os.Create(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		if err = os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if tf, err = os.Create(filepath.Join(dir, "truth.jsonl")); err != nil {
			return err
		}
	}
	defer tf.Close()
	enc := json.NewEncoder(tf)
	for _, d := range docs {
		p := filepath.Join(dir, d.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, d.File, 0o644); err != nil {
			return err
		}
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return nil
}

func readScan(path string) ([]heldout.Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []heldout.Finding
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var x heldout.Finding
		if json.Unmarshal(sc.Bytes(), &x) == nil && x.Type != "" {
			out = append(out, x)
		}
	}
	return out, sc.Err()
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
