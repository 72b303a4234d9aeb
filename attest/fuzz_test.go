package attest

import (
	"context"
	"encoding/json"
	"testing"
)

// FuzzOpenParse: an attestation file of any content is refused with an
// error, never a panic.
func FuzzOpenParse(f *testing.F) {
	signer, vkey := testKeyF(f)
	st, _ := Statement(testInput())
	env, _ := Sign(context.Background(), st, signer)
	raw, _ := json.Marshal(env)
	f.Add(raw)
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`))
	f.Add(st)
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := Open(b, vkey); err == nil {
			Parse(p)
		}
		Parse(b)
	})
}
