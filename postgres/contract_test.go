package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"github.com/scruple/scruple/internal/testenv"
	"os"
	"strings"
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/storetest"
)

// dsnEnv names the environment variable that enables the PostgreSQL tests.
const dsnEnv = "SCRUPLE_TEST_POSTGRES"

// testDSN returns the test database's DSN, or skips the test.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		testenv.Missing(t, "postgres", "PostgreSQL tests are disabled; enable them with "+
			dsnEnv+"=postgres://root@127.0.0.1:5432/test?sslmode=disable go test ./postgres/")
	}
	return dsn
}

// crawlName returns a crawl name no other test run uses.
func crawlName(t testing.TB) string {
	b := make([]byte, 4)
	rand.Read(b)
	name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name())
	return "test-" + name + "-" + hex.EncodeToString(b)
}

// openCrawl opens a worker on the crawl name, deleting the crawl when the
// test ends.
func openCrawl(t testing.TB, name string, opt Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), testDSN(t), name, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.DeleteCrawl(context.Background()); err != nil {
			t.Errorf("delete crawl %s: %v", name, err)
		}
		s.Close()
	})
	return s
}

// TestContract runs the store contract suite shared with the SQLite store,
// each case on a fresh crawl.
func TestContract(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T) scruple.Store {
		return openCrawl(t, crawlName(t), Options{})
	})
}
