package consent

import (
	"strconv"
	"sync"

	"github.com/scruple/scruple/pii"
)

// maskDetector masks the free text a rule's message quotes.
var maskDetector = sync.OnceValue(func() *pii.Detector { return pii.New(pii.Options{}) })

// quoteMasked quotes free text typed into a grant for an error message,
// with every personal value in it masked ("[cn_mobile]"): rule errors are
// printed by the CLI and returned by the API, and a purpose or recipient
// may hold someone's number.
func quoteMasked(s string) string {
	return strconv.Quote(maskDetector().Mask(s))
}
