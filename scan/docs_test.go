package scan

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// Planted values (never printed by the tests: they report where and what).
const (
	vID     = "11010519491231002X"
	vID2    = "440524188001010014"
	vMobile = "13812345678"
	vMob2   = "13987654321"
	vCard   = "6222021234567890128"
	vEmail  = "zhang.san@example.com"
	vPass   = "E12345678" // a passport number: found only with context
)

// scanFiles writes files (name → content) into a new directory, scans it
// and returns the results in order.
func scanFiles(t *testing.T, opt Options, files map[string][]byte) ([]*FileResult, *Summary) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opt.Values = true
	var rs []*FileResult
	sum, err := Run(context.Background(), []string{dir}, opt, func(r *FileResult) error {
		c := *r
		c.Path = strings.TrimPrefix(filepath.ToSlash(strings.TrimPrefix(r.Path, dir)), "/")
		for i := range c.Findings {
			c.Findings[i].Path = c.Path
		}
		rs = append(rs, &c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs, sum
}

// want is a finding expected at a place.
type want struct {
	where string
	typ   pii.Type
	value string
}

// expect checks that each wanted value is found, of its type, at its place;
// messages name the place and type, never the value.
func expect(t *testing.T, rs []*FileResult, wants ...want) {
	t.Helper()
	var all []Finding
	for _, r := range rs {
		all = append(all, r.Findings...)
	}
	for _, w := range wants {
		ok := slices.ContainsFunc(all, func(f Finding) bool {
			return f.Where() == w.where && f.Type == w.typ && f.Value == w.value
		})
		if !ok {
			var near []string
			for _, f := range all {
				if f.Value == w.value {
					near = append(near, f.Where()+" "+string(f.Type))
				}
			}
			t.Errorf("no %s at %s; that value was found at %v", w.typ, w.where, near)
		}
	}
}

func result(rs []*FileResult, name string) *FileResult {
	for _, r := range rs {
		if r.Name() == name {
			return r
		}
	}
	return nil
}

func TestScanCSV(t *testing.T) {
	plain := "姓名,身份证号,手机,备注\n张伟," + vID + "," + vMobile + ",\"多行\n备注 " + vMob2 + "\"\n"
	// Excel in a European locale: semicolons, a BOM, camelCase headers.
	semi := "\ufeffname;idCard;phoneNumber;passportNo\nLi Lei;" + vID2 + ";" + vMobile + ";" + vPass + "\n"
	noHeader := vID + "," + vMobile + "\n"
	rs, _ := scanFiles(t, Options{}, map[string][]byte{
		"plain.csv":     []byte(plain),
		"excel-gbk.csv": scantest.GBK(t, plain),
		"semi.csv":      []byte(semi),
		"raw.csv":       []byte(noHeader),
		"export.tsv":    []byte("客户\t手机号码\n王芳\t" + vMobile + "\n"),
	})
	expect(t, rs,
		want{"plain.csv#row=2,column=身份证号", pii.ResidentID, vID},
		want{"plain.csv#row=2,column=手机", pii.Mobile, vMobile},
		want{"plain.csv#row=2,column=备注", pii.Mobile, vMob2},
		want{"excel-gbk.csv#row=2,column=身份证号", pii.ResidentID, vID},
		want{"excel-gbk.csv#row=2,column=手机", pii.Mobile, vMobile},
		want{"semi.csv#row=2,column=idCard", pii.ResidentID, vID2},
		want{"semi.csv#row=2,column=phoneNumber", pii.Mobile, vMobile},
		// The header is the only context a passport number has here.
		want{"semi.csv#row=2,column=passportNo", pii.Passport, vPass},
		want{"raw.csv#row=1,column=column 1", pii.ResidentID, vID},
		want{"export.tsv#row=2,column=手机号码", pii.Mobile, vMobile},
	)
	if r := result(rs, "excel-gbk.csv"); r == nil || r.Encoding != GB18030 || r.Format != "csv" {
		t.Errorf("GBK CSV read as %+v", r)
	}
	for _, f := range result(rs, "semi.csv").Findings {
		if f.Type == pii.ResidentID && (f.Start != 0 || f.End != len(vID2)) {
			t.Errorf("cell offsets %d-%d not into the cell", f.Start, f.End)
		}
	}
}

// TestScanFieldTextForEngine checks what the format layer hands the engine:
// "label: value" lines with humanised labels.
func TestScanFieldTextForEngine(t *testing.T) {
	for in, want := range map[string]string{"idCard": "id Card", "phone_number": "phone number", "IDCardNo": "ID Card No",
		"手机": "手机", "contact.mobile": "contact mobile", "紧急联系人1": "紧急联系人1", "mobile-no": "mobile no"} {
		if got := Label(in); got != want {
			t.Errorf("Label(%q) = %q, want %q", in, got, want)
		}
	}
	ft := &fieldText{}
	ft.add("联系人1", []byte("慕容琳"), fieldLoc{row: 2, column: "联系人1"})
	ft.add("手机", []byte("138\n0013 8000"), fieldLoc{row: 2, column: "手机"})
	ft.endRecord()
	if got := string(ft.buf); got != "联系人1: 慕容琳\n手机: 138 0013 8000\n\n" {
		t.Errorf("engine text %q", got)
	}
	if l := ft.locs[1]; string(ft.buf[l.vstart:l.vend]) != "138 0013 8000" {
		t.Errorf("value span wrong")
	}
}

func TestScanJSON(t *testing.T) {
	doc := `{"users":[{"name":"张三","idCard":"` + vID + `","contact":{"phone":` + vMobile + `}}],
		"byPhone":{"` + vMob2 + `":{"card":"` + vCard + `"}},"passport_no":"` + vPass + `"}`
	lines := `{"level":"info","user":{"email":"` + vEmail + `"}}` + "\n" + `{"level":"info","msg":"call","mobile":"` + vMobile + `"}` + "\n"
	rs, _ := scanFiles(t, Options{}, map[string][]byte{
		"api.json":     []byte(doc),
		"app.jsonl":    []byte(lines),
		"app.log":      []byte(lines), // JSON logs without a JSON name
		"broken.json":  []byte(`{"phone": "` + vMobile + `", oops`),
		"notjson.json": []byte("手机 " + vMobile + "\n"),
	})
	expect(t, rs,
		want{"api.json#$.users[0].idCard", pii.ResidentID, vID},
		want{"api.json#$.users[0].contact.phone", pii.Mobile, vMobile},
		want{"api.json#$.passport_no", pii.Passport, vPass},
		want{"app.jsonl#row=1,$.user.email", pii.Email, vEmail},
		want{"app.jsonl#row=2,$.mobile", pii.Mobile, vMobile},
		want{"app.log#row=2,$.mobile", pii.Mobile, vMobile},
		// Not JSON after all: read as text, nothing lost.
		want{"broken.json:1:12", pii.Mobile, vMobile},
		want{"notjson.json:1:4", pii.Mobile, vMobile},
	)
	// A key that is a phone number is itself a finding, and masked in paths.
	found := false
	for _, f := range result(rs, "api.json").Findings {
		found = found || f.Value == vMob2 && f.Type == pii.Mobile
	}
	if !found {
		t.Errorf("phone number used as a JSON key not reported")
	}
}

func TestScanMail(t *testing.T) {
	csv := scantest.GBK(t, "借款人,身份证号,手机\n李四,"+vID2+","+vMob2+"\n")
	inner := scantest.Zip(t, scantest.Member{Name: "docs/contract.txt", Data: []byte("持卡人卡号：" + vCard + "\n")})
	eml := scantest.Mail(t, "张三", vEmail, "support@example.com", "身份证 "+vID+" 的问题",
		"您好，我的手机是"+vMobile+"，请回电。\n", "<p>Card: <b>"+vCard+"</b></p>",
		scantest.Member{Name: "逾期名单.csv", Data: csv}, scantest.Member{Name: "合同.zip", Data: inner})
	mbox := "From someone@example.com Mon Jan  1 10:00:00 2024\n" + strings.ReplaceAll(string(eml), "\r\n", "\n") +
		"\nFrom other@example.com Mon Jan  1 11:00:00 2024\nFrom: a@example.com\nTo: b@example.com\nSubject: hi\n\n>From the desk of 王五, 手机 " + vMobile + "\n"
	rs, sum := scanFiles(t, Options{}, map[string][]byte{
		"case-1.eml":  eml,
		"saved-mail":  eml, // no extension: the header block says mail
		"inbox.mbox":  []byte(mbox),
		"support.txt": []byte("Subject: not mail\nhello " + vMobile + "\n"),
	})
	expect(t, rs,
		want{"case-1.eml#From", pii.Email, vEmail},
		want{"case-1.eml#Subject", pii.ResidentID, vID},
		want{"case-1.eml!/1.1:1:9", pii.Mobile, vMobile},
		want{"case-1.eml!/1.2:1:7", pii.BankCard, vCard},
		want{"case-1.eml!/2:逾期名单.csv#row=2,column=身份证号", pii.ResidentID, vID2},
		want{"case-1.eml!/2:逾期名单.csv#row=2,column=手机", pii.Mobile, vMob2},
		want{"case-1.eml!/3:合同.zip!/docs/contract.txt:1:7", pii.BankCard, vCard},
		want{"saved-mail#Subject", pii.ResidentID, vID},
		want{"inbox.mbox!/#1#From", pii.Email, vEmail},
		want{"inbox.mbox!/#1!/2:逾期名单.csv#row=2,column=手机", pii.Mobile, vMob2},
		want{"inbox.mbox!/#2!/1:1:25", pii.Mobile, vMobile},
	)
	for _, r := range rs {
		for _, f := range r.Findings {
			if strings.Contains(f.Value, "CAF123") {
				t.Errorf("Message-ID reported as %s", f.Type)
			}
		}
	}
	if sum.Failed != 0 {
		t.Errorf("%d parts failed", sum.Failed)
	}
	if r := result(rs, "support.txt"); r == nil || r.Format != "text" {
		t.Errorf("a text with one header-like line read as %+v", r)
	}
}

func TestScanOffice(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "身份证号", "联系电话", "银行卡号"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"欧阳娜娜", vID, 13812345678, vCard})
	x.NewSheet("Q1 名单")
	x.SetSheetRow("Q1 名单", "B3", &[]any{"手机 " + vMob2})
	var xb bytes.Buffer
	if err := x.Write(&xb); err != nil {
		t.Fatal(err)
	}
	rs, _ := scanFiles(t, Options{}, map[string][]byte{
		"borrowers.xlsx": xb.Bytes(),
		"letter.docx":    scantest.Docx(t, "Zhang San", "尊敬的客户：", "您的身份证号码 "+vID+" 已登记，", "请拨打 "+vMobile+"。"),
		"notes.odt":      scantest.ODT(t, "会议记录", "客户手机："+vMob2),
		"report.pdf":     scantest.PDF(t, "手机13987654321", "Customer phone: "+vMobile, "Card: "+vCard),
	})
	expect(t, rs,
		want{"borrowers.xlsx#Sheet1!B2", pii.ResidentID, vID},
		want{"borrowers.xlsx#Sheet1!C2", pii.Mobile, vMobile},
		want{"borrowers.xlsx#Sheet1!D2", pii.BankCard, vCard},
		want{"borrowers.xlsx#'Q1 名单'!B3", pii.Mobile, vMob2},
		want{"letter.docx!/word/document.xml:2:9", pii.ResidentID, vID},
		want{"letter.docx!/word/document.xml:3:5", pii.Mobile, vMobile},
		want{"notes.odt!/content.xml:2:6", pii.Mobile, vMob2},
		want{"report.pdf#page=1:2:17", pii.Mobile, vMobile},
		want{"report.pdf#page=2:2:7", pii.BankCard, vCard},
		want{"report.pdf#page=3:2:3", pii.Mobile, vMob2},
	)
	if r := result(rs, "letter.docx!/docProps/core.xml"); r == nil || r.Format != "properties" || r.Err != nil {
		t.Errorf("document properties not read: %+v", r)
	}
}

func TestScanArchives(t *testing.T) {
	inner := scantest.Zip(t, scantest.Member{Name: "deep/c.csv", Data: []byte("phone\n" + vMobile + "\n")})
	zipped := scantest.Zip(t,
		scantest.Member{Name: "a/b.txt", Data: []byte("身份证 " + vID + "\n")},
		scantest.Member{Name: "../../etc/evil\n.txt", Data: []byte("手机 " + vMob2 + "\n")},
		scantest.Member{Name: "img/logo.png", Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		scantest.Member{Name: "inner.zip", Data: inner},
	)
	rs, sum := scanFiles(t, Options{}, map[string][]byte{
		"export.zip":    zipped,
		"backup.tar.gz": scantest.TarGz(t, scantest.Member{Name: "db/dump.sql", Data: []byte("INSERT INTO t VALUES ('" + vEmail + "');\n")}),
		"corrupt.zip":   zipped[:len(zipped)/2],
		"corrupt.xlsx":  scantest.Zip(t, scantest.Member{Name: "xl/workbook.xml", Data: []byte("<not xml")}),
		"corrupt.pdf":   []byte("%PDF-1.4\n1 0 obj <<\ntrailer garbage"),
		"after.txt":     []byte("手机 " + vMobile + "\n"),
	})
	expect(t, rs,
		want{"export.zip!/a/b.txt:1:5", pii.ResidentID, vID},
		want{`export.zip!/../../etc/evil\n.txt:1:4`, pii.Mobile, vMob2},
		want{"export.zip!/inner.zip!/deep/c.csv#row=2,column=phone", pii.Mobile, vMobile},
		want{"backup.tar.gz!/db/dump.sql:1:24", pii.Email, vEmail},
		want{"after.txt:1:4", pii.Mobile, vMobile},
	)
	if r := result(rs, "export.zip!/img/logo.png"); r == nil || r.Skipped != "binary (image/png)" {
		t.Errorf("binary member: %+v", r)
	}
	for _, name := range []string{"corrupt.zip", "corrupt.xlsx", "corrupt.pdf"} {
		if r := result(rs, name); r == nil || r.Err == nil {
			t.Errorf("%s: no error: %+v", name, r)
		}
	}
	if sum.Failed != 3 || sum.Skipped["binary (image/png)"] != 1 {
		t.Errorf("summary: %d failed, skipped %v", sum.Failed, sum.Skipped)
	}
}

func TestScanBombLimits(t *testing.T) {
	ratio := scantest.Zip(t, scantest.Member{Name: "zeros.txt", Data: bytes.Repeat([]byte("a"), 8<<20)})
	nested := scantest.Zip(t, scantest.Member{Name: "x.txt", Data: []byte("手机 " + vMobile)})
	for range 4 {
		nested = scantest.Zip(t, scantest.Member{Name: "n.zip", Data: nested})
	}
	var many []scantest.Member
	for i := range 50 {
		many = append(many, scantest.Member{Name: strings.Repeat("d/", i%3) + "f" + string(rune('a'+i%26)) + ".txt", Data: []byte("x")})
	}
	lim := Limits{MaxDepth: 3, MaxEntries: 20, RatioFloor: 1 << 20, MaxRatio: 100}
	rs, _ := scanFiles(t, Options{Limits: lim}, map[string][]byte{
		"ratio.zip":  ratio,
		"nested.zip": nested,
		"many.zip":   scantest.Zip(t, many...),
		"ok.txt":     []byte("手机 " + vMobile + "\n"),
	})
	for name, part := range map[string]string{"ratio.zip": "zeros.txt", "nested.zip": "n.zip!/n.zip!/n.zip", "many.zip": ""} {
		r := result(rs, name+map[bool]string{true: "!/" + part, false: ""}[part != ""])
		if r == nil || !errors.Is(r.Err, ErrLimit) {
			t.Errorf("%s %s: want a limit error, got %+v", name, part, r)
		}
	}
	expect(t, rs, want{"ok.txt:1:4", pii.Mobile, vMobile})
}

// TestScanNeverPrintsRawValues runs the writers over every format without
// Values: no planted value may appear.
func TestScanNeverPrintsRawValues(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("身份证号,手机\n"+vID+","+vMobile+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"`+vMob2+`":{"card":"`+vCard+`"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "c.eml"), scantest.Mail(t, "张三", vEmail, "x@example.com", "hi", vMobile, "<p>"+vID+"</p>"), 0o644)
	for _, format := range Formats() {
		out, sum := render(t, format, []string{dir}, Options{})
		for _, v := range []string{vID, vMobile, vMob2, vCard, vEmail} {
			if strings.Contains(out, v) {
				t.Errorf("%s output holds a raw value", format)
			}
		}
		if format == "json" && !strings.Contains(out, `139****4321\"].card`) {
			t.Errorf("a JSON key holding a phone number is not masked in paths")
		}
		if sum.Findings < 6 {
			t.Errorf("%s: %d findings", format, sum.Findings)
		}
	}
}

// TestScanSniffsDelimitedText checks that CSV and TSV exports saved under
// another name (.txt, .dat, .log, .bak, none) are read as tables, headers as
// context, and that text which only looks a little like a table is not.
func TestScanSniffsDelimitedText(t *testing.T) {
	const vPlate = "京A12345"
	csvText := "姓名,身份证号,手机,车牌\n慕容琳," + vID + "," + vMobile + "," + vPlate + "\n王芳," + vID2 + "," + vMob2 + ",\n"
	tsvText := "name\tphone\tidCard\tpassportNo\nZhang Wei\t" + vMobile + "\t" + vID + "\t" + vPass + "\n"
	semiText := "\ufeffxm;sfzh;lxdh\n王芳;" + vID2 + ";" + vMobile + "\n李雷;" + vID + ";" + vMob2 + "\n"
	// Quoted cells with the delimiter and a line break inside.
	quoted := "客户,手机号码,备注\n\"张伟\"," + vMobile + ",\"一,二\n三\"\n\"李娜\"," + vMob2 + ",无\n"
	rs, _ := scanFiles(t, Options{}, map[string][]byte{
		"export.txt":  []byte(csvText),
		"export.dat":  []byte(csvText),
		"export":      []byte(csvText),
		"export.bak":  scantest.GBK(t, csvText),
		"people.log":  []byte(tsvText),
		"semi.1":      []byte(semiText),
		"quoted.txt":  []byte(quoted),
		"prose.txt":   []byte("我们联系了客户，他说：好的。\nYes, we did, and then, later, we called.\nNo.\n"),
		"kv.txt":      []byte("姓名：王芳\n手机：" + vMobile + "\n"),
		"onerow.dat":  []byte("a,b,c\n"),
		"access.log":  []byte("1.2.3.4 - - [05/Dec/2026:10:00:00 +0800] \"GET / HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n5.6.7.8 - - [05/Dec/2026:10:00:01 +0800] \"GET /a HTTP/1.1\" 200 5 \"-\" \"curl/8.0\"\n"),
		"markup.txt":  []byte("<p>a,b</p>\n<p>c,d</p>\n"),
		"jsonish.dat": []byte("{\"phone\":\"" + vMobile + "\"}\n"),
	})
	for _, name := range []string{"export.txt", "export.dat", "export", "export.bak"} {
		expect(t, rs,
			want{name + "#row=2,column=身份证号", pii.ResidentID, vID},
			want{name + "#row=2,column=手机", pii.Mobile, vMobile},
			want{name + "#row=2,column=车牌", pii.Plate, vPlate},
			want{name + "#row=2,column=姓名", pii.PersonName, "慕容琳"},
		)
	}
	expect(t, rs,
		want{"people.log#row=2,column=passportNo", pii.Passport, vPass},
		want{"people.log#row=2,column=phone", pii.Mobile, vMobile},
		want{"semi.1#row=3,column=sfzh", pii.ResidentID, vID},
		want{"quoted.txt#row=3,column=手机号码", pii.Mobile, vMob2},
	)
	formats := map[string]string{
		"export.txt": "csv", "export.dat": "csv", "export": "csv", "export.bak": "csv", "people.log": "tsv",
		"semi.1": "csv", "quoted.txt": "csv",
		"prose.txt": "text", "kv.txt": "text", "onerow.dat": "text", "access.log": "text", "markup.txt": "text",
		"jsonish.dat": "json",
	}
	for name, f := range formats {
		if r := result(rs, name); r == nil || r.Format != f {
			got := "no result"
			if r != nil {
				got = r.Format
			}
			t.Errorf("%s read as %s, want %s", name, got, f)
		}
	}
}
