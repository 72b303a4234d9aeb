package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// alsoAPI is what scruple serve adds: an entry naming who asked.
func alsoAPI(kind string, c *scruple.Consent, at time.Time) []provenance.Entry {
	return []provenance.Entry{provenance.NewAPIEntry(provenance.APIAction{Action: kind, Label: "crm", TokenID: "0123456789abcdef"},
		c.ID, at, provenance.BuildInfo{})}
}

// TestAlsoEntriesShareTheTransaction: the entries Options.Also adds are
// written by the same PutConsentsLogged call as the event they follow, so a
// store that keeps the event keeps them (issue 15: a crash between the
// ledger's transaction and a second append lost the API's audit entry).
func TestAlsoEntriesShareTheTransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		clk := &clock{t: t0}
		l := ledger.New(st, ledger.Options{Key: testKey, Now: clk.Now, Also: alsoAPI})
		g := grant(mobile, t0.Add(-time.Hour))
		res, err := l.Grant(bg, g)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := l.Grant(bg, g); err != nil || !again.Unchanged {
			t.Fatalf("re-grant: %+v %v", again, err)
		}
		if _, err := l.Withdraw(bg, res.Consent.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Refuse(bg, pii.Mobile, mobile2, time.Time{}); err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf(`{"subject_type":"cn_mobile","subject":%q,"types":["cn_mobile"],"purpose":%q,`+
			`"processor":"Example Trading Co., Ltd.","recipients":["none"],"method":"signed paper form","evidence":%q,`+
			`"granted_at":%q,"expires_at":%q}`, mobile, "parcel tracking", g.Evidence,
			g.GrantedAt.Format(time.RFC3339), g.ExpiresAt.Format(time.RFC3339))
		if imp, err := l.Import(bg, strings.NewReader(line+"\n")); err != nil || len(imp.Imported) != 1 {
			t.Fatalf("import: %+v %v", imp, err)
		}
		es := logEntries(t, st)
		// The unchanged re-grant adds nothing; each change is followed by
		// its api entry, naming the consent it wrote. A withdrawal or a
		// refusal is one event entry: the purge writes no summary of its
		// own, and nothing was kept here, so there is no purge entry.
		if got := kinds(es); got != "grant,api,withdraw,api,refuse,api,import,api" {
			t.Fatalf("log kinds %s", got)
		}
		for i, e := range es {
			if e.Kind == provenance.KindAPI && (e.Consent != es[i-1].Consent || e.API == nil || e.API.Action != es[i-1].Kind) {
				t.Fatalf("entry %d %+v does not follow its event %+v", i, e, es[i-1])
			}
		}
	})
}

// failingStore refuses every consent write, as a store whose transaction
// rolls back (a crash before commit): nothing of the event may remain.
type failingStore struct {
	scruple.Store
	calls [][][]byte
}

var errCrash = errors.New("simulated crash before commit")

func (f *failingStore) PutConsentsLogged(ctx context.Context, cs []*scruple.Consent, entries [][]byte) error {
	f.calls = append(f.calls, entries)
	return errCrash
}

func TestAlsoEntriesRolledBackWithTheEvent(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		fs := &failingStore{Store: st}
		clk := &clock{t: t0}
		l := ledger.New(fs, ledger.Options{Key: testKey, Now: clk.Now, Also: alsoAPI})
		if _, err := l.Grant(bg, grant(mobile, t0.Add(-time.Hour))); !errors.Is(err, errCrash) {
			t.Fatalf("grant on a failing store: %v", err)
		}
		if len(fs.calls) != 1 || len(fs.calls[0]) != 2 {
			t.Fatalf("the event and its api entry were not one write: %d calls", len(fs.calls))
		}
		if es := logEntries(t, st); len(es) != 0 {
			t.Fatalf("a failed grant left log entries: %s", kinds(es))
		}
	})
}
