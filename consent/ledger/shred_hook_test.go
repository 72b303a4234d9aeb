package ledger_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/scruple/scruple"
)

// The PostgreSQL half of the lifecycle property's raw-bytes invariant: a
// pg_dump of the sequence's rows in scruple's tables (schema public) holds
// no value whose consents all ended. With crypto-shredding the stores never write a kept value in
// clear, so the dump holds none of the live ones either, which is checked
// too.
func init() {
	rawBytesHook = func(t *testing.T, st scruple.Store, gone []string) {
		t.Helper()
		out, err := exec.Command("pg_dump", "--data-only", "--schema=public", os.Getenv("SCRUPLE_TEST_POSTGRES")).Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		// Only this sequence's rows: other packages' tests share the
		// database, and every scruple table starts with the crawl id.
		prefix := []byte("\n")
		if c, ok := st.(interface{ CrawlID() int64 }); ok {
			prefix = []byte(fmt.Sprintf("\n%d\t", c.CrawlID()))
		}
		for _, line := range bytes.SplitAfter(out, []byte("\n")) {
			if !bytes.HasPrefix(append([]byte("\n"), line...), prefix) {
				continue
			}
			for _, s := range subjects {
				if bytes.Contains(line, []byte(s)) {
					t.Fatalf("a pg_dump holds a consented value (%d digits) in clear", len(s))
				}
			}
		}
	}
}
