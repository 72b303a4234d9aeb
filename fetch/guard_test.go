package fetch

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// Guard.Check is a pure function: the table may name any address, none is
// contacted.
func TestGuardCheck(t *testing.T) {
	g := NewGuard(nil)
	cases := []struct {
		addr    string
		blocked string // substring of the reason; "" = allowed
	}{
		{"93.184.215.14", ""},
		{"2606:4700::1111", ""},
		{"127.0.0.1", "loopback"},
		{"127.1.2.3", "loopback"},
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"169.254.169.254", "link-local"},
		{"100.64.0.1", "CGNAT"},
		{"0.0.0.0", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"255.255.255.255", "reserved"},
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"fe80::1", "link-local"},
		{"fd00::1", "unique local"},
		{"ff02::1", "multicast"},
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:169.254.169.254", "link-local"},
		{"64:ff9b::a00:1", "private"},   // NAT64 of 10.0.0.1
		{"64:ff9b::7f00:1", "loopback"}, // NAT64 of 127.0.0.1
		{"2002:c0a8:101::1", "private"}, // 6to4 of 192.168.1.1
		{"2002:7f00:1::1", "loopback"},  // 6to4 of 127.0.0.1
		{"::127.0.0.1", "loopback"},     // IPv4-compatible
		{"64:ff9b::5db8:d70e", ""},      // NAT64 of a public address
		{"fe80::1%eth0", "link-local"},  // zones are ignored
		{"2001:db8::1", "documentation"},
	}
	for _, c := range cases {
		got := g.Check(netip.MustParseAddr(c.addr))
		if c.blocked == "" && got != "" {
			t.Errorf("%s refused: %s", c.addr, got)
		}
		if c.blocked != "" && !strings.Contains(got, c.blocked) {
			t.Errorf("%s: reason %q, want it to mention %q", c.addr, got, c.blocked)
		}
	}
}

func TestGuardAllowList(t *testing.T) {
	cidrs, err := ParseCIDRs([]string{"127.0.0.2/32", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	g := NewGuard(cidrs)
	if r := g.Check(netip.MustParseAddr("127.0.0.2")); r != "" {
		t.Errorf("allowed address refused: %s", r)
	}
	if r := g.Check(netip.MustParseAddr("::ffff:127.0.0.2")); r != "" {
		t.Errorf("mapped form of an allowed address refused: %s", r)
	}
	if r := g.Check(netip.MustParseAddr("127.0.0.3")); r == "" {
		t.Error("127.0.0.3 outside the allow-list was allowed")
	}
	if r := g.Check(netip.MustParseAddr("::1")); r != "" {
		t.Errorf("::1 allowed explicitly but refused: %s", r)
	}
	for _, bad := range []string{"10.0.0.0/33", "not-an-ip", "1.2.3"} {
		if _, err := ParseCIDRs([]string{bad}); err == nil {
			t.Errorf("ParseCIDRs(%q) accepted", bad)
		}
	}
}

// fakeResolver maps names to addresses, and can change its answer after the
// first lookup to simulate DNS rebinding.
type fakeResolver struct {
	answers [][]netip.Addr
	calls   int
}

func (r *fakeResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	i := r.calls
	if i >= len(r.answers) {
		i = len(r.answers) - 1
	}
	r.calls++
	return r.answers[i], nil
}
