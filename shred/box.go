package shred

import (
	"encoding/json"
	"fmt"
)

// content is the plaintext of one consent's box: its share of the record's
// salt and its values, each by the index of its finding.
type content struct {
	// Share is this consent's share of the salt (empty: the record had no
	// salt).
	Share []byte `json:"share,omitempty"`
	// Values are the kept values of the consent.
	Values []value `json:"values"`
	// Digest is the record's raw-body digest (Record.Digest): the plain
	// SHA-256 of a body holding the kept values, which would let anyone
	// test guesses of them, so it is sealed like them.
	Digest string `json:"digest,omitempty"`
}

type value struct {
	// Finding is the index of the value's finding in Record.Findings.
	Finding int `json:"i"`
	// Text is the value as it stood in the page.
	Text string `json:"v"`
}

// maxBox bounds an opened box: a page's text is capped well below this,
// and a box holds part of one page.
const maxBox = 16 << 20

// decodeContent parses an opened box, checking it against the record it
// belongs to: nfindings findings, the share size, each index once.
func decodeContent(b []byte, nfindings int) (content, error) {
	var c content
	if len(b) > maxBox {
		return c, fmt.Errorf("shred: box of %d bytes", len(b))
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return content{}, fmt.Errorf("shred: malformed box: %w", err)
	}
	if len(c.Share) != 0 && len(c.Share) != saltSize {
		return content{}, fmt.Errorf("shred: salt share of %d bytes", len(c.Share))
	}
	seen := make(map[int]bool, len(c.Values))
	for _, v := range c.Values {
		if v.Finding < 0 || v.Finding >= nfindings || seen[v.Finding] {
			return content{}, fmt.Errorf("shred: box names finding %d of %d", v.Finding, nfindings)
		}
		seen[v.Finding] = true
	}
	return c, nil
}
