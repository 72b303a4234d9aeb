package serve

import (
	"context"
	"net/http"

	"github.com/scruple/scruple/provenance"
)

// audit appends the api entry of a token change (issue 15: every state
// change is a log entry naming the token that made it). Consent changes
// do not come here: their api entry is written by the ledger in the same
// transaction as the change (StoreLedger). A token lives in the token
// file, not the store, so its change and its entry cannot share a
// transaction: the file is written first and the entry follows; a failed
// append is logged, and the change stands (a revocation must not be
// undone because the log was busy).
func (s *Server) audit(ctx context.Context, r *http.Request, a provenance.APIAction) {
	p := who(r)
	if p == nil {
		return
	}
	a.Label, a.TokenID = p.token.Label, p.token.ID
	e := provenance.NewAPIEntry(a, "", s.now(), s.cfg.Info)
	if _, err := s.cfg.Store.AppendEntries(context.WithoutCancel(ctx), [][]byte{e.Marshal()}); err != nil {
		s.log.Error("audit entry", "action", a.Action, "err", err)
	}
}
