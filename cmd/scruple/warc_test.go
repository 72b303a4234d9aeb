package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/scruple/scruple/attest"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/internal/warciotest"
	"github.com/scruple/scruple/internal/warctest"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/warc"
)

// planted lists every personal value the demo web plants: the contact and
// loan pages', the borrower list's, and the values only in /people/shop.html's
// markup.
func planted() []string {
	vs := []string{testweb.DemoConsentPhone, testweb.DemoOtherPhone, testweb.DemoResidentID, testweb.DemoBankCard,
		"service.desk@example.com", testweb.MarkupPhone, testweb.MarkupResidentID, testweb.MarkupCard, testweb.MarkupEmail}
	for i := range 12 {
		vs = append(vs, fmt.Sprintf("1371234%04d", 1000+i*7))
	}
	return vs
}

// archiveBytes returns the decompressed bytes of every WARC file in dir and
// the bytes of every other file there (record lists, index).
func archiveBytes(t *testing.T, dir string) []byte {
	t.Helper()
	var all bytes.Buffer
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, de := range des {
		p := filepath.Join(dir, de.Name())
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(de.Name(), warc.Ext) && !strings.HasSuffix(de.Name(), warc.IdxExt) {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(&all, zr); err != nil {
				t.Fatal(err)
			}
			continue
		}
		all.Write(b)
	}
	return all.Bytes()
}

// TestDemoWARC crawls the demo web (the consent, the borrower list and the
// markup page included) with the archive on, then: no planted value is in
// any byte of the archive; webrecorder's warcio reads every record, finds
// every digest right and writes the same CDXJ index; every log entry names
// its WARC record; the markup page has no raw response; and the exported
// bundle verifies, and stops verifying when a WARC file or the attestation
// is touched.
func TestDemoWARC(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the demo web")
	}
	data := t.TempDir()
	out := mustRun(t, "demo", "--data", data, "--quiet", "--operator", "Test Operator <ops@example.org>")
	if !strings.Contains(out, "attestation: in-toto statement over") || !strings.Contains(out, "every block digest verified") {
		t.Fatalf("demo output:\n%s", out)
	}
	dir := filepath.Join(data, "demo")
	wdir := filepath.Join(dir, "warc")
	exp := filepath.Join(dir, "export")

	all := archiveBytes(t, wdir)
	for i, v := range planted() {
		if n := bytes.Count(all, []byte(v)); n > 0 {
			t.Errorf("planted value #%d (length %d) occurs %d times in the WARC directory", i, len(v), n)
		}
	}
	for _, want := range []string{"operator: Test Operator <ops@example.org>", "robots.txt: obeyed, RFC 9309", "WARC-Type: revisit", "WARC-Type: conversion"} {
		if !bytes.Contains(all, []byte(want)) {
			t.Errorf("archive lacks %q", want)
		}
	}

	// Both readers, on the data directory and on the bundle (the warcio
	// part logs instead of skipping when Node.js is absent, so that the
	// checks below always run; warcio's record types are checked last).
	warctest.Dir(t, wdir)
	warctest.Dir(t, filepath.Join(exp, "warc"))
	files, _ := filepath.Glob(filepath.Join(exp, "warc", "*"+warc.Ext))

	// Every record entry names its WARC record; the markup page's is not a
	// raw response, nor is any page's whose text needed redaction.
	lf, _ := os.Open(filepath.Join(exp, provenance.LogFile))
	defer lf.Close()
	sc := bufio.NewScanner(lf)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	robotsSeen := false
	for sc.Scan() {
		e, err := provenance.ParseEntry(sc.Bytes())
		if err != nil || e.Kind != provenance.KindRecord {
			continue
		}
		if e.WARC == nil {
			t.Errorf("%s: log entry names no WARC record", e.URL)
			continue
		}
		raw := e.WARC.Type == warc.TypeResponse || e.WARC.Type == warc.TypeRevisit
		if strings.HasSuffix(e.URL, "/people/shop.html") && raw {
			t.Error("the markup page was archived raw")
		}
		if len(e.Decisions) > 0 && raw {
			t.Errorf("%s: a page with findings was archived raw", e.URL)
		}
		robotsSeen = robotsSeen || e.Robots != nil
	}
	if !robotsSeen || !bytes.Contains(all, []byte("/robots.txt HTTP/1.1")) {
		t.Error("no robots.txt request archived")
	}

	// Tampering.
	if code, rep, _ := runCLI(t, "verify", exp); code != 0 {
		t.Fatalf("fresh bundle does not verify:\n%s", rep)
	}
	cp := filepath.Join(t.TempDir(), "b")
	copyTree(t, exp, cp)
	w := filepath.Join(cp, "warc", filepath.Base(files[0]))
	b, _ := os.ReadFile(w)
	b[len(b)/2] ^= 0x20
	os.WriteFile(w, b, 0o644)
	code, rep, _ := runCLI(t, "verify", cp)
	if code == 0 || !strings.Contains(rep, "manifest:") || !strings.Contains(rep, "attestation:") || !strings.Contains(rep, "warc:") {
		t.Errorf("a changed WARC file verified (exit %d):\n%s", code, rep)
	}
	if strings.Contains(rep, "every block digest verified") || !strings.Contains(rep, "WARC problem") {
		t.Errorf("verify of a changed WARC file claims its digests verified:\n%s", rep)
	}
	cp2 := filepath.Join(t.TempDir(), "c")
	copyTree(t, exp, cp2)
	os.WriteFile(filepath.Join(cp2, "warc", "extra.warc.gz"), []byte{}, 0o644)
	os.Remove(filepath.Join(cp2, attest.FileName))
	if code, rep, _ := runCLI(t, "verify", cp2); code == 0 || !strings.Contains(rep, "attestation: file is missing") {
		t.Errorf("a bundle without its attestation verified:\n%s", rep)
	}

	// Last, since it skips the test when Node.js is absent: warcio's view.
	res := warciotest.Check(t, files...)
	for _, p := range res.Problems {
		t.Error("warcio: " + p)
	}
	idx, _ := os.ReadFile(filepath.Join(exp, "warc", warc.IndexFile))
	ours := strings.Split(strings.TrimSpace(string(idx)), "\n")
	theirs := slices.Clone(res.CDXJ)
	slices.Sort(theirs)
	if !slices.Equal(ours, theirs) {
		t.Errorf("our CDXJ (%d lines) differs from warcio's (%d lines)", len(ours), len(theirs))
	}
	if res.Types["request"] == 0 || res.Types["response"] == 0 || res.Types["metadata"] == 0 {
		t.Errorf("record types %v", res.Types)
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestKill9ResumeWARC kills an archiving crawl with SIGKILL at several
// points and resumes it each time: every log entry still names a WARC record
// that exists (a record is durable before its outcome is committed), no torn
// member is left, every run starts a new WARC file, and the records a killed
// run archived but never committed stay as records no entry names.
func TestKill9ResumeWARC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a child process")
	}
	bin := buildBinary(t)
	spec := testweb.Spec{IPLinks: true, Hosts: []testweb.HostSpec{
		{Name: "w1.test", Pages: 50, CrossLinks: 1, Latency: 3 * time.Millisecond, Features: testweb.Duplicates},
		{Name: "w2.test", Pages: 50, CrossLinks: 1, Latency: 3 * time.Millisecond},
	}}
	web, err := testweb.Start(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	data := t.TempDir()
	args := append([]string{"crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--warc",
		"--per-host", "2", "--concurrency", "4", "--quiet"}, web.Seeds()...)
	kills := []int{5, 30, 70}
	for _, killAfter := range kills {
		start := len(web.Requests())
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for len(web.Requests())-start < killAfter && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	exp := filepath.Join(t.TempDir(), "out")
	if out, err := exec.Command(bin, "export", "--data", data, "--out", exp).CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "verify", exp).CombinedOutput()
	if err != nil {
		t.Fatalf("verify after kills: %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(exp, "warc", "*"+warc.Ext))
	if len(files) < 2 {
		t.Errorf("%d WARC files after %d runs: each run must start its own file", len(files), len(kills)+1)
	}
	left, _ := filepath.Glob(filepath.Join(data, "warc", "*"+warc.OpenExt))
	if len(left) != 0 {
		t.Errorf("files left open: %v", left)
	}
	warctest.Dir(t, filepath.Join(data, "warc"))
	warctest.Dir(t, filepath.Join(exp, "warc"))
	t.Logf("%s", bytes.TrimSpace(out))
}
