// Command gencorpus writes the issue 4 benchmark corpus to disk:
//
//	gencorpus -out DIR                 # DIR/sparse.txt (100 MiB), DIR/dense.txt (16 MiB)
//	gencorpus -out DIR -files 100      # also DIR/files/part-000.txt ... the sparse corpus split in 100 files
//
// The bytes are the same as the in-process corpus of the Go benchmark.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/scruple/scruple/bench/pii/corpus"
)

func main() {
	out := flag.String("out", "", "output directory")
	files := flag.Int("files", 0, "also split the sparse corpus into this many files under OUT/files")
	sparse := flag.Int("sparse-mib", 100, "sparse corpus size in MiB")
	dense := flag.Int("dense-mib", 16, "dense corpus size in MiB")
	seed := flag.Uint64("seed", 20261127, "seed (the Go benchmark uses 20261127; dense uses seed+1)")
	flag.Parse()
	if *out == "" {
		log.Fatal("-out is required")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	sp := corpus.Generate(*seed, *sparse<<20, corpus.Sparse)
	must(os.WriteFile(filepath.Join(*out, "sparse.txt"), sp, 0o644))
	must(os.WriteFile(filepath.Join(*out, "dense.txt"), corpus.Generate(*seed+1, *dense<<20, corpus.Dense), 0o644))
	if *files > 0 {
		dir := filepath.Join(*out, "files")
		must(os.MkdirAll(dir, 0o755))
		per := len(sp) / *files
		for i := 0; i < *files; i++ {
			// split at line ends so every file is whole lines
			end := len(sp)
			if i < *files-1 {
				end = per
				if j := bytes.IndexByte(sp[end:], '\n'); j >= 0 {
					end += j + 1
				}
			}
			must(os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%03d.txt", i)), sp[:end], 0o644))
			sp = sp[end:]
		}
	}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
