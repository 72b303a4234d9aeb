package independent

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// layout is one way of writing a document kind.
type layout struct {
	name, ext string
	n         int
	gen       func(r R, d *Doc)
}

// Kinds lists the document kinds, their layouts and how many of each a seed
// generates (about 520 files in all).
func Kinds() map[string][]layout {
	return map[string][]layout{
		"collection_list": {
			{"list", ".txt", 20, R.collectionBlocks}, {"export", ".csv", 10, R.collectionCSV},
			{"table", ".txt", 8, R.collectionTable}, {"phonebook", ".txt", 4, R.phonebook},
			{"book", ".xlsx", 4, R.collectionXLSX},
		},
		"overdue_notice":   {{"notice", ".txt", 25, R.overdueNotice}, {"sms", ".csv", 15, R.smsLog}},
		"loan_application": {{"apply", ".txt", 35, R.loanApplication}},
		"kyc_form":         {{"kyc", ".txt", 30, R.kycForm}, {"visa", ".txt", 12, R.visaList}},
		"hr_payroll":       {{"roster", ".csv", 25, R.hrRoster}},
		"support_email":    {{"mail", ".eml", 45, R.supportMail}},
		"crm_export":       {{"crm", ".csv", 30, R.crmCSV}},
		"json_dump":        {{"api", ".json", 30, R.jsonDump}},
		"forum_chat":       {{"post", ".txt", 25, R.forumPost}, {"chat", ".txt", 15, R.chatLog}},
		"court_notice":     {{"court", ".txt", 35, R.courtNotice}},
		"news":             {{"news", ".txt", 30, R.news}},
		"html_page":        {{"page", ".html", 30, R.htmlPage}},
		"intl_form":        {{"form", ".txt", 30, R.intlForm}, {"customers", ".csv", 8, R.euCustomers}, {"payroll", ".csv", 8, R.usPayroll}},
		"intl_email":       {{"mail", ".eml", 25, R.intlMail}},
		"access_log":       {{"access", ".log", 15, R.accessLog}},
		"business_doc":     {{"doc", ".txt", 35, R.businessDoc}},
	}
}

// Manifest summarises a generated corpus.
type Manifest struct {
	Seed      uint64         `json:"seed"`
	Files     int            `json:"files"`
	Bytes     int64          `json:"bytes"`
	Positives map[string]int `json:"positives"` // distinct (file, type, value)
	Negatives map[string]int `json:"negatives"` // distinct (file, family, value)
	Neutral   int            `json:"neutral"`
	Kinds     map[string]int `json:"kinds"`
}

// Generate writes the corpus of a seed under dir: dir/docs/<kind>/<file> and
// dir/truth.jsonl, dir/manifest.json.
func Generate(seed uint64, dir string) (Manifest, error) {
	m := Manifest{Seed: seed, Positives: map[string]int{}, Negatives: map[string]int{}, Kinds: map[string]int{}}
	if err := os.RemoveAll(filepath.Join(dir, "docs")); err != nil {
		return m, err
	}
	kinds := Kinds()
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	var truth bytes.Buffer
	enc := json.NewEncoder(&truth)
	enc.SetEscapeHTML(false)
	seen := map[string]bool{}
	stream := uint64(0)
	for _, kind := range names {
		for _, l := range kinds[kind] {
			for i := 0; i < l.n; i++ {
				stream++
				r := NewR(seed, stream)
				d := &Doc{Kind: kind, Name: fmt.Sprintf("%s/%s-%03d%s", kind, l.name, i+1, l.ext)}
				l.gen(r, d)
				extraForm := ""
				switch {
				case l.ext == ".txt" && r.Chance(0.12):
					d.Encode = gbk
					extraForm = "gbk_file"
				case l.ext != ".xlsx" && r.Chance(0.05):
					d.Name = strings.TrimSuffix(d.Name, l.ext) + Pick(r, []string{"", ".bak", ".dat", ".1"})
					extraForm = "odd_extension"
				}
				b := d.Bytes()
				p := filepath.Join(dir, "docs", filepath.FromSlash(d.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					return m, err
				}
				if err := os.WriteFile(p, b, 0o644); err != nil {
					return m, err
				}
				m.Files++
				m.Bytes += int64(len(b))
				m.Kinds[kind]++
				for _, it := range d.Items() {
					if extraForm != "" {
						it.Forms = append(it.Forms, extraForm)
					}
					it.File = "docs/" + it.File
					if err := enc.Encode(it); err != nil {
						return m, err
					}
					key := it.File + "\x00" + it.Role + it.Type + it.Family + "\x00" + it.Value
					if seen[key] {
						continue
					}
					seen[key] = true
					switch it.Role {
					case Pos:
						m.Positives[it.Type]++
					case Neg:
						m.Negatives[it.Family]++
					default:
						m.Neutral++
					}
				}
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "truth.jsonl"), truth.Bytes(), 0o644); err != nil {
		return m, err
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	return m, os.WriteFile(filepath.Join(dir, "manifest.json"), append(mb, '\n'), 0o644)
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		return []byte(s)
	}
	return b
}

// collectionXLSX: the contact list as a workbook, the way it is passed
// around by collection agencies (first row headers, a second sheet of contacts).
func (r R) collectionXLSX(d *Doc) {
	f := excelize.NewFile()
	defer f.Close()
	main := "逾期名单"
	f.SetSheetName("Sheet1", main)
	heads := []string{"序号", "借款人", "身份证号", "手机", "逾期天数", "欠款金额", "户籍地址"}
	for i, h := range heads {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(main, cell, h)
	}
	f.NewSheet("联系人")
	for i, h := range []string{"借款人", "联系人", "关系", "联系电话"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr("联系人", cell, h)
	}
	set := func(sheet string, col, row int, v V) {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		f.SetCellStr(sheet, cell, v.surface())
		d.Label(v)
	}
	crow := 2
	for i := 0; i < r.Between(10, 30); i++ {
		b := r.borrower(r.Between(1, 3))
		row := i + 2
		set(main, 1, row, Txt(strconv.Itoa(i+1)))
		set(main, 2, row, NameV(b.Person, "xlsx_cell"))
		set(main, 3, row, P("cn_resident_id", b.ID))
		set(main, 4, row, P("cn_mobile", b.Mobile))
		set(main, 5, row, Txt(strconv.Itoa(b.days)))
		set(main, 6, row, Txt(b.owed))
		set(main, 7, row, b.addr)
		for _, c := range b.conts {
			set("联系人", 1, crow, NameV(b.Person, "xlsx_cell"))
			set("联系人", 2, crow, NameV(c.p, "xlsx_cell"))
			set("联系人", 3, crow, Txt(c.rel))
			set("联系人", 4, crow, P("cn_mobile", c.p.Mobile))
			crow++
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		panic(err) // an in-memory workbook cannot fail to write
	}
	d.Raw = buf.Bytes()
}
