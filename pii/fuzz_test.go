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
	// issue 11: labels, tables, English names, addresses, e-mail forms, fast paths
	"联系人1： 慕容琳（子女）  手机：13812345678\n紧急联系人：上官婉儿(配偶)、欧阳修【朋友】",
	"姓名\t关系\t手机号\n张三\t配偶\t13812345678\n| 姓名 | 关系 |\n|---|---|\n| 李四 | 朋友 |",
	"<tr><th>姓名</th><th>电话</th></tr><tr><td>王五</td><td>1</td></tr><tr><td><a>赵六</a>",
	"customer_name,contact_1_name\n李白,杜甫\n\"Jane Doe\",\"John\"",
	"From: \"Jane Smith\" <j@example.com>, 张伟 <z@example.cn>\nDear Mr. Brown,\nBest regards,\nEmily Clark",
	"Bill to: Olivia Martinez\nthe suspect, Jane Doe, 34, officer John Smith said. My name is Li Wei",
	"Room 1203, No. 88 Jianguo Road, Chaoyang District, Beijing 100022; Hauptstraße 5, 10115 Berlin; 12 rue de Rivoli",
	"Address: 221B Baker Street, London NW1 6XE\ncustomerName: 李白\nidCard: 11010519491231002X",
	"zhang [at] example [dot] com li(at)x.cn 123#qq.com a[at] (dot)",
	"2025-12-23 00:50:22 2024-10-05T07:50:10Z 12:30 12.5 3.17.56 112-118 1.2.3.4 2024-11-27 13812345678",
	"对诸葛明、夏侯杰、令狐婷等同志 谢谢！\n鞠娜\n张三：\n    您于",
	"ZHANG WEI: Name: J. ", "Dear ", "Hi X", "姓名：", "联系人1", "<td>", "|", "\t", "a [at", "2024-", "12:", "Hauptstraße ",
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

// FuzzLabelType: the label classifier never panics on any label and
// agrees with itself.
func FuzzLabelType(f *testing.F) {
	for _, s := range []string{"姓名", "联系人2", "customer_name", "contactName", "身份证号", "IP地址", "Full Name", "", "_", "Ａ", "\xe4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, label string) {
		t1, ok1 := LabelType(label)
		t2, ok2 := LabelType(label)
		if t1 != t2 || ok1 != ok2 || ok1 && Info(t1).Type != t1 {
			t.Fatalf("LabelType is not stable or names an unknown type")
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
