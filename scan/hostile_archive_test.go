package scan

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// Hostile archives: zip bombs of the shapes the ratio of one member does
// not see, and names that carry what must not be printed.

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// scanned totals the text bytes scanned of the results.
func scanned(rs []*FileResult) int64 {
	var n int64
	for _, r := range rs {
		n += r.Bytes
	}
	return n
}

func TestHostileZipBombs(t *testing.T) {
	fill := func(n int) []byte { return append(bytes.Repeat([]byte("a"), n), "\n手机 "+vMobile+"\n"...) }
	var floor []scantest.Member
	for i := range 200 {
		floor = append(floor, scantest.Member{Name: "m" + strconv.Itoa(i) + ".txt", Data: fill(60 << 10)})
	}
	tarred := scantest.TarGz(t, scantest.Member{Name: "logs/app.log.gz", Data: gz(t, fill(16<<20))})
	cases := []struct {
		name string
		data []byte
		lim  Limits
	}{
		// Forty entries that are one 3 MiB member: each under the ratio
		// floor, together 120 MiB from a few kilobytes.
		{"overlap-deflate.zip", scantest.OverlapZip(t, "a.txt", fill(3<<20), 40, false), Limits{}},
		// The same without compression: 200 entries on one 1 MiB member.
		{"overlap-stored.zip", scantest.OverlapZip(t, "a.txt", fill(1<<20), 200, true), Limits{}},
		// A member that says its compressed data is 2 GiB long: a ratio
		// computed on that size never trips.
		{"sizelie.zip", scantest.PatchZipSizes(scantest.Zip(t, scantest.Member{Name: "a.txt", Data: fill(16 << 20)}), 0x7FFFFFF0), Limits{}},
		// Many members, each under the per-member floor, none overlapping.
		{"floor.zip", scantest.Zip(t, floor...), Limits{RatioFloor: 64 << 10, MaxRatio: 20}},
		// A sparse tar member: 10 KiB that read back as 1 GiB.
		{"sparse.tar", scantest.SparseTar("big.txt", []byte(strings.Repeat("手机 "+vMobile+"\n", 512)), 1<<30), Limits{}},
		// gzip in tar in zip, the gzip a bomb.
		{"nested.zip", scantest.Zip(t, scantest.Member{Name: "backup.tar.gz", Data: tarred, Store: true}), Limits{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := scanOne(t, c.name, c.data, c.lim)
			if !failedWith(rs, ErrLimit) {
				var errs []string
				for _, r := range rs {
					if r.Err != nil {
						errs = append(errs, r.Name()+": "+r.Err.Error())
					}
				}
				t.Errorf("no limit error (errors: %v)", errs)
			}
			if n := scanned(rs); n > 64<<20 {
				t.Errorf("%d MiB scanned from a %d KiB file", n>>20, len(c.data)>>10)
			}
		})
	}
}

// TestHostileNestedHeld: nested archives that must be held in memory (a zip
// inside a compressed member) count against one budget per file, MaxPart;
// stored members are read in place and cost nothing.
func TestHostileNestedHeld(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 250<<10)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	deflated := scantest.Zip(t, scantest.Member{Name: "x.txt", Data: []byte("手机 " + vMobile + "\n")})
	stored := deflated
	for range 4 {
		deflated = scantest.Zip(t, scantest.Member{Name: "noise.bin", Data: noise}, scantest.Member{Name: "n.zip", Data: deflated})
		stored = scantest.Zip(t, scantest.Member{Name: "noise.bin", Data: noise, Store: true}, scantest.Member{Name: "n.zip", Data: stored, Store: true})
	}
	lim := Limits{MaxPart: 1 << 20}
	if rs := scanOne(t, "deflated.zip", deflated, lim); !failedWith(rs, ErrLimit) {
		t.Errorf("nested compressed zips (750 KiB and 500 KiB) held at once under MaxPart 1 MiB")
	}
	rs, _ := scanFiles(t, Options{Limits: lim}, map[string][]byte{"stored.zip": stored})
	expect(t, rs, want{"stored.zip!/n.zip!/n.zip!/n.zip!/n.zip!/x.txt:1:4", pii.Mobile, vMobile})
	for _, r := range rs {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Name(), r.Err)
		}
	}
}

// TestHostileMemberNames: member and attachment names are printed as
// places; what they hold must not reach a terminal raw (escape sequences,
// bidirectional overrides) nor print a personal value, which is reported
// as a finding of the name instead.
func TestHostileMemberNames(t *testing.T) {
	dir := t.TempDir()
	z := scantest.Zip(t,
		// Members that also hold findings, so that their names are printed.
		scantest.Member{Name: "客户/" + vMobile + "_张三.txt", Data: []byte("身份证 " + vID2 + "\n")},
		scantest.Member{Name: "\x1b]0;pwned\x07\x1b[2J.txt", Data: []byte("手机 " + vMob2 + "\n")},
		scantest.Member{Name: "invoice\u202etxt.exe", Data: []byte("身份证 " + vID2 + "\n")},
		scantest.Member{Name: "/etc/../../abs\x00nul.txt", Data: []byte("身份证 " + vID2 + "\n")},
	)
	os.WriteFile(filepath.Join(dir, "names.zip"), z, 0o644)
	eml := scantest.Mail(t, "张三", vEmail, "x@example.com", "hi", "body", "<p>x</p>",
		scantest.Member{Name: "身份证_" + vID + ".txt", Data: []byte("身份证 " + vID2 + "\n")})
	os.WriteFile(filepath.Join(dir, "mail.eml"), eml, 0o644)
	for _, format := range Formats() {
		out, sum := render(t, format, []string{dir}, Options{})
		for _, bad := range []string{vMobile, vID, "\x1b", "\x07", "\u202e", "\x00"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s output holds %q", format, bad)
			}
		}
		if sum.ByType[pii.Mobile] < 2 || sum.ByType[pii.ResidentID] < 1 {
			t.Errorf("%s: values in names not reported: %v", format, sum.ByType)
		}
	}
}
