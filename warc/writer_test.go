package warc

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

const cleanPage = `<html><head><title>Library</title></head><body><p>The city library opens at nine.</p></body></html>`

func page(u, body string) *scruple.Record {
	s := sha256.Sum256([]byte(body))
	return &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: time.Now(),
		ContentType: "text/html", Text: "The city library opens at nine.", Title: "Library",
		Digest: hex.EncodeToString(s[:]), Size: int64(len(body))}
}

func allRecords(t testing.TB, dir string) []RecordInfo {
	t.Helper()
	files, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []RecordInfo
	for _, f := range files {
		probs, err := Check(filepath.Join(dir, f), func(ri RecordInfo) { out = append(out, ri) })
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range probs {
			t.Errorf("%s at %d: %s", f, p.Offset, p.Message)
		}
	}
	return out
}

func TestCleanPageIsRequestAndResponse(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	u := "http://library.test:8080/p/1.html"
	rec := page(u, cleanPage)
	ref, err := w.Capture(Capture{Record: rec, Exchange: exchange(u, cleanPage, "text/html; charset=utf-8"), Decider: testDecider()})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Type != TypeResponse || ref.Offset == 0 || ref.Length == 0 || !strings.HasPrefix(ref.RecordID, "<urn:uuid:") {
		t.Fatalf("ref = %+v", ref)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	recs := allRecords(t, dir)
	var types []string
	for _, r := range recs {
		types = append(types, r.Type)
	}
	if !slices.Equal(types, []string{TypeWarcinfo, TypeRequest, TypeResponse}) {
		t.Fatalf("records %v", types)
	}
	if got, want := recs[2].Payload, "sha256:"+rec.Digest; got != want {
		t.Errorf("payload digest %s, want the record's raw digest %s", got, want)
	}
	if recs[2].RecordID != ref.RecordID || recs[2].Offset != ref.Offset || recs[2].Length != ref.Length {
		t.Errorf("ref %+v does not locate %+v", ref, recs[2])
	}
	typ, id, err := ReadRecord(filepath.Join(dir, ref.File), ref.Offset)
	if err != nil || typ != TypeResponse || id != ref.RecordID {
		t.Errorf("ReadRecord = %s %s %v", typ, id, err)
	}
	all := string(decompressed(t, dir))
	for _, want := range []string{"WARC/1.1\r\n", "robots.txt: obeyed, RFC 9309", "operator: Test Operator",
		"policy-hash: policy-hash", "purpose: testing", "software: scruple/test", "WARC-IP-Address: 127.0.0.2",
		"WARC-Concurrent-To: " + recs[1].RecordID, "GET /p/1.html HTTP/1.1\r\nHost: shop.test:8080\r\n"} {
		if !strings.Contains(all, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
	idx, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	wantLine := "test,library:8080)/p/1.html "
	if !strings.HasPrefix(string(idx), wantLine) || !strings.Contains(string(idx), `"status":"200","digest":"`+rec.Digest+`"`) {
		t.Errorf("index:\n%s", idx)
	}
}

func TestDecodedBodyRenamesStaleHeaders(t *testing.T) {
	ex := exchange("http://a.test/", "hello", "text/plain")
	ex.Header.Set("Content-Encoding", "gzip")
	ex.Header.Set("Content-Length", "31")
	ex.Header.Set("Etag", `"x"`)
	head := string(responseHead(ex))
	for _, want := range []string{"X-Crawler-Content-Encoding: gzip\r\n", "X-Crawler-Content-Length: 31\r\n", "Content-Length: 5\r\n", "Etag: \"x\"\r\n"} {
		if !strings.Contains(head, want) {
			t.Errorf("head lacks %q:\n%s", want, head)
		}
	}
	if strings.Contains(head, "\r\nContent-Encoding:") {
		t.Errorf("Content-Encoding kept on a decoded body:\n%s", head)
	}
}

func TestDuplicateBodyIsRevisit(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	d := testDecider()
	var refs []*Ref
	for _, u := range []string{"http://a.test/dup/a.html", "http://a.test/dup/b.html"} {
		ref, err := w.Capture(Capture{Record: page(u, cleanPage), Exchange: exchange(u, cleanPage, "text/html"), Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if refs[0].Type != TypeResponse || refs[1].Type != TypeRevisit {
		t.Fatalf("types %s %s", refs[0].Type, refs[1].Type)
	}
	w.Close()
	// A new writer on the same directory remembers the archived payload.
	w2 := openTest(t, dir, 0)
	ref, err := w2.Capture(Capture{Record: page("http://a.test/dup/c.html", cleanPage), Exchange: exchange("http://a.test/dup/c.html", cleanPage, "text/html"), Decider: d})
	if err != nil || ref.Type != TypeRevisit {
		t.Fatalf("after reopening: %+v %v", ref, err)
	}
	w2.Close()
	all := string(decompressed(t, dir))
	if !strings.Contains(all, "WARC-Refers-To: "+refs[0].RecordID) || !strings.Contains(all, "WARC-Profile: "+RevisitProfile) ||
		!strings.Contains(all, "WARC-Refers-To-Target-URI: http://a.test/dup/a.html") {
		t.Error("revisit does not name its original")
	}
	allRecords(t, dir)
	files, _ := Files(dir)
	if len(files) != 2 {
		t.Errorf("%d files; a reopened writer must start a new file", len(files))
	}
}

func TestRefusalsAreMetadataOnly(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	d := testDecider()
	cases := []*scruple.Record{
		{URL: "http://a.test/private/1", Kind: scruple.KindDisallowed, Reason: "robots.txt: Disallow: /private/",
			Robots: &scruple.RobotsVerdict{URL: "http://a.test/robots.txt", Rule: "Disallow: /private/", Digest: strings.Repeat("ab", 32)}},
		{URL: "http://a.test/account", Kind: scruple.KindNonPublic, Status: 200, Reason: "login form"},
		{URL: "http://a.test/cal/2099", Kind: "trap", Reason: "calendar trap"},
		{URL: "http://a.test/x", Kind: "deferred", Reason: "robots.txt unavailable"},
	}
	for _, r := range cases {
		r.FetchedAt = time.Now()
		var ex *Exchange
		if r.Status > 0 {
			ex = exchange(r.URL, `<form><input type=password></form>`+plantPhone, "text/html")
		}
		ref, err := w.Capture(Capture{Record: r, Exchange: ex, Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		if ref.Type != TypeMetadata {
			t.Errorf("%s: %s record", r.Kind, ref.Type)
		}
	}
	w.Close()
	all := string(decompressed(t, dir))
	for _, want := range []string{"reason: robots.txt: Disallow: /private/", "scruple-record-kind: nonpublic", "reason: calendar trap",
		"scruple-record-kind: deferred", "robots-digest: sha256:abab"} {
		if !strings.Contains(all, want) {
			t.Errorf("archive lacks %q", want)
		}
	}
	for _, r := range allRecords(t, dir) {
		if r.Type == TypeResponse || r.Type == TypeConversion {
			t.Errorf("a refusal archived a %s record", r.Type)
		}
	}
	assertNoPlanted(t, dir, plantPhone)
}

// TestConsentValuesNeverArchived: a value the store keeps under a consent
// is masked in the conversion record, and the page has no raw response.
func TestConsentValuesNeverArchived(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	u := "http://a.test/people/contact.html"
	text := "联系人手机：" + plantPhone + "，备用 [cn_mobile]。"
	start := strings.Index(text, plantPhone)
	red := strings.Index(text, "[cn_mobile]")
	rec := page(u, "<p>"+text+"</p>")
	rec.Text = text
	rec.Findings = []scruple.Finding{
		{Type: "cn_mobile", Start: start, End: start + len(plantPhone), Action: "keep", Consent: "c-1", Subject: "hmac"},
		{Type: "cn_mobile", Start: red, End: red + len("[cn_mobile]"), Action: "redact"},
	}
	ref, err := w.Capture(Capture{Record: rec, Exchange: exchange(u, "<p>"+text+"</p>", "text/html"), Decider: testDecider()})
	if err != nil {
		t.Fatal(err)
	}
	if ref.Type != TypeConversion {
		t.Fatalf("principal %s", ref.Type)
	}
	w.Close()
	all := string(decompressed(t, dir))
	if !strings.Contains(all, "联系人手机：[cn_mobile]，备用 [cn_mobile]。") {
		t.Error("conversion record does not hold the masked text")
	}
	if !strings.Contains(all, `"consent":"c-1","withheld":true`) {
		t.Error("metadata does not say the kept value was withheld")
	}
	var types []string
	for _, r := range allRecords(t, dir) {
		types = append(types, r.Type)
	}
	if !slices.Equal(types, []string{TypeWarcinfo, TypeRequest, TypeConversion, TypeMetadata}) {
		t.Errorf("records %v", types)
	}
	assertNoPlanted(t, dir, plantPhone)
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 4<<10)
	d := testDecider()
	body := strings.Repeat("<p>The city library opens at nine. Garden museum bridge.</p>\n", 40)
	for i := range 12 {
		u := "http://a.test/p/" + itoa(i) + ".html"
		b := body + itoa(i)
		if _, err := w.Capture(Capture{Record: page(u, b), Exchange: exchange(u, b, "text/html"), Decider: d}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := Files(dir)
	if len(files) < 3 {
		t.Fatalf("%d files, want rotation", len(files))
	}
	recs := allRecords(t, dir)
	infos := 0
	for _, r := range recs {
		if r.Type == TypeWarcinfo {
			if r.Offset != 0 {
				t.Error("warcinfo not first in its file")
			}
			infos++
		}
	}
	if infos != len(files) {
		t.Errorf("%d warcinfo records in %d files", infos, len(files))
	}
	idx, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	lines := strings.Split(strings.TrimSpace(string(idx)), "\n")
	if len(lines) != 12 || !slices.IsSorted(lines) {
		t.Errorf("index has %d lines (sorted %v)", len(lines), slices.IsSorted(lines))
	}
}

// TestRecoverTornTail simulates a kill -9 in the middle of a write: the
// open file's last member is cut short and its lock released. Open cuts the
// torn member off, renames the file, indexes it and starts a new file.
func TestRecoverTornTail(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	d := testDecider()
	var refs []*Ref
	for i := range 3 {
		u := "http://a.test/p/" + itoa(i) + ".html"
		ref, err := w.Capture(Capture{Record: page(u, cleanPage+itoa(i)), Exchange: exchange(u, cleanPage+itoa(i), "text/html"), Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	w.Sync()
	// The kill: half of one more member reaches the file, the process (and
	// its lock) is gone.
	u := "http://a.test/p/torn.html"
	drafts, _, _ := w.plan(Capture{Record: page(u, cleanPage), Exchange: exchange(u, cleanPage, "text/html"), Decider: d})
	b, _ := w.build(drafts)
	w.f.Write(b.ms[0].gz[:len(b.ms[0].gz)/2])
	open := filepath.Join(dir, w.name+OpenExt)
	w.f.Close()

	w2 := openTest(t, dir, 0)
	if _, err := os.Stat(open); !os.IsNotExist(err) {
		t.Fatal("the .open file was not repaired")
	}
	final := filepath.Join(dir, refs[0].File)
	for _, r := range refs {
		if typ, id, err := ReadRecord(final, r.Offset); err != nil || id != r.RecordID || typ != r.Type {
			t.Errorf("record %s lost after recovery: %v", r.RecordID, err)
		}
	}
	if _, err := w2.Capture(Capture{Record: page(u, cleanPage+"x"), Exchange: exchange(u, cleanPage+"x", "text/html"), Decider: d}); err != nil {
		t.Fatal(err)
	}
	w2.Close()
	files, _ := Files(dir)
	if len(files) != 2 {
		t.Errorf("%d files after resume, want the repaired one and a new one", len(files))
	}
	if recs := allRecords(t, dir); len(recs) != 1+2*3+1+2 {
		t.Errorf("%d records", len(recs))
	}
	idx, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	if n := bytes.Count(idx, []byte("\n")); n != 4 {
		t.Errorf("index has %d lines, want 4", n)
	}
}

func TestRecoverLeavesLiveFiles(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	u := "http://a.test/"
	if _, err := w.Capture(Capture{Record: page(u, cleanPage), Exchange: exchange(u, cleanPage, "text/html"), Decider: testDecider()}); err != nil {
		t.Fatal(err)
	}
	fixed, err := Recover(dir)
	if err != nil || len(fixed) != 0 {
		t.Fatalf("Recover touched a live file: %v %v", fixed, err)
	}
	if _, err := os.Stat(filepath.Join(dir, w.name+OpenExt)); err != nil {
		t.Fatal(err)
	}
	w.Close()
}

func TestSURT(t *testing.T) {
	for _, c := range [][2]string{
		{"http://www.Example.com/a?b=1&a=2", "com,example)/a?a=2&b=1"},
		{"https://news.demo.test:8443/p/0.html", "test,demo,news:8443)/p/0.html"},
		{"http://example.com:80/", "com,example)/"},
		{"http://www2.example.com", "com,example)/"},
		{"http://127.0.0.2:9000/x", "2,0,0,127:9000)/x"},
		{"urn:x", "urn:x"},
	} {
		if got := SURT(c[0]); got != c[1] {
			t.Errorf("SURT(%s) = %s, want %s", c[0], got, c[1])
		}
	}
}

// TestConcurrentCaptures: workers capture while the crawl syncs and files
// rotate (run with -race); every record ends up readable and indexed.
func TestConcurrentCaptures(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 8<<10)
	d := testDecider()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 50 {
			if err := w.Sync(); err != nil {
				t.Error(err)
			}
			time.Sleep(time.Millisecond)
		}
	}()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				u := "http://a.test/g" + itoa(g) + "/" + itoa(i)
				b := cleanPage + u
				if _, err := w.Capture(Capture{Record: page(u, b), Exchange: exchange(u, b, "text/html"), Decider: d}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	<-done
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(allRecords(t, dir)); n < 200 {
		t.Errorf("%d records", n)
	}
	idx, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	if n := bytes.Count(idx, []byte("\n")); n != 100 {
		t.Errorf("index has %d lines, want 100", n)
	}
}
