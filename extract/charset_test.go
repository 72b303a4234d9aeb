package extract

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// encode converts a UTF-8 test string to e, failing the test on error.
func encode(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

const zhText = "北京时间今天上午，国家统计局发布了最新的经济数据。记者从会上获悉，全年经济运行总体平稳，就业形势保持稳定。"

// gbkPage is a Chinese page encoded with the GBK encoder, as most legacy
// Chinese sites serve it.
func gbkPage(t testing.TB, meta string) []byte {
	return encode(t, simplifiedchinese.GBK,
		"<html><head>"+meta+"<title>新闻</title></head><body><p>"+zhText+"</p></body></html>")
}

func TestDecode(t *testing.T) {
	utf8Page := []byte("<html><body><p>" + zhText + "</p></body></html>")
	// "café résumé naïve" in Latin-1: isolated high bytes between letters.
	latin1 := encode(t, charmap.ISO8859_1, "<p>Un café, un résumé naïve et déjà vu à Noël.</p>")
	// GB18030-only: U+20000 (four bytes), U+00A5 and U+20AC€ (not in GB2312).
	gbOnly := "𠀀 ¥ € 中文"

	tests := []struct {
		name        string
		body        []byte
		contentType string
		wantCharset string
		wantText    string // substring of the output
	}{
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, "héllo"...), "text/html; charset=gbk", "utf-8", "héllo"},
		{"utf-16le bom", append([]byte{0xFF, 0xFE}, encode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "<p>中文 text</p>")...), "", "utf-16le", "<p>中文 text</p>"},
		{"utf-16be bom", append([]byte{0xFE, 0xFF}, encode(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "<p>中文 text</p>")...), "", "utf-16be", "<p>中文 text</p>"},
		{"header gbk", gbkPage(t, ""), "text/html; charset=GBK", "gbk", zhText},
		{"header gb2312 quoted", gbkPage(t, ""), `text/html; charset="gb2312"`, "gbk", zhText},
		{"header x-gbk", gbkPage(t, ""), "text/html;charset=x-gbk", "gbk", zhText},
		{"header cp936", gbkPage(t, ""), "text/html; charset=cp936", "gbk", zhText},
		{"header gb18030", gbkPage(t, ""), "text/html; charset=gb18030", "gb18030", zhText},
		{"meta charset gb2312", gbkPage(t, `<meta charset="gb2312">`), "text/html", "gbk", zhText},
		{"meta http-equiv euc-cn", gbkPage(t, `<meta http-equiv="Content-Type" content="text/html; charset=euc-cn">`), "", "gbk", zhText},
		{"meta content without http-equiv ignored", gbkPage(t, `<meta content="text/html; charset=windows-1252">`), "", "gb18030", zhText},
		{"header beats meta", gbkPage(t, `<meta charset="windows-1252">`), "text/html; charset=gbk", "gbk", zhText},
		{"gb18030-only chars under gb2312 label", encode(t, simplifiedchinese.GB18030, "<meta charset=gb2312><p>"+gbOnly+"</p>"), "", "gbk", gbOnly},
		{"gb18030-only chars under gbk header", encode(t, simplifiedchinese.GB18030, "<p>"+gbOnly+zhText+"</p>"), "text/html; charset=gbk", "gbk", gbOnly},
		{"euro as 0x80 under gbk", []byte("<p>price \x80 5</p>"), "text/html; charset=gbk", "gbk", "price € 5"},
		{"undeclared utf-8", utf8Page, "text/html", "utf-8", zhText},
		{"undeclared ascii", []byte("<p>hello</p>"), "", "utf-8", "hello"},
		{"undeclared gbk detected", gbkPage(t, ""), "text/html", "gb18030", zhText},
		{"undeclared latin-1 is windows-1252", latin1, "", "windows-1252", "déjà vu à Noël"},
		{"windows-1252 smart quotes", []byte("<p>\x93quoted\x94 \x96 dash</p>"), "", "windows-1252", "“quoted” – dash"},
		{"declared utf-8 but gbk bytes", gbkPage(t, `<meta charset="utf-8">`), "", "gb18030 (declared utf-8)", zhText},
		{"header utf-8 but gbk bytes", gbkPage(t, ""), "text/html; charset=utf-8", "gb18030 (declared utf-8)", zhText},
		{"declared utf-8 but latin-1 bytes", latin1, "text/html; charset=utf-8", "windows-1252 (declared utf-8)", "déjà vu"},
		{"declared gbk but utf-8 bytes", utf8Page, "text/html; charset=gb2312", "utf-8 (declared gbk)", zhText},
		{"declared iso-8859-1 but utf-8 bytes", utf8Page, "text/html; charset=iso-8859-1", "utf-8 (declared windows-1252)", zhText},
		{"declared utf-16 but no NULs", utf8Page, "text/html; charset=utf-16", "utf-8 (declared utf-16le)", zhText},
		{"meta utf-16 means utf-8", []byte(`<meta charset="utf-16"><p>é</p>`), "", "utf-8", "é"},
		{"utf-8 with truncated tail stays utf-8", append([]byte("<p>"+zhText), "中"[:2]...), "text/html; charset=utf-8", "utf-8", zhText},
		{"utf-8 with a stray byte stays utf-8", []byte("<p>" + zhText + "\xff" + zhText + "</p>"), "", "utf-8", "\uFFFD"},
		{"unknown label falls back to detection", utf8Page, "text/html; charset=klingon", "utf-8", zhText},
		{"replacement label ignored", utf8Page, "text/html; charset=iso-2022-kr", "utf-8", zhText},
		{"malformed header still read", gbkPage(t, ""), "text/html; charset=gbk; charset=utf-8", "gbk", zhText},
		{"empty body", nil, "", "utf-8", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, cs, err := Decode(tc.body, tc.contentType)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if cs != tc.wantCharset {
				t.Errorf("charset = %q, want %q", cs, tc.wantCharset)
			}
			if !utf8.Valid(out) {
				t.Errorf("output is not valid UTF-8")
			}
			if !strings.Contains(string(out), tc.wantText) {
				t.Errorf("output %q does not contain %q", out, tc.wantText)
			}
		})
	}
}

// TestDecodeInvalidBecomesReplacement checks that undecodable bytes in each
// kind of source turn into U+FFFD rather than vanishing or panicking.
func TestDecodeInvalidBecomesReplacement(t *testing.T) {
	tests := []struct {
		name, ct string
		body     []byte
	}{
		{"utf-8", "text/html; charset=utf-8", []byte("ok \xff\xfe ok " + zhText)},
		{"gbk lone lead byte", "text/html; charset=gbk", []byte("ok \x81")},
		{"gbk bad trail", "text/html; charset=gbk", []byte("ok \x81\x7f ok")},
		{"utf-16 odd length", "", []byte{0xFF, 0xFE, 'a', 0, 'b'}},
		{"utf-16 lone surrogate", "", []byte{0xFF, 0xFE, 0x00, 0xD8, 'a', 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, _, err := Decode(tc.body, tc.ct)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if !utf8.Valid(out) || !bytes.Contains(out, []byte("\uFFFD")) {
				t.Errorf("got %q, want valid UTF-8 with U+FFFD", out)
			}
		})
	}
}

func TestDecodeValidUTF8SharesMemory(t *testing.T) {
	body := []byte("<p>plain</p>")
	out, _, _ := Decode(body, "")
	if &out[0] != &body[0] {
		t.Errorf("valid UTF-8 was copied; Decode documents that it is returned as is")
	}
}

func TestPlausibleGB18030(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		want bool
	}{
		{"gbk chinese", encode(t, simplifiedchinese.GBK, zhText), true},
		{"gbk with ascii", encode(t, simplifiedchinese.GBK, "Hello 世界, this is a test 测试"), true},
		{"latin-1 words", encode(t, charmap.ISO8859_1, "café résumé naïve façade"), false},
		{"random high bytes", []byte{0x80, 0xff, 0x80, 0xff}, false},
		{"ascii only", []byte("hello"), false},
	}
	for _, tc := range tests {
		if got := plausibleGB18030(tc.b); got != tc.want {
			t.Errorf("%s: plausibleGB18030 = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCharsetFromMetaContent(t *testing.T) {
	tests := map[string]string{
		"text/html; charset=gbk":          "gbk",
		"text/html;charset=\"utf-8\"":     "utf-8",
		"text/html; CHARSET = 'big5' ; x": "big5",
		"text/html; charsetx; charset=a":  "a",
		"text/html":                       "",
		"charset=":                        "",
		"charset=\"unterminated":          "",
	}
	for in, want := range tests {
		if got := charsetFromMetaContent(in); got != want {
			t.Errorf("charsetFromMetaContent(%q) = %q, want %q", in, got, want)
		}
	}
}
