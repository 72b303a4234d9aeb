package ledger_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/sqlite"
)

// BenchmarkSweepIdle measures a sweep that finds nothing to do on a ledger
// of n consents, half of them ended (expired and already logged, or
// withdrawn): the cost every command that opens a store, and a crawl every
// 5 s, pays.
func BenchmarkSweepIdle(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint("consents=", n), func(b *testing.B) {
			st, err := sqlite.OpenWith(b.TempDir(), sqlite.Options{NoLock: true})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			now := t0
			cs := make([]*scruple.Consent, n)
			for i := range cs {
				c := &scruple.Consent{ID: fmt.Sprint("c", i), Subject: fmt.Sprint("S", i), SubjectType: "cn_mobile",
					GrantedAt: now.Add(-48 * time.Hour), ExpiresAt: now.Add(time.Hour)}
				switch i % 4 {
				case 0:
					c.ExpiresAt, c.ExpiryLoggedAt = now.Add(-time.Hour), &now
				case 1:
					c.WithdrawnAt = &now
				}
				cs[i] = c
			}
			if err := st.PutConsents(bg, cs); err != nil {
				b.Fatal(err)
			}
			l := ledger.New(st, ledger.Options{Now: func() time.Time { return now }})
			b.ResetTimer()
			for range b.N {
				if res, err := l.Sweep(bg); err != nil || len(res.Expired) != 0 {
					b.Fatalf("%+v %v", res, err)
				}
			}
		})
	}
}
