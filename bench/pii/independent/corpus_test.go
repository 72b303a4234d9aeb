package independent

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func generate(t *testing.T, seed uint64) (string, []Item, Manifest) {
	t.Helper()
	dir := t.TempDir()
	m, err := Generate(seed, dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	items, err := ReadTruth(f)
	if err != nil {
		t.Fatal(err)
	}
	return dir, items, m
}

func TestCorpusIsDeterministicAndLargeEnough(t *testing.T) {
	dir1, items1, m := generate(t, 1)
	dir2, items2, _ := generate(t, 1)
	_, items3, _ := generate(t, 2)
	if digest(t, dir1) != digest(t, dir2) || len(items1) != len(items2) {
		t.Fatal("seed 1 generated twice differs")
	}
	if fmt.Sprint(items1[:50]) == fmt.Sprint(items3[:50]) {
		t.Fatal("seeds 1 and 2 generate the same labels")
	}
	neg := 0
	for _, n := range m.Negatives {
		neg += n
	}
	if m.Files < 400 || m.Files > 700 || neg < 2000 || len(m.Kinds) < 10 {
		t.Fatalf("corpus size: %d files, %d hard negatives, %d kinds", m.Files, neg, len(m.Kinds))
	}
	for _, typ := range []string{"person_name", "cn_mobile", "cn_resident_id", "bank_card", "email", "address", "iban", "us_ssn", "cn_passport", "ip_address"} {
		if m.Positives[typ] < 50 {
			t.Errorf("only %d values of %s", m.Positives[typ], typ)
		}
	}
}

func digest(t *testing.T, dir string) string {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		fmt.Fprintf(h, "%s %x\n", strings.TrimPrefix(p, dir), sha256.Sum256(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestEveryLabelIsInItsFile decodes each file the way a reader would (MIME,
// GBK, XLSX cells, JSON escapes, HTML entities) with libraries this package
// does not use to write them, and checks that every labelled value is there.
func TestEveryLabelIsInItsFile(t *testing.T) {
	dir, items, _ := generate(t, 1)
	text := map[string]string{}
	skip := map[string]bool{"html_split": true, "obfuscated": true}
	missing := 0
	for _, it := range items {
		if anyForm(it.Forms, skip) {
			continue
		}
		s, ok := text[it.File]
		if !ok {
			s = Loose(decodeFile(t, filepath.Join(dir, it.File), it))
			text[it.File] = s
		}
		want := Loose(it.Value)
		if it.Type == "cn_landline" && anyForm(it.Forms, map[string]bool{"plus86": true}) {
			want = want[1:] // +86 755 ... drops the trunk 0
		}
		if !strings.Contains(s, want) {
			missing++
			if missing <= 5 {
				t.Errorf("%s: %s %s%s %s not in the decoded file", it.File, it.Role, it.Type, it.Family, MaskTyped(it.Type, it.Value))
			}
		}
	}
	if missing > 0 {
		t.Errorf("%d labels not found in their files", missing)
	}
}

func anyForm(forms []string, set map[string]bool) bool {
	for _, f := range forms {
		if set[f] {
			return true
		}
	}
	return false
}

var uEscape = regexp.MustCompile(`\\u[0-9a-f]{4}`)

func decodeFile(t *testing.T, path string, it Item) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case bytes.HasPrefix(b, []byte("PK")):
		return xlsxText(t, path)
	case it.Kind == "support_email" || it.Kind == "intl_email":
		return mailText(t, b)
	case anyForm(it.Forms, map[string]bool{"gbk_file": true}) || strings.Contains(path, "-gbk."):
		u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatal(err)
		}
		b = u
	}
	s := uEscape.ReplaceAllStringFunc(string(b), func(e string) string {
		n, _ := strconv.ParseUint(e[2:], 16, 16)
		return string(utf16.Decode([]uint16{uint16(n)}))
	})
	return html.UnescapeString(s)
}

func xlsxText(t *testing.T, path string) string {
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return b.String()
}

func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	if strings.EqualFold(charset, "gbk") || strings.EqualFold(charset, "gb18030") {
		return simplifiedchinese.GB18030.NewDecoder().Reader(in), nil
	}
	return in, nil
}

func mailText(t *testing.T, raw []byte) string {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := mime.WordDecoder{CharsetReader: charsetReader}
	var b strings.Builder
	for k, vs := range msg.Header {
		for _, v := range vs {
			d, err := dec.DecodeHeader(v)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(k + ": " + d + "\n")
		}
	}
	part := func(h map[string][]string, body io.Reader) {
		get := func(k string) string {
			if v := h[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		switch strings.ToLower(get("Content-Transfer-Encoding")) {
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		}
		_, params, _ := mime.ParseMediaType(get("Content-Type"))
		r, _ := charsetReader(params["charset"], body)
		data, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(html.UnescapeString(string(data)) + "\n")
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mt, "multipart/") {
		part(msg.Header, msg.Body)
		return b.String()
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		part(p.Header, p)
	}
	return b.String()
}
