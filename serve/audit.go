package serve

import (
	"context"
	"net/http"

	"github.com/scruple/scruple/provenance"
)

// audit appends the provenance entry naming who made a state change: the
// token's label and id (issue 15: every state change is a log entry naming
// the token). It follows the change's own entries rather than sharing
// their transaction, because the ledger owns that write; a failure is
// logged and the change stands (it is already durable and logged itself).
func (s *Server) audit(ctx context.Context, r *http.Request, action, consentID string) {
	p := who(r)
	if p == nil {
		return
	}
	e := provenance.NewAPIEntry(action, consentID, p.token.Label, p.token.ID, s.now(), s.cfg.Info)
	if _, err := s.cfg.Store.AppendEntries(context.WithoutCancel(ctx), [][]byte{e.Marshal()}); err != nil {
		s.log.Error("audit entry", "action", action, "err", err)
	}
}
