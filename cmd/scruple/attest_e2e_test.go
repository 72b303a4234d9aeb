package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/attest"
	"github.com/scruple/scruple/internal/warctest"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/warc"
)

// plantedSession is the session id the attestation test web sets as a
// cookie on every response: an online identifier the archive never holds.
const plantedSession = "Zq8s3ss10nF0rE2eTest"

// rawRecord is one WARC record as read here, without scruple's or gowarc's
// reader: its header fields (first value of each) and its block.
type rawRecord struct {
	h     map[string]string
	block []byte
}

// readWARCDir parses every WARC file of dir by hand: gzip members
// decompressed as one stream, then "WARC/1.1" header, Content-Length, block.
func readWARCDir(t *testing.T, dir string) []rawRecord {
	t.Helper()
	files, err := warc.Files(dir)
	if err != nil || len(files) == 0 {
		t.Fatalf("no WARC files in %s: %v", filepath.Base(dir), err)
	}
	var out []rawRecord
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(zr)
		for {
			line, err := br.ReadString('\n')
			if err == io.EOF && line == "" {
				break
			}
			if line != "WARC/1.1\r\n" {
				t.Fatalf("%s: record starts with %q", f, line)
			}
			h := map[string]string{}
			for {
				l, err := br.ReadString('\n')
				if err != nil {
					t.Fatalf("%s: header: %v", f, err)
				}
				if l == "\r\n" {
					break
				}
				k, v, _ := strings.Cut(strings.TrimRight(l, "\r\n"), ":")
				if _, ok := h[k]; !ok {
					h[k] = strings.TrimSpace(v)
				}
			}
			n, err := strconv.Atoi(h["Content-Length"])
			if err != nil {
				t.Fatalf("%s: Content-Length %q", f, h["Content-Length"])
			}
			block := make([]byte, n)
			if _, err := io.ReadFull(br, block); err != nil {
				t.Fatal(err)
			}
			if end := make([]byte, 4); func() bool { _, err := io.ReadFull(br, end); return err != nil || string(end) != "\r\n\r\n" }() {
				t.Fatalf("%s: record not followed by CRLF CRLF", f)
			}
			out = append(out, rawRecord{h: h, block: block})
		}
	}
	return out
}

// httpParts splits an HTTP response block into status and body.
func httpParts(block []byte) (status int, body []byte) {
	head, body, _ := bytes.Cut(block, []byte("\r\n\r\n"))
	line, _, _ := bytes.Cut(head, []byte("\r\n"))
	f := strings.Fields(string(line))
	if len(f) > 1 {
		status, _ = strconv.Atoi(f[1])
	}
	return status, body
}

func sha256Hex(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// TestAttestationOfARealCrawl crawls a loopback test web with the archive on,
// exports it, and reads the SLSA provenance predicate of the bundle's
// attestation against what the crawl was told and what it archived: the
// seeds, scope, purpose, policy hash (computed here from the policy file)
// and user agent; the delays, concurrency and limits; every robots.txt the
// crawl obeyed with the digest of the body archived in its WARC response
// record (read here by hand); the log checkpoint; every bundle file as a
// subject. The hosts set a session cookie: its value is nowhere in the
// archive.
func TestAttestationOfARealCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls a test web")
	}
	page := func(links ...string) string {
		var b strings.Builder
		b.WriteString("<html><head><title>Garden library</title></head><body><p>The garden library opens at nine and closes at six.</p>")
		for _, l := range links {
			fmt.Fprintf(&b, `<a href="%s">more</a>`, l)
		}
		b.WriteString("</body></html>")
		return b.String()
	}
	var bAddr string
	a := serveWitness(t, "127.0.0.2", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		rw.Header().Add("Set-Cookie", "SESSIONID="+plantedSession+"; Path=/; HttpOnly")
		switch r.URL.Path {
		case "/robots.txt":
			rw.Header().Set("Content-Type", "text/plain")
			io.WriteString(rw, "User-agent: *\nDisallow: /private/\n")
		case "/":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(rw, page("/a.html", "/private/p.html", "http://"+bAddr+"/"))
		case "/a.html":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(rw, page("/"))
		default:
			http.NotFound(rw, r)
		}
	})
	b := serveWitness(t, "127.0.0.3", func(w *witness, rw http.ResponseWriter, r *http.Request) {
		rw.Header().Add("Set-Cookie", "SESSIONID="+plantedSession+"; Path=/")
		if r.URL.Path == "/" {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(rw, page("/b.html"))
			return
		}
		if r.URL.Path == "/b.html" {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(rw, page())
			return
		}
		http.NotFound(rw, r) // robots.txt included: 404, everything allowed
	})
	bAddr = b.addr

	polFile := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(polFile, policy.DefaultYAML(), 0o644); err != nil {
		t.Fatal(err)
	}
	pol, err := policy.Load(polFile)
	if err != nil {
		t.Fatal(err)
	}
	const (
		ua       = "scruple-attest-test/1.0 (+https://example.org/bot)"
		purpose  = "library opening hours survey"
		operator = "Test Operator <ops@example.org>"
	)
	seeds := []string{"http://" + a.addr + "/", "http://" + b.addr + "/"}
	data := filepath.Join(t.TempDir(), "data")
	args := append([]string{"crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--per-host", "2",
		"--concurrency", "3", "--max-pages", "40", "--scope", "any", "--user-agent", ua, "--purpose", purpose,
		"--policy", polFile, "--operator", operator, "--no-sitemaps", "--quiet", "--warc"}, seeds...)
	mustRun(t, args...)
	out := filepath.Join(t.TempDir(), "bundle")
	mustRun(t, "export", "--data", data, "--out", out)
	if code, rep, _ := runCLI(t, "verify", out); code != 0 {
		t.Fatalf("bundle does not verify:\n%s", rep)
	}
	warctest.Dir(t, filepath.Join(data, "warc"))
	warctest.Dir(t, filepath.Join(out, "warc"))

	// The statement, decoded here from the DSSE envelope.
	envb, err := os.ReadFile(filepath.Join(out, attest.FileName))
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		PayloadType string `json:"payloadType"`
		Payload     string `json:"payload"`
	}
	if err := json.Unmarshal(envb, &env); err != nil || env.PayloadType != "application/vnd.in-toto+json" {
		t.Fatalf("envelope: %v %q", err, env.PayloadType)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	type descriptor struct {
		Name        string            `json:"name"`
		URI         string            `json:"uri"`
		Digest      map[string]string `json:"digest"`
		Annotations map[string]any    `json:"annotations"`
	}
	var st struct {
		Type          string       `json:"_type"`
		Subject       []descriptor `json:"subject"`
		PredicateType string       `json:"predicateType"`
		Predicate     struct {
			BuildDefinition struct {
				BuildType            string         `json:"buildType"`
				ExternalParameters   map[string]any `json:"externalParameters"`
				InternalParameters   map[string]any `json:"internalParameters"`
				ResolvedDependencies []descriptor   `json:"resolvedDependencies"`
			} `json:"buildDefinition"`
			RunDetails struct {
				Builder struct {
					ID      string            `json:"id"`
					Version map[string]string `json:"version"`
				} `json:"builder"`
				Metadata struct {
					InvocationID string `json:"invocationId"`
					StartedOn    string `json:"startedOn"`
					FinishedOn   string `json:"finishedOn"`
				} `json:"metadata"`
				Byproducts []descriptor `json:"byproducts"`
			} `json:"runDetails"`
		} `json:"predicate"`
	}
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	bd, rd := st.Predicate.BuildDefinition, st.Predicate.RunDetails
	if st.Type != "https://in-toto.io/Statement/v1" || st.PredicateType != "https://slsa.dev/provenance/v1" ||
		bd.BuildType != "https://scruple.dev/attestation/crawl/v1" || rd.Builder.ID != attest.BuilderID ||
		rd.Builder.Version["scruple"] != scruple.Version || rd.Metadata.StartedOn == "" || rd.Metadata.FinishedOn == "" {
		t.Errorf("statement header: %s %s %s builder %s %v %+v", st.Type, st.PredicateType, bd.BuildType, rd.Builder.ID, rd.Builder.Version, rd.Metadata)
	}

	// externalParameters: what the crawl was told.
	ext := bd.ExternalParameters
	var gotSeeds []string
	for _, s := range ext["seeds"].([]any) {
		gotSeeds = append(gotSeeds, s.(string))
	}
	if !slices.Equal(gotSeeds, seeds) {
		t.Errorf("seeds %v, want %v", gotSeeds, seeds)
	}
	for k, want := range map[string]string{"scope": "any", "purpose": purpose, "policyHash": pol.Hash(), "userAgent": ua, "operator": operator} {
		if ext[k] != want {
			t.Errorf("externalParameters.%s = %v, want %q", k, ext[k], want)
		}
	}
	// The same values as the WARC files state them.
	recs := readWARCDir(t, filepath.Join(out, "warc"))
	var info, robotsUA string
	for _, r := range recs {
		if r.h["WARC-Type"] == "warcinfo" && info == "" {
			info = string(r.block)
		}
		if r.h["WARC-Type"] == "request" && strings.HasSuffix(r.h["WARC-Target-URI"], "/robots.txt") {
			for _, l := range strings.Split(string(r.block), "\r\n") {
				if v, ok := strings.CutPrefix(l, "User-Agent: "); ok {
					robotsUA = v
				}
			}
		}
	}
	for _, want := range []string{"policy-hash: " + pol.Hash(), "http-header-user-agent: " + ua, "purpose: " + purpose, "operator: " + operator} {
		if !strings.Contains(info, want+"\r\n") {
			t.Errorf("warcinfo lacks %q", want)
		}
	}
	if robotsUA != ua {
		t.Errorf("robots.txt requests archived with User-Agent %q, want %q", robotsUA, ua)
	}

	// internalParameters: delays, concurrency, limits, and the run list.
	in := bd.InternalParameters
	for k, want := range map[string]string{"delay": "0s", "per-host": "2", "concurrency": "3", "max-pages": "40",
		"warc": "true", "warc-size": strconv.Itoa(warc.DefaultMaxSize), "sitemaps": "false"} {
		if in[k] != want {
			t.Errorf("internalParameters.%s = %v, want %q", k, in[k], want)
		}
	}
	if runs, _ := in["runs"].([]any); len(runs) != 1 {
		t.Errorf("internalParameters.runs: %d runs, want 1", len(runs))
	}

	// resolvedDependencies: each robots.txt obeyed, with the digest of the
	// body its archived response holds.
	type robotsResp struct {
		status int
		sum    string
	}
	archived := map[string][]robotsResp{}
	for _, r := range recs {
		if r.h["WARC-Type"] == "response" && strings.HasSuffix(r.h["WARC-Target-URI"], "/robots.txt") {
			status, body := httpParts(r.block)
			archived[r.h["WARC-Target-URI"]] = append(archived[r.h["WARC-Target-URI"]], robotsResp{status, sha256Hex(body)})
		}
	}
	if len(archived) != 2 {
		t.Errorf("robots.txt responses archived for %d hosts, want 2", len(archived))
	}
	deps := map[string]descriptor{}
	for _, d := range bd.ResolvedDependencies {
		deps[d.URI] = d
	}
	for uri, rs := range archived {
		d, ok := deps[uri]
		if !ok {
			t.Errorf("robots.txt %s archived but not a resolved dependency", uri)
			continue
		}
		switch sum := d.Digest["sha256"]; {
		case rs[0].status == 200 && (sum != rs[0].sum || d.Name != "robots.txt"):
			t.Errorf("dependency %s: sha256 %q name %q, the archived body's is %q", uri, sum, d.Name, rs[0].sum)
		case rs[0].status != 200 && sum != "" && sum != rs[0].sum:
			t.Errorf("dependency %s (status %d): sha256 %q matches no archived body", uri, rs[0].status, sum)
		case rs[0].status != 200 && sum == "" && d.Annotations["note"] == nil:
			t.Errorf("dependency %s without a digest or a note", uri)
		}
	}
	if want := "http://" + a.addr + "/robots.txt"; deps[want].Digest["sha256"] != sha256Hex([]byte("User-agent: *\nDisallow: /private/\n")) {
		t.Errorf("dependency %s: %+v", want, deps[want])
	}
	if len(deps) != len(archived) {
		t.Errorf("%d resolved dependencies, %d robots.txt archived", len(deps), len(archived))
	}

	// byproducts: the log checkpoint.
	cpb, _ := os.ReadFile(filepath.Join(out, provenance.CheckpointFile))
	lines := strings.Split(string(cpb), "\n")
	logb, _ := os.ReadFile(filepath.Join(out, provenance.LogFile))
	var cp *descriptor
	for i := range rd.Byproducts {
		if rd.Byproducts[i].Name == "checkpoint" {
			cp = &rd.Byproducts[i]
		}
	}
	if cp == nil || len(lines) < 3 {
		t.Fatalf("checkpoint byproduct %v, checkpoint file of %d lines", cp, len(lines))
	}
	if cp.Digest["sha256"] != sha256Hex(cpb) || cp.Annotations["treeSize"] != lines[1] || cp.Annotations["rootHash"] != lines[2] ||
		lines[1] != strconv.Itoa(bytes.Count(logb, []byte("\n"))) || !strings.HasSuffix(rd.Metadata.InvocationID, "/"+lines[1]) {
		t.Errorf("checkpoint byproduct %+v; checkpoint %q %q; log of %d lines; invocation %s", *cp, lines[1], lines[2], bytes.Count(logb, []byte("\n")), rd.Metadata.InvocationID)
	}

	// subjects: every file of the bundle but the attestation, digests here.
	subjects := map[string]string{}
	for _, s := range st.Subject {
		subjects[s.Name] = s.Digest["sha256"]
	}
	n := 0
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == attest.FileName {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		raw, _ := os.ReadFile(p)
		if subjects[filepath.ToSlash(rel)] != sha256Hex(raw) {
			t.Errorf("bundle file %s: subject digest %q", rel, subjects[filepath.ToSlash(rel)])
		}
		n++
		return nil
	})
	if n != len(subjects) || n < 7 {
		t.Errorf("%d bundle files, %d subjects", n, len(subjects))
	}

	// The session cookie set on every response: kept by name, never by value.
	all := archiveBytes(t, filepath.Join(data, "warc"))
	if bytes.Contains(all, []byte(plantedSession)) {
		t.Error("a session id set by a cookie is in the WARC files")
	}
	if !bytes.Contains(all, []byte("X-Crawler-Set-Cookie: SESSIONID="+warc.MaskedValue)) {
		t.Error("the archive does not show the cookie set (renamed, value masked)")
	}
}
