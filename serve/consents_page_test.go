package serve

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestConsentsPaged: GET /api/v1/consents pages with cursor and limit, as
// records do; following next from the first page visits every consent
// once, in grant order, and the last page's next is "".
func TestConsentsPaged(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	want := []string{f.consent.ID}
	for i := range 11 {
		g := goodGrant(time.Now())
		g.Subject = fmt.Sprintf("139%08d", 10000+i)
		g.Purpose = fmt.Sprintf("parcel tracking notices number %d by SMS", i)
		c, err := g.Consent(f.key)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.st.PutConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
		want = append(want, c.ID)
	}
	var got []string
	cursor, pages := "", 0
	for {
		q := url.Values{"limit": {"5"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var v ConsentsView
		r := f.do("GET", "/api/v1/consents?"+q.Encode(), f.tokens[RoleViewer], nil)
		if r.code != 200 {
			t.Fatalf("page %d: %d %s", pages, r.code, r.body)
		}
		r.json(t, &v)
		pages++
		if len(v.Consents) > 5 {
			t.Fatalf("page %d holds %d consents, limit 5", pages, len(v.Consents))
		}
		for _, c := range v.Consents {
			got = append(got, c.ID)
		}
		if v.Next == "" {
			break
		}
		if pages > 10 {
			t.Fatal("next never ends")
		}
		cursor = v.Next
	}
	if pages != 3 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%d pages, consents %v, want 3 pages of %v", pages, got, want)
	}
	// Without a limit, one default page holds all twelve.
	var all ConsentsView
	f.do("GET", "/api/v1/consents", f.tokens[RoleViewer], nil).json(t, &all)
	if len(all.Consents) != 12 || all.Next != "" {
		t.Fatalf("default page: %d consents, next %q", len(all.Consents), all.Next)
	}
	// The console's ledger pages the same way.
	c, _ := f.signIn(f.tokens[RoleViewer])
	p := f.form("GET", "/consents?limit=5", c, nil, "")
	if p.code != 200 || !strings.Contains(p.body, `href="/consents?cursor=5&amp;limit=5" id="next"`) {
		t.Fatalf("console ledger: %d, no next link: %s", p.code, p.body[strings.Index(p.body, "</tbody>"):])
	}
	// So does the records browser: its link kept its = and & escaped into
	// one key, and led back to the first page.
	p = f.form("GET", "/records?limit=1&kind=page", c, nil, "")
	if p.code != 200 || !strings.Contains(p.body, `href="/records?cursor=`) || !strings.Contains(p.body, `&amp;kind=page&amp;limit=1" id="next"`) {
		t.Fatalf("records browser: %d, no usable next link", p.code)
	}
	for _, q := range []string{"limit=0", "limit=100000", "limit=x", "cursor=-1", "cursor=abc"} {
		if r := f.do("GET", "/api/v1/consents?"+q, f.tokens[RoleViewer], nil); r.code != 400 {
			t.Errorf("%s: %d, want 400", q, r.code)
		}
	}
}
