package robots

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves goroutines behind (httptest
// servers, transports, singleflight calls).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
