package serve

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/internal/testenv"
	"github.com/scruple/scruple/report/browser"
)

// consoleWatch records console errors, exceptions and browser log errors
// (CSP violations are logged there).
type consoleWatch struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleWatch) event(ev any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			c.msgs = append(c.msgs, "console."+string(ev.Type))
		}
	case *runtime.EventExceptionThrown:
		c.msgs = append(c.msgs, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		// The refused grant is answered 422 by design; Chromium logs any
		// 4xx document as a failed load.
		if ev.Entry.Level == log.EntryLevelError && !(ev.Entry.Source == log.EntrySourceNetwork && strings.Contains(ev.Entry.Text, "422")) {
			c.msgs = append(c.msgs, fmt.Sprintf("%s: %s", ev.Entry.Source, ev.Entry.Text))
		}
	}
}

func (c *consoleWatch) errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.msgs...)
}

// TestConsoleInChromium signs in with a token, watches the crawl's figures
// move, sees a blanket consent refused with its rules, grants a specific
// one, withdraws the seeded consent and reads the purge count — with no
// console error and no CSP violation. SCRUPLE_UPDATE_SCREENSHOT=1 writes
// the screenshots to docs/.
func TestConsoleInChromium(t *testing.T) {
	path, err := browser.Find()
	if err != nil {
		testenv.Missing(t, "chromium", err.Error())
	}
	f := newFixture(t)
	ts := httptest.NewServer(f.h)
	defer ts.Close()

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.UserDataDir(profile),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1200, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(alloc)
	defer bcancel()
	watch := &consoleWatch{}
	if err := chromedp.Listen(bctx, watch.event); err != nil {
		t.Fatal(err)
	}
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if os.Getenv("SCRUPLE_UPDATE_SCREENSHOT") != "" {
			if err := os.WriteFile(filepath.Join("..", "docs", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	// Sign in.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(ts.URL+"/signin")); err != nil {
		t.Fatalf("open sign-in: %v", err)
	}
	steps := []struct {
		name string
		a    chromedp.Action[chromedp.Void]
	}{
		{"wait token", chromedp.WaitVisible(chromedp.CSS(`input[name="token"]`))},
		{"type token", chromedp.SendKeys(chromedp.CSS(`input[name="token"]`), f.tokens[RoleOperator])},
		{"click", chromedp.Click(chromedp.CSS(`#signin button`))},
		{"wait status", chromedp.WaitVisible(chromedp.CSS(`#status`))},
	}
	for _, st := range steps {
		sctx, scancel := context.WithTimeout(bctx, 15*time.Second)
		err := chromedp.Do(sctx, st.a)
		scancel()
		if err != nil {
			loc, _ := chromedp.Run(bctx, chromedp.Location())
			html, _ := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("main")))
			t.Fatalf("sign in, %s: %v (at %s): %s\nlog: %s", st.name, err, loc, html, f.logs.String())
		}
	}

	// The crawl moves: commit another record; the page's poll shows it.
	before := text("#records-total")
	commitPage(t, f, "http://a.test/more")
	deadline := time.Now().Add(30 * time.Second)
	for text("#records-total") == before {
		if time.Now().After(deadline) {
			t.Fatalf("records total stayed at %s", before)
		}
		time.Sleep(200 * time.Millisecond)
	}
	shot("serve-status.png")

	// A blanket consent is refused with its rules shown inline.
	err = chromedp.Do(bctx, chromedp.Navigate(ts.URL+"/consents"), chromedp.WaitVisible(chromedp.CSS(`#grant`)),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="subject_type"]`), "cn_mobile"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="subject"]`), "13912345678"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="types"]`), "*"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="purpose"]`), "all purposes"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="recipients"]`), "partners"),
		chromedp.Click(chromedp.CSS(`#grant button`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors`)))
	if err != nil {
		t.Fatalf("blanket grant: %v", err)
	}
	if e := text("#errors"); !strings.Contains(e, "pipl_art_14") || !strings.Contains(e, "recipients[0]") {
		t.Fatalf("rules shown: %q", e)
	}
	shot("serve-blanket.png")

	// A specific consent is granted.
	exp := time.Now().Add(30 * 24 * time.Hour).Format("2006-01-02")
	err = chromedp.Do(bctx, chromedp.Navigate(ts.URL+"/consents"), chromedp.WaitVisible(chromedp.CSS(`#grant`)),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="subject_type"]`), "cn_mobile"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="subject"]`), "13912345678"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="types"]`), "cn_mobile"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="purpose"]`), "order delivery notices by SMS"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="processor"]`), "Example Trading Co., Ltd."),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="recipients"]`), "none"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="method"]`), "signed paper form"),
		chromedp.SendKeys(chromedp.CSS(`#grant input[name="evidence"]`), strings.Repeat("cd", 32)),
		chromedp.SetValue(chromedp.CSS(`#grant input[name="expires_at"]`), exp),
		chromedp.Click(chromedp.CSS(`#grant button`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash`)))
	if err != nil {
		t.Fatalf("grant: %v", err)
	}
	if fl := text("#flash"); !strings.Contains(fl, "Granted consent") {
		t.Fatalf("grant flash %q (errors: %q)", fl, f.logs.String())
	}

	// Withdraw the seeded consent: the page says how many records were purged.
	err = chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`tr[data-id="`+f.consent.ID+`"] button.withdraw`)))
	if err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	// The old page's flash is visible until the answer replaces it: wait
	// for the new text.
	deadline = time.Now().Add(30 * time.Second)
	for fl := ""; !strings.Contains(fl, "records purged"); {
		if time.Now().After(deadline) {
			t.Fatalf("withdraw flash %q", fl)
		}
		time.Sleep(100 * time.Millisecond)
		fl, _ = chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#flash")))
		if strings.Contains(fl, "records purged") && !strings.Contains(fl, "1 records purged") {
			t.Fatalf("withdraw flash %q, want 1 record purged", fl)
		}
	}
	shot("serve-withdrawn.png")
	if errs := watch.errors(); len(errs) > 0 {
		t.Fatalf("console errors or CSP violations: %v", errs)
	}
	f.checkNoRaw()
}

// commitPage stores one more page, as a running crawl would.
func commitPage(t *testing.T, f *fixture, u string) {
	t.Helper()
	ctx := context.Background()
	it := scruple.URLItem{URL: u, Host: "a.test:80", Source: scruple.FromLink}
	if _, err := f.st.Enqueue(ctx, []scruple.URLItem{it}); err != nil {
		t.Fatal(err)
	}
	got, err := f.st.Lease(ctx, "a.test:80", 1, time.Now())
	if err != nil || len(got) != 1 {
		t.Fatalf("lease: %v", err)
	}
	rec := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: time.Now().UTC(), Text: "more", Digest: u}
	if err := f.st.Commit(ctx, []scruple.Outcome{{Item: got[0], Record: rec}}); err != nil {
		t.Fatal(err)
	}
}
