// Command scanonce scans the first -mib MiB of a file once with the pii
// engine and prints the number of findings and a hash of their types,
// offsets and confidences (never a value). Run under valgrind's callgrind
// it gives an instruction count that does not move with the machine's
// load, and the hash shows two commits report the same findings:
//
//	go build -o scanonce ./pii/cmd/scanonce
//	GOGC=off GODEBUG=asyncpreemptoff=1 GOMAXPROCS=1 valgrind --tool=callgrind \
//	    --callgrind-out-file=cg.out ./scanonce -mib 8 sparse.txt
//	callgrind_annotate --inclusive=yes cg.out | grep -m1 'Detector).Scan '
//
// (asyncpreemptoff: callgrind does not follow Go's preemption signals.)
package main

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"time"

	"github.com/scruple/scruple/pii"
)

func main() {
	mib := flag.Int("mib", 0, "scan only the first MiB of the file (0: all)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: scanonce [-mib N] FILE")
		os.Exit(2)
	}
	b, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *mib > 0 && *mib<<20 < len(b) {
		b = b[:*mib<<20]
	}
	d := pii.New(pii.Options{Now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)})
	fs, _ := d.Scan(b)
	h := fnv.New64a()
	for _, f := range fs {
		fmt.Fprintf(h, "%s %d %d %.3f %d|", f.Type, f.Start, f.End, f.Confidence, len(f.Subject))
	}
	fmt.Printf("bytes %d findings %d hash %016x\n", len(b), len(fs), h.Sum64())
}
