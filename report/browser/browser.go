// Package browser drives a headless Chromium (through chromedp and the
// DevTools protocol) to print a report to PDF, take its screenshot, and, for
// the tests, load it while watching every request and console message.
//
// Chromium is not bundled: Find looks for one installed on the machine
// (Debian's chromium package, or $SCRUPLE_CHROMIUM) and says clearly when
// there is none. It is started with the flags a closed network needs: no
// background networking, no component updates, no sync, a new empty profile
// each time.
package browser

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is returned by Find when no Chromium is installed.
var ErrNoBrowser = errors.New("no Chromium found: install Debian's chromium package (apt-get install chromium) or set SCRUPLE_CHROMIUM to a Chromium or Chrome executable")

// candidates are the executables Find tries, in order.
var candidates = []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "headless_shell"}

// Find returns the path of a Chromium executable: $SCRUPLE_CHROMIUM when
// set, else the first of chromium, chromium-browser, google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("SCRUPLE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("SCRUPLE_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Browser is a running headless Chromium.
type Browser struct {
	ctx     context.Context // the first tab's context: it owns the browser process
	cancel  context.CancelFunc
	profile string
}

// Start starts the Chromium at path (see Find) with a new empty profile.
// Close stops it and removes the profile.
func Start(ctx context.Context, path string) (*Browser, error) {
	profile, err := os.MkdirTemp("", "scruple-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("hide-scrollbars", true),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root with its sandbox on.
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, acancel := chromedp.NewExecAllocator(ctx, opts...)
	// The first context of an allocator starts the browser and ends it when
	// cancelled; tabs are opened from it. Starting it now makes a broken
	// install fail here.
	first, fcancel := chromedp.NewContext(alloc)
	b := &Browser{ctx: first, cancel: func() { fcancel(); acancel() }, profile: profile}
	if err := chromedp.Do(first); err != nil {
		b.Close()
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	return b, nil
}

// Close stops the browser.
func (b *Browser) Close() {
	b.cancel()
	os.RemoveAll(b.profile)
}

// Page is what loading a page showed.
type Page struct {
	// Requests are the URLs the page requested, the page itself first.
	Requests []string
	// Console lists console messages, uncaught exceptions and browser log
	// entries of level error or warning.
	Console []string
	// Errors counts the console entries that are errors or exceptions.
	Errors int
	// Title is the document's title.
	Title string
}

// Options change how a page is loaded.
type Options struct {
	// NoScript loads the page with JavaScript disabled.
	NoScript bool
	// Width and Height are the viewport in CSS pixels (default 1200x1600).
	Width, Height int64
}

// Tab is a loaded page, open until Close.
type Tab struct {
	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	page   Page
}

// FileURL returns the file:// URL of a local file.
func FileURL(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String(), nil
}

// Open loads url in a new tab, recording every request and console message.
func (b *Browser) Open(ctx context.Context, rawURL string, o Options) (*Tab, error) {
	if o.Width == 0 {
		o.Width, o.Height = 1200, 1600
	}
	tctx, cancel := chromedp.NewContext(b.ctx)
	stop := context.AfterFunc(ctx, cancel)
	t := &Tab{ctx: tctx, cancel: func() { stop(); cancel() }}
	if err := chromedp.Listen(tctx, t.event); err != nil {
		t.Close()
		return nil, err
	}
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(o.Width, o.Height)}
	if o.NoScript {
		steps = append(steps, scriptDisabled())
	}
	steps = append(steps, chromedp.Navigate(rawURL), chromedp.WaitReady(chromedp.CSS("body")))
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Close()
		return nil, fmt.Errorf("load %s: %w", rawURL, err)
	}
	title, err := chromedp.Run(tctx, chromedp.Title())
	if err != nil {
		t.Close()
		return nil, err
	}
	t.mu.Lock()
	t.page.Title = title
	t.mu.Unlock()
	return t, nil
}

// event runs in the tab's event loop: it only records.
func (t *Tab) event(ev any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		t.page.Requests = append(t.page.Requests, ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			t.page.Console = append(t.page.Console, fmt.Sprintf("console.%s", ev.Type))
			if ev.Type != runtime.ConsoleAPICalledTypeWarning {
				t.page.Errors++
			}
		}
	case *runtime.EventExceptionThrown:
		t.page.Console = append(t.page.Console, "exception: "+ev.ExceptionDetails.Text)
		t.page.Errors++
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
			t.page.Console = append(t.page.Console, fmt.Sprintf("%s %s: %s", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text))
			if ev.Entry.Level == log.EntryLevelError {
				t.page.Errors++
			}
		}
	}
}

// Page returns what the tab has seen so far.
func (t *Tab) Page() Page {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.page
	p.Requests = append([]string(nil), p.Requests...)
	p.Console = append([]string(nil), p.Console...)
	return p
}

// Text returns the text of the first element matching a CSS selector.
func (t *Tab) Text(selector string) (string, error) {
	return chromedp.Run(t.ctx, chromedp.Text(chromedp.CSS(selector)))
}

// PDF prints the page with its print CSS (A4, backgrounds on), its title
// and "page / pages" in the footer of every page: a filed report must say
// when a page is missing.
func (t *Tab) PDF() ([]byte, error) {
	const footer = `<div style="font: 7px sans-serif; color: #666; width: 100%; margin: 0 12mm; display: flex; justify-content: space-between">` +
		`<span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`
	return chromedp.Run(t.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(),
		chromedp.PDFHeaderTemplate(`<span></span>`), chromedp.PDFFooterTemplate(footer)))
}

// Screenshot captures the viewport as PNG.
func (t *Tab) Screenshot() ([]byte, error) {
	return chromedp.Run(t.ctx, chromedp.CaptureScreenshot())
}

// Close closes the tab.
func (t *Tab) Close() { t.cancel() }

// PrintPDF renders the HTML file at htmlPath to a PDF at pdfPath with the
// Chromium at chromium, within timeout.
func PrintPDF(ctx context.Context, chromium, htmlPath, pdfPath string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b, err := Start(ctx, chromium)
	if err != nil {
		return err
	}
	defer b.Close()
	u, err := FileURL(htmlPath)
	if err != nil {
		return err
	}
	tab, err := b.Open(ctx, u, Options{})
	if err != nil {
		return err
	}
	defer tab.Close()
	pdf, err := tab.PDF()
	if err != nil {
		return fmt.Errorf("print to PDF: %w", err)
	}
	if !strings.HasPrefix(string(pdf[:min(len(pdf), 5)]), "%PDF-") {
		return errors.New("print to PDF: Chromium did not return a PDF")
	}
	return os.WriteFile(pdfPath, pdf, 0o644)
}

// scriptDisabled turns JavaScript off in the tab, so a test sees what a
// reader with scripts disabled (or a PDF printer) sees.
func scriptDisabled() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return chromedp.Void{}, err
	}
}

// Style returns the computed value of a CSS property of the first element
// matching selector (the tab must allow scripts).
func (t *Tab) Style(selector, property string) (string, error) {
	expr := fmt.Sprintf(`getComputedStyle(document.querySelector(%q)).getPropertyValue(%q)`, selector, property)
	return chromedp.Run(t.ctx, chromedp.Evaluate[string](expr))
}
