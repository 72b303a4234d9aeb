package scan

import (
	"testing"

	"go.uber.org/goleak"
)

// Run starts workers and a dispatcher, and database scans open pools: none
// may outlive Run, whether it ends, fails or is stopped by its emit.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
