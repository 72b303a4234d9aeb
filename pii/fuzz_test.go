package pii

import (
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"身份证号11010519491231002X，手机13812345678",
	"+86 138 1234 5678 (010)62345678 （0755）2345 6789 400-820-8820",
	"卡号 6222 0212 3456 7890 128 GB82 WEST 1234 5698 7654 32 A123456(3)",
	"姓名：张三 联系人欧阳娜娜 王小明先生 地址：北京市朝阳区建国路88号3栋2单元501室",
	"a@b.com ::1 fe80::1%eth0 1.2.3.4.5 v1.2.3.4 密码：abc 车牌粤B·D12345",
	"１３８１２３４５６７８ Ａ１２３４５６（３） ＋８６ 138",
	"(", "（0", "+", "@", ":", "::", "a@", "0(1)", "粤", "先生", "姓名", "\xef\xbc", "\xe4\xb8", "12345(6",
}

// checkFindings verifies the invariants Scan promises.
func checkFindings(t *testing.T, text []byte, fs []Finding) {
	last := 0
	for i, f := range fs {
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			t.Fatalf("finding %d (%s) out of bounds: %d-%d of %d", i, f.Type, f.Start, f.End, len(text))
		}
		if f.Start < last {
			t.Fatalf("finding %d (%s) overlaps or is unsorted", i, f.Type)
		}
		if !boundary(text, f.Start) || !boundary(text, f.End) {
			t.Fatalf("finding %d (%s) not on a rune boundary", i, f.Type)
		}
		if f.Confidence < confFloor || f.Confidence > 1 {
			t.Fatalf("finding %d (%s) confidence %v", i, f.Type, f.Confidence)
		}
		last = f.End
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	d := New(Options{Now: now})
	f.Fuzz(func(t *testing.T, text []byte) {
		fs, sig := d.Scan(text)
		checkFindings(t, text, fs)
		if sig.Subjects > len(fs) {
			t.Fatalf("more subjects than findings")
		}
	})
}

func FuzzRedact(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), false)
	}
	d := New(Options{Now: now})
	f.Fuzz(func(t *testing.T, text []byte, partialMode bool) {
		fs, _ := d.Scan(text)
		mode := Mask
		if partialMode {
			mode = Partial
		}
		out, spans := RedactWith(text, fs, mode)
		if len(spans) != len(fs) {
			t.Fatalf("spans %d for %d findings", len(spans), len(fs))
		}
		prev := 0
		for i, sp := range spans {
			if sp.Start < prev || sp.End > len(out) || sp.Start > sp.End {
				t.Fatalf("span %d out of order or bounds", i)
			}
			if mode == Mask && string(out[sp.Start:sp.End]) != "["+string(fs[i].Type)+"]" {
				t.Fatalf("span %d does not hold the mask", i)
			}
			prev = sp.End
		}
		if utf8.Valid(text) && !utf8.Valid(out) {
			t.Fatalf("redaction broke UTF-8")
		}
	})
}
