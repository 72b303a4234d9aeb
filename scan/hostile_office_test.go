package scan

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// Hostile office documents: spreadsheets that cost more memory than their
// limits say, and values kept where a text extractor does not look.

// replaceMember returns zip z with member name set to data (added when
// missing).
func replaceMember(t testing.TB, z []byte, name string, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	done := false
	for _, f := range zr.File {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if f.Name == name {
			w.Write(data)
			done = true
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	if !done {
		method := zip.Deflate
		if strings.HasSuffix(name, ".bin") {
			method = zip.Store // noise: nothing to gain, much time to lose
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
		w.Write(data)
	}
	zw.Close()
	return b.Bytes()
}

func xlsxBytes(t testing.TB, x *excelize.File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHostileXLSXMemory(t *testing.T) {
	x := excelize.NewFile()
	x.SetCellValue("Sheet1", "A1", "seed")
	base := xlsxBytes(t, x)
	var sst bytes.Buffer
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for i := range 200_000 {
		fmt.Fprintf(&sst, "<si><t>s%d</t></si>", i)
	}
	sst.WriteString("</sst>")
	cases := map[string][]byte{
		// 200,000 shared strings, 4 MiB of XML: excelize holds about 20
		// bytes for each byte of it (a million took 433 MiB).
		"sst.xlsx": replaceMember(t, base, "xl/sharedStrings.xml", sst.Bytes()),
		// A workbook larger than MaxPart (a stored 40 MiB member):
		// excelize reads the whole file into memory first.
		"big.xlsx": replaceMember(t, base, "xl/media/image1.bin", noise(34<<20)),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			var rs []*FileResult
			peak := scantest.PeakHeap(func() { rs = scanOne(t, name, data, Limits{MaxPart: 32 << 20}) })
			t.Logf("peak heap %d MiB", peak>>20)
			if peak > 96<<20 {
				t.Errorf("peak heap %d MiB with MaxPart 32 MiB", peak>>20)
			}
			if !failedWith(rs, ErrLimit) {
				t.Errorf("no limit error")
			}
		})
	}
}

// TestHostileXLSXHiddenPlaces plants values in a hidden sheet, a cell
// comment, custom document properties, a defined name and a sheet's name,
// and makes a cell reference that excelize quotes in its errors.
func TestHostileXLSXHiddenPlaces(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"备注"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"ok"})
	x.NewSheet("Hidden")
	x.SetCellValue("Hidden", "B2", "手机 "+vMobile)
	x.SetSheetVisible("Hidden", false)
	x.AddComment("Sheet1", excelize.Comment{Cell: "A2", Author: "Reviewer", Paragraph: []excelize.RichTextRun{{Text: "客户身份证 " + vID}}})
	x.SetCustomProps(excelize.CustomProperty{Name: "CustomerEmail", Value: vEmail})
	x.SetDefinedName(&excelize.DefinedName{Name: "card", RefersTo: `"` + vCard + `"`})
	x.NewSheet("张三 " + vMob2[:7])
	rs, _ := scanFiles(t, Options{}, map[string][]byte{"book.xlsx": xlsxBytes(t, x)})
	expectFound(t, rs,
		planted{pii.Mobile, vMobile, "a hidden sheet"},
		planted{pii.ResidentID, vID, "a cell comment"},
		planted{pii.Email, vEmail, "a custom property"},
		planted{pii.BankCard, vCard, "a defined name"},
	)
	// A cell reference holding a phone number: the error must not quote it.
	bad := replaceMember(t, xlsxBytes(t, excelize.NewFile()), "xl/worksheets/sheet1.xml",
		[]byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="ZZZ`+vMobile+`" t="str"><v>x</v></c></row></sheetData></worksheet>`))
	out, _ := render(t, "json", []string{writeTemp(t, "bad.xlsx", bad)}, Options{})
	if strings.Contains(out, vMobile) {
		t.Errorf("an XLSX error quotes a cell reference holding a value")
	}
}

// TestHostileDocxHiddenPlaces plants values in tracked deletions, a field
// code, an image's alt text, a hyperlink target, the list of people who
// edited, custom properties and an embedded spreadsheet.
func TestHostileDocxHiddenPlaces(t *testing.T) {
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "手机"})
	x.SetSheetRow("Sheet1", "A2", &[]any{"王芳", vMob2})
	doc := `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>` +
		`<w:p><w:r><w:t>合同</w:t></w:r></w:p>` +
		`<w:p><w:del w:id="1" w:author="Li"><w:r><w:delText>身份证 ` + vID + `</w:delText></w:r></w:del></w:p>` +
		`<w:p><w:r><w:instrText> HYPERLINK "mailto:` + vEmail + `" </w:instrText></w:r></w:p>` +
		`<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="客户手机 ` + vMobile + `"/></wp:inline></w:drawing></w:r></w:p>` +
		`</w:body></w:document>`
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="mailto:li.si@example.com" TargetMode="External"/></Relationships>`
	people := `<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"><w15:person w15:author="` + vEmail2 + `"/></w15:people>`
	custom := `<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property name="IDCard" fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2"><vt:lpwstr>` + vID2 + `</vt:lpwstr></property></Properties>`
	d := scantest.Zip(t, scantest.Member{Name: "[Content_Types].xml", Data: []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)},
		scantest.Member{Name: "word/document.xml", Data: []byte(doc)},
		scantest.Member{Name: "word/_rels/document.xml.rels", Data: []byte(rels)},
		scantest.Member{Name: "word/people.xml", Data: []byte(people)},
		scantest.Member{Name: "docProps/custom.xml", Data: []byte(custom)},
		scantest.Member{Name: "word/embeddings/Microsoft_Excel_Worksheet.xlsx", Data: xlsxBytes(t, x)})
	rs, _ := scanFiles(t, Options{}, map[string][]byte{"contract.docx": d})
	expectFound(t, rs,
		planted{pii.ResidentID, vID, "a tracked deletion"},
		planted{pii.Email, vEmail, "a field code"},
		planted{pii.Mobile, vMobile, "alt text"},
		planted{pii.Email, "li.si@example.com", "a hyperlink target"},
		planted{pii.Email, vEmail2, "the list of editors"},
		planted{pii.ResidentID, vID2, "a custom property"},
		planted{pii.Mobile, vMob2, "an embedded spreadsheet"},
	)
}

const vEmail2 = "wang.fang@example.org"

// writeTemp writes data to a new file and returns its path.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := t.TempDir() + "/" + name
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// noise is n bytes that do not compress.
func noise(n int) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{3, 4}).Read(b)
	return b
}
