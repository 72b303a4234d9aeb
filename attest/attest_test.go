package attest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

func testKey(t *testing.T) (note.Signer, string) { return testKeyF(t) }

func testKeyF(t testing.TB) (note.Signer, string) {
	t.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, "scruple-test")
	if err != nil {
		t.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}

func testInput() Input {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	return Input{
		Subjects: map[string]string{"records.jsonl": strings.Repeat("a", 64), "warc/x.warc.gz": strings.Repeat("b", 64)},
		Runs: []Run{{StartedOn: now, FinishedOn: now.Add(time.Minute), Seeds: []string{"http://a.test/"}, Scope: "site",
			MaxDepth: -1, Purpose: "research", PolicyHash: "ph", UserAgent: "scruple/0.1.0", Version: "0.1.0",
			Internal: map[string]string{"delay": "1s", "concurrency": "8"}}},
		Robots:       []Dependency{{URI: "http://a.test/robots.txt", SHA256: strings.Repeat("c", 64)}, {URI: "http://b.test/robots.txt"}},
		Checkpoint:   Checkpoint{SHA256: strings.Repeat("d", 64), TreeSize: 3, RootHash: "root", Key: "k"},
		InvocationID: "scruple-test/3",
	}
}

// pae is the DSSE pre-authentication encoding, written here from the DSSE
// protocol document and not from the library, so that the signature check
// below is independent of go-securesystemslib:
// "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal.
func pae(payloadType string, body []byte) []byte {
	s := "DSSEv1 " + strconv.Itoa(len(payloadType)) + " " + payloadType + " " + strconv.Itoa(len(body)) + " "
	return append([]byte(s), body...)
}

func TestSignVerifyIndependently(t *testing.T) {
	signer, vkey := testKey(t)
	st, err := Statement(testInput())
	if err != nil {
		t.Fatal(err)
	}
	env, err := Sign(context.Background(), st, signer)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(env)

	// Independently of dsse: decode the envelope by hand, rebuild the PAE,
	// check the signature with crypto/ed25519 and the key from key.pub.
	var e struct {
		PayloadType string `json:"payloadType"`
		Payload     string `json:"payload"`
		Signatures  []struct {
			KeyID string `json:"keyid"`
			Sig   string `json:"sig"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	body, _ := base64.StdEncoding.DecodeString(e.Payload)
	if e.PayloadType != "application/vnd.in-toto+json" || string(body) != string(st) || len(e.Signatures) != 1 {
		t.Fatalf("envelope %+v", e)
	}
	pubB64 := strings.SplitN(vkey, "+", 3)[2]
	pubRaw, _ := base64.StdEncoding.DecodeString(pubB64)
	pub := ed25519.PublicKey(pubRaw[1:])
	sig, _ := base64.StdEncoding.DecodeString(e.Signatures[0].Sig)
	if !ed25519.Verify(pub, pae(e.PayloadType, body), sig) {
		t.Fatal("ed25519 does not verify the signature over the PAE")
	}
	if !strings.HasPrefix(e.Signatures[0].KeyID, "scruple-test+") {
		t.Errorf("keyid %q", e.Signatures[0].KeyID)
	}

	// And through the library.
	got, err := Open(raw, vkey)
	if err != nil || string(got) != string(st) {
		t.Fatalf("Open: %v", err)
	}
	p, err := Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Subjects) != 2 || p.Subjects["records.jsonl"] != strings.Repeat("a", 64) || p.Checkpoint != strings.Repeat("d", 64) {
		t.Errorf("parsed %+v", p)
	}
	var doc map[string]any
	json.Unmarshal(st, &doc)
	pred := doc["predicate"].(map[string]any)
	bd := pred["buildDefinition"].(map[string]any)
	ext := bd["externalParameters"].(map[string]any)
	if doc["_type"] != StatementType || doc["predicateType"] != PredicateType || bd["buildType"] != BuildType ||
		ext["policyHash"] != "ph" || ext["purpose"] != "research" || len(bd["resolvedDependencies"].([]any)) != 2 {
		t.Errorf("statement %s", st)
	}
	if _, ok := pred["runDetails"].(map[string]any)["byproducts"]; !ok {
		t.Error("no byproducts")
	}
}

func TestOpenRefuses(t *testing.T) {
	signer, vkey := testKey(t)
	_, other := testKey(t)
	st, _ := Statement(testInput())
	env, _ := Sign(context.Background(), st, signer)
	raw, _ := json.Marshal(env)
	if _, err := Open(raw, other); err == nil {
		t.Error("verified under another key")
	}
	env.Payload = base64.StdEncoding.EncodeToString([]byte(strings.Replace(string(st), "records.jsonl", "record.jsonl", 1)))
	tampered, _ := json.Marshal(env)
	if _, err := Open(tampered, vkey); err == nil {
		t.Error("verified a changed payload")
	}
	env2, _ := Sign(context.Background(), st, signer)
	env2.PayloadType = "application/json"
	wrongType, _ := json.Marshal(env2)
	if _, err := Open(wrongType, vkey); err == nil {
		t.Error("accepted another payload type")
	}
}
