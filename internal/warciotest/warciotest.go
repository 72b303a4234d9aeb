// Package warciotest runs the independent WARC check (tools/warcio/check.mjs,
// webrecorder's warcio under Node.js) from Go tests. When Node.js or the npm
// package is absent the test is skipped with a message saying how to install
// it (.ci/run installs both).
package warciotest

import (
	"bytes"
	"encoding/json"
	"github.com/scruple/scruple/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Result is what check.mjs reports.
type Result struct {
	Files    int            `json:"files"`
	Records  int            `json:"records"`
	Types    map[string]int `json:"types"`
	Problems []string       `json:"problems"`
	// CDXJ are the lines warcio's own CDXJ indexer writes for the files.
	CDXJ []string `json:"cdxj"`
}

// Check runs check.mjs on files (skipping t when it cannot run).
func Check(t testing.TB, files ...string) Result {
	t.Helper()
	r, why := run(t, files)
	if why != "" {
		testenv.Missing(t, "warcio", why)
	}
	return r
}

// CheckAfter runs check.mjs on files from a check that runs after a test's
// own assertions (a t.Cleanup): when Node.js or warcio is absent it logs
// why and returns ok false instead of skipping a test that has already run
// (and fails t, as Check does, when SCRUPLE_REQUIRE names warcio).
func CheckAfter(t testing.TB, files ...string) (r Result, ok bool) {
	t.Helper()
	r, why := run(t, files)
	if why != "" {
		if testenv.Required("warcio") {
			testenv.Missing(t, "warcio", why)
		}
		t.Log(why)
		return r, false
	}
	return r, true
}

// Available reports whether check.mjs can run here (Node.js and the npm
// package are installed), for tests of the checks themselves.
func Available(t testing.TB) bool {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(toolDir(t), "node_modules", "warcio", "package.json"))
	return err == nil
}

// run runs check.mjs; why says what is missing when it cannot.
func run(t testing.TB, files []string) (Result, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		return Result{}, "independent WARC check skipped: Node.js is not installed (apt-get install nodejs npm; npm ci --prefix tools/warcio)"
	}
	dir := toolDir(t)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "warcio", "package.json")); err != nil {
		return Result{}, "independent WARC check skipped: the npm package warcio is not installed (npm ci --prefix tools/warcio)"
	}
	cmd := exec.Command(node, append([]string{filepath.Join(dir, "check.mjs")}, files...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("check.mjs: %v\n%s", err, errb.String())
	}
	var r Result
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("check.mjs output: %v", err)
	}
	return r, ""
}

// toolDir finds tools/warcio above the test's working directory.
func toolDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, "tools", "warcio")
		}
		if filepath.Dir(d) == d {
			t.Fatal("no go.mod above " + wd)
		}
	}
}
