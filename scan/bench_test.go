package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scruple/scruple/scan/scantest"
)

// benchFile is prose with a record holding personal information every
// twentieth line: a log, export or document store as a company holds them.
func benchFile(size int) string {
	prose := []string{
		"近日，国家统计局发布了2025年第三季度国民经济运行数据，前三季度国内生产总值同比增长5.2%。",
		"The quarterly report shows revenue of $12.5 million, up 8.3% year over year, driven by demand in Asia.",
		"据介绍，该项目总投资约38亿元，占地面积1200亩，预计2027年建成投产，届时可提供就业岗位3000余个。",
		"2025-06-01 12:00:03 INFO request_id=7f3a9c2e order=20250601120003 latency_ms=38 version=2.14.1",
	}
	records := []string{
		"联系人：李四，手机13812345678，身份证号11010519491231002X",
		"2025-06-01 12:00:04 WARN payment card=6222021234567890128 user=zhang.san@example.com",
		"王五,440524188001010014,13700001111,北京市朝阳区建国路88号3号楼201室",
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		if i%20 == 19 {
			b.WriteString(records[i/20%len(records)])
		} else {
			b.WriteString(prose[i%len(prose)])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// BenchmarkScanDir scans a directory of 32 files of 512 KiB of text (24
// UTF-8, 4 gzip, 4 GB18030) with every detector on, with 1, 2 and GOMAXPROCS
// workers. MB/s is over the text bytes; files are independent, so the rate
// should grow with the workers up to the number of cores.
func BenchmarkScanDir(b *testing.B) {
	dir := b.TempDir()
	text := benchFile(512 << 10)
	var total int64
	for i := range 32 {
		name := fmt.Sprintf("f%02d.log", i)
		gz, gb := i%8 == 6, i%8 == 7
		if gz {
			name += ".gz"
		}
		p := filepath.Join(dir, fmt.Sprintf("d%d", i%4), name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, scantest.Encode(b, text, gb, gz), 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(len(text))
	}
	for _, w := range []int{1, 2, 0} {
		name := fmt.Sprintf("workers=%d", w)
		if w == 0 {
			name = "workers=GOMAXPROCS"
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(total)
			b.ReportAllocs()
			// cores is CPU time over wall time: how many cores the scan kept
			// busy, which MB/s alone hides on a shared machine.
			cpu0, wall0 := cpuTime(), time.Now()
			for b.Loop() {
				findings := 0
				_, err := Run(b.Context(), []string{dir}, Options{Workers: w}, func(r *FileResult) error {
					findings += len(r.Findings)
					return nil
				})
				if err != nil || findings == 0 {
					b.Fatalf("err %v, %d findings", err, findings)
				}
			}
			b.ReportMetric((cpuTime()-cpu0).Seconds()/time.Since(wall0).Seconds(), "cores")
		})
	}
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
