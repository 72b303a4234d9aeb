package serve

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// crashAfterCommit is a store that dies right after a transaction that
// does not hold an api entry commits: an api entry written in a second
// transaction never reaches the log, as when the server crashes between
// the two. (It forwards DestroyDataKey, which the ledger finds by a type
// assertion that the embedded interface would hide.)
type crashAfterCommit struct {
	scruple.Store
}

var errCrashed = errors.New("simulated crash")

func (c crashAfterCommit) AppendEntries(ctx context.Context, entries [][]byte) (int64, error) {
	for _, e := range entries {
		if strings.Contains(string(e), `"kind":"api"`) {
			return 0, errCrashed
		}
	}
	return c.Store.AppendEntries(ctx, entries)
}

func (c crashAfterCommit) DestroyDataKey(ctx context.Context, id string) error {
	return c.Store.(interface {
		DestroyDataKey(context.Context, string) error
	}).DestroyDataKey(ctx, id)
}

// logOf returns the store's log entries, parsed.
func logOf(t *testing.T, st scruple.Store) []provenance.Entry {
	t.Helper()
	n, err := st.LogSize(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var out []provenance.Entry
	err = st.Entries(t.Context(), 0, n, func(_ int64, b []byte) error {
		e, err := provenance.ParseEntry(b)
		out = append(out, e)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAuditEntryInTheLedgerTransaction is issue 15's audit trail: the api
// entry naming the token is written in the same store transaction as the
// consent change it records, so no crash can keep the change and lose who
// made it. On both stores.
func TestAuditEntryInTheLedgerTransaction(t *testing.T) {
	for name, open := range fixtureStores(t) {
		t.Run(name, func(t *testing.T) {
			f := newFixtureOn(t, open, func(st scruple.Store) scruple.Store { return crashAfterCommit{st} })
			g := goodGrant(f.srv.now())
			g.Purpose = "parcel tracking notices by SMS"
			r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], g)
			if r.code != http.StatusCreated {
				t.Fatalf("grant: %d %s", r.code, r.body)
			}
			var gv GrantView
			r.json(t, &gv)
			if r := f.do("POST", "/api/v1/consents/"+f.consent.ID+"/withdraw", f.tokens[RoleOperator], nil); r.code != 200 {
				t.Fatalf("withdraw: %d %s", r.code, r.body)
			}
			if r := f.do("POST", "/api/v1/refusals", f.tokens[RoleOperator],
				subjectRequest{SubjectType: pii.Type("cn_mobile"), Subject: "13912345678"}); r.code != http.StatusCreated {
				t.Fatalf("refuse: %d %s", r.code, r.body)
			}
			es := logOf(t, f.st)
			want := map[string]string{provenance.KindGrant: gv.ID, provenance.KindWithdraw: f.consent.ID, provenance.KindRefuse: ""}
			for i, e := range es {
				id, ok := want[e.Kind]
				if !ok {
					continue
				}
				if id != "" && e.Consent != id {
					continue
				}
				if i+1 == len(es) || es[i+1].Kind != provenance.KindAPI || es[i+1].Consent != e.Consent ||
					es[i+1].API == nil || es[i+1].API.Action != e.Kind || es[i+1].API.Label != "test-operator" {
					t.Fatalf("the %s entry #%d is not followed by its api entry", e.Kind, i)
				}
				delete(want, e.Kind)
			}
			if len(want) != 0 {
				t.Fatalf("events missing from the log: %v", want)
			}
			f.checkNoRaw()
		})
	}
}
