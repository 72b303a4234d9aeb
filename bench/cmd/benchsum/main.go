// Command benchsum summarises the runs.tsv written by bench/crawl.sh: the
// median of each tool's figures and the median of the pair-by-pair ratios
// (method: BENCHMARKS.md, "How we measure").
//
//	benchsum runs.tsv [DISTINCT]
//
// With DISTINCT (the number of distinct pages of the site, which every run
// must have crawled: bench/crawl.sh checks it per host), it also reports
// distinct pages/s = DISTINCT / wall, which ignores the extra requests a
// crawler makes (robots.txt fetched more than once, pages fetched twice).
//
// runs.tsv has a header line and one line per run with at least the columns
// pair, tool, wall_s, rss_kb, cpu_s, served. The first tool to appear is A
// (the numerator of the ratios), the second B.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

type run struct {
	wall, rssMB, cpu, served float64
	serverCPU                float64 // -1: not recorded
}

func (r run) rate() float64 { return r.served / r.wall }

func main() {
	if len(os.Args) != 2 && len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: benchsum runs.tsv [DISTINCT]")
		os.Exit(2)
	}
	distinct := 0.0
	if len(os.Args) == 3 {
		d, err := strconv.ParseFloat(os.Args[2], 64)
		if err != nil || d <= 0 {
			fmt.Fprintln(os.Stderr, "benchsum: bad DISTINCT", os.Args[2])
			os.Exit(2)
		}
		distinct = d
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchsum:", err)
		os.Exit(1)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var col map[string]int
	var tools []string
	runs := map[string]map[int]run{} // tool -> pair -> run
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if col == nil {
			col = map[string]int{}
			for i, h := range fields {
				col[h] = i
			}
			for _, need := range []string{"pair", "tool", "wall_s", "rss_kb", "cpu_s", "served"} {
				if _, ok := col[need]; !ok {
					fmt.Fprintf(os.Stderr, "benchsum: no column %q\n", need)
					os.Exit(1)
				}
			}
			continue
		}
		num := func(name string) float64 {
			v, err := strconv.ParseFloat(fields[col[name]], 64)
			if err != nil {
				fmt.Fprintf(os.Stderr, "benchsum: %s %q: %v\n", name, fields[col[name]], err)
				os.Exit(1)
			}
			return v
		}
		tool := fields[col["tool"]]
		if runs[tool] == nil {
			runs[tool] = map[int]run{}
			tools = append(tools, tool)
		}
		r := run{wall: num("wall_s"), rssMB: num("rss_kb") / 1024, cpu: num("cpu_s"), served: num("served"), serverCPU: -1}
		if _, ok := col["server_cpu_s"]; ok {
			r.serverCPU = num("server_cpu_s")
		}
		runs[tool][int(num("pair"))] = r
	}
	if len(tools) != 2 {
		fmt.Fprintf(os.Stderr, "benchsum: want 2 tools, found %v\n", tools)
		os.Exit(1)
	}
	a, b := tools[0], tools[1]
	fmt.Printf("%-10s %5s %12s %12s %10s %10s %10s %14s\n", "tool", "runs", "requests/s", "distinct/s", "wall s", "RSS MB", "CPU s", "CPU ms/request")
	for _, t := range tools {
		var rate, wall, rss, cpu, served, cpuPer []float64
		for _, r := range runs[t] {
			rate = append(rate, r.rate())
			wall = append(wall, r.wall)
			rss = append(rss, r.rssMB)
			cpu = append(cpu, r.cpu)
			served = append(served, r.served)
			cpuPer = append(cpuPer, 1000*r.cpu/r.served)
		}
		dps := "-"
		if distinct > 0 {
			dps = fmt.Sprintf("%.1f", distinct/median(wall))
		}
		fmt.Printf("%-10s %5d %12.1f %12s %10.2f %10.1f %10.2f %14.3f   (median requests served %.0f",
			t, len(runs[t]), median(rate), dps, median(wall), median(rss), median(cpu), median(cpuPer), median(served))
		var scpu, util []float64
		for _, r := range runs[t] {
			if r.serverCPU >= 0 {
				scpu = append(scpu, r.serverCPU)
				util = append(util, (r.cpu+r.serverCPU)/r.wall)
			}
		}
		if len(scpu) > 0 {
			fmt.Printf("; server CPU %.2f s; crawler+server use %.2f cores", median(scpu), median(util))
		}
		fmt.Println(")")
	}
	var rr, wr, mr, cr []float64
	for p, ra := range runs[a] {
		rb, ok := runs[b][p]
		if !ok {
			continue
		}
		rr = append(rr, ra.rate()/rb.rate())
		wr = append(wr, ra.wall/rb.wall)
		mr = append(mr, ra.rssMB/rb.rssMB)
		cr = append(cr, (ra.cpu/ra.served)/(rb.cpu/rb.served))
	}
	sort.Float64s(rr)
	fmt.Printf("pairs %d: median %s/%s ratio: requests/s %.3f (min %.3f max %.3f), wall %.3f, peak RSS %.3f, CPU per request %.3f\n",
		len(rr), a, b, median(rr), rr[0], rr[len(rr)-1], median(wr), median(mr), median(cr))
	if distinct > 0 {
		dr := make([]float64, len(wr))
		for i, w := range wr {
			dr[i] = 1 / w // the same distinct pages in both runs of a pair
		}
		fmt.Printf("pairs %d: median %s/%s ratio of distinct pages/s: %.3f\n", len(dr), a, b, median(dr))
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
