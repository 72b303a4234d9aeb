// Command piscore runs `scruple scan --format json --show-values` on a corpus
// made by pigen and scores it against the corpus's truth.jsonl:
//
//	piscore -scruple ./scruple -corpus pieval/corpus-1 -seed 1 \
//	    -commit abc1234 -out bench/pii/results/independent-DATE/seed-1 [-heldout]
//
// Values are read from the scanner only to match them; nothing it writes
// holds a value: counts, and for the tuning seed masked examples and the
// scanner's findings with their values removed. For a held-out seed only
// aggregates are written (no examples, no findings), so nobody can tune on it.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/scruple/scruple/bench/pii/independent"
)

func main() {
	bin := flag.String("scruple", "scruple", "scruple binary")
	corpus := flag.String("corpus", "", "corpus directory (pigen -out)")
	out := flag.String("out", "", "results directory")
	seed := flag.Uint64("seed", 0, "seed of the corpus (for the report)")
	commit := flag.String("commit", "", "commit of the scruple binary (for the report)")
	heldout := flag.Bool("heldout", false, "held-out seed: aggregates only")
	workers := flag.Int("workers", 2, "scan --workers")
	examples := flag.Int("examples", 12, "masked examples per row (tuning seed)")
	combine := flag.String("combine", "", "print Markdown tables of DIR/seed-*/summary.json and exit")
	flag.Parse()
	if *combine != "" {
		if err := combineDir(*combine); err != nil {
			fmt.Fprintln(os.Stderr, "piscore:", err)
			os.Exit(1)
		}
		return
	}
	if *corpus == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "piscore: -corpus and -out are required")
		os.Exit(2)
	}
	if err := run(*bin, *corpus, *out, *seed, *commit, *heldout, *workers, *examples); err != nil {
		fmt.Fprintln(os.Stderr, "piscore:", err)
		os.Exit(1)
	}
}

func run(bin, corpus, out string, seed uint64, commit string, heldout bool, workers, examples int) error {
	tf, err := os.Open(filepath.Join(corpus, "truth.jsonl"))
	if err != nil {
		return err
	}
	items, err := independent.ReadTruth(tf)
	tf.Close()
	if err != nil {
		return err
	}
	cmd := exec.Command(bin, "scan", "--format", "json", "--show-values", "--workers", fmt.Sprint(workers), "docs")
	cmd.Dir = corpus
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	elapsed := time.Since(start)
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		return err
	}
	fs, other, err := independent.ReadFindings(&stdout)
	if err != nil {
		return err
	}
	res := independent.Score(items, fs)
	n := examples
	if heldout {
		n = 0
	}
	s := independent.Summarise(res, n)
	s.Seed, s.Commit, s.HeldOut = seed, commit, heldout
	for _, o := range other {
		switch {
		case o.Skipped != "":
			s.Skipped = append(s.Skipped, o.Path+": "+o.Skipped)
		case o.Error != "":
			s.Errors = append(s.Errors, o.Path+": "+o.Error)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var txt bytes.Buffer
	s.Print(&txt, 10)
	fmt.Fprintf(&txt, "scan: exit %d, %d finding lines, %.1fs (--workers %d)\nscan stderr (last line): %s\n", code, len(fs), elapsed.Seconds(), workers, lastLine(stderr.Bytes()))
	if err := os.WriteFile(filepath.Join(out, "summary.txt"), txt.Bytes(), 0o644); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(s, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "summary.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if !heldout {
		if err := writeMasked(filepath.Join(out, "findings-masked.jsonl.gz"), res); err != nil {
			return err
		}
	}
	os.Stdout.Write(txt.Bytes())
	return nil
}

// writeMasked keeps the scored findings without their values.
func writeMasked(path string, res independent.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	for _, x := range res.Findings {
		if err := enc.Encode(map[string]any{"file": x.File, "type": x.Type, "masked": x.Masked, "personal": x.Personal, "outcome": x.Outcome, "family": x.Family}); err != nil {
			return err
		}
	}
	for _, l := range res.Labels {
		if l.Role != independent.Pos || l.Rel == independent.RelFound {
			continue
		}
		if err := enc.Encode(map[string]any{"file": l.File, "kind": l.Kind, "type": l.Type, "masked": independent.MaskTyped(l.Type, l.Value), "forms": l.Forms, "outcome": map[int]string{0: "missed", 1: "partial"}[l.Rel], "reported_as": l.GotType}); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func combineDir(dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "seed-*", "summary.json"))
	if err != nil || len(paths) == 0 {
		return fmt.Errorf("no seed-*/summary.json under %s", dir)
	}
	var ss []independent.Summary
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var s independent.Summary
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		ss = append(ss, s)
	}
	independent.Combine(os.Stdout, ss)
	return nil
}

func lastLine(b []byte) string {
	b = bytes.TrimSpace(b)
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		b = b[i+1:]
	}
	return string(b)
}
