// Package fetch makes scruple's HTTP requests: a dialer that refuses
// non-public addresses at connect time (the SSRF guard), a client with no cookie
// jar, no credentials and no proxy, and body reading capped after
// decompression.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
	"time"
)

// Resolver looks up a host's addresses. *net.Resolver satisfies it; tests
// inject a map of reserved names (*.test) to loopback addresses.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// BlockedError is returned when the guard refuses an address. Reason is
// stable and safe to record ("loopback address 127.0.0.9 not in --allow-cidr").
type BlockedError struct {
	Host   string
	Addr   netip.Addr
	Reason string
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("refused to connect to %s: %s", e.Host, e.Reason)
}

// IsBlocked reports whether err came from the SSRF guard.
func IsBlocked(err error) (*BlockedError, bool) {
	var b *BlockedError
	ok := errors.As(err, &b)
	return b, ok
}

// blockedRanges are never dialled unless an --allow-cidr range contains the
// address. Public unicast is everything else. IPv4-mapped, NAT64 and 6to4
// forms are unwrapped before this check (see embeddedV4), so an IPv6 spelling
// cannot smuggle a private IPv4 address past it.
var blockedRanges = []struct {
	p    netip.Prefix
	name string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified/this-network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (CGNAT)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "unique local (private)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

var (
	nat64Prefix      = netip.MustParsePrefix("64:ff9b::/96")
	nat64LocalPrefix = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFourPrefix  = netip.MustParsePrefix("2002::/16")
	teredoPrefix     = netip.MustParsePrefix("2001::/32")
)

// embeddedV4 returns the IPv4 address carried inside an IPv6 address
// (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96,
// 6to4 2002:aabb:ccdd::/48), if any.
func embeddedV4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	if a.Is4In6() {
		return a.Unmap(), true
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a), nat64LocalPrefix.Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFourPrefix.Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	case teredoPrefix.Contains(a):
		// Teredo carries the client's address XOR 0xff in the last 32 bits.
		return netip.AddrFrom4([4]byte{^b[12], ^b[13], ^b[14], ^b[15]}), true
	}
	// IPv4-compatible (deprecated) ::a.b.c.d, but not :: or ::1.
	zero := true
	for _, x := range b[:12] {
		if x != 0 {
			zero = false
			break
		}
	}
	if zero && (b[12]|b[13]) != 0 {
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	}
	return netip.Addr{}, false
}

// Guard decides which addresses may be dialled.
type Guard struct {
	allow []netip.Prefix
}

// NewGuard builds a guard that allows public unicast addresses plus the given
// ranges.
func NewGuard(allow []netip.Prefix) *Guard {
	return &Guard{allow: append([]netip.Prefix(nil), allow...)}
}

// ParseCIDRs parses --allow-cidr values; a bare address means a single host.
func ParseCIDRs(vals []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !strings.Contains(v, "/") {
			a, err := netip.ParseAddr(v)
			if err != nil {
				return nil, fmt.Errorf("--allow-cidr %q: not an address or CIDR range", v)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return nil, fmt.Errorf("--allow-cidr %q: not a CIDR range", v)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Check returns "" when addr may be dialled, otherwise the reason it may not.
func (g *Guard) Check(addr netip.Addr) string {
	addr = addr.WithZone("")
	for _, p := range g.allow {
		if p.Contains(addr) || (addr.Is4In6() && p.Contains(addr.Unmap())) {
			return ""
		}
	}
	check := []netip.Addr{addr}
	if v4, ok := embeddedV4(addr); ok {
		check = append(check, v4)
	}
	for i, a := range check {
		for _, r := range blockedRanges {
			if r.p.Contains(a) {
				form := ""
				if i > 0 {
					form = fmt.Sprintf(" (embedded in %s)", addr)
				}
				return fmt.Sprintf("%s address %s%s not in --allow-cidr", r.name, a, form)
			}
		}
	}
	return ""
}

// Dialer dials TCP connections only to addresses the guard allows. The check
// runs in net.Dialer.Control, on the address actually being connected, so a
// name that resolves to a public address at one moment and a private one the
// next (DNS rebinding) is still refused.
type Dialer struct {
	Guard    *Guard
	Resolver Resolver
	Timeout  time.Duration
}

// DialContext resolves addr's host and dials the first allowed address.
func (d *Dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if a, perr := netip.ParseAddr(host); perr == nil {
		ips = []netip.Addr{a}
	} else {
		r := d.Resolver
		if r == nil {
			r = net.DefaultResolver
		}
		ips, err = r.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, err)
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("resolve %s: no addresses", host)
		}
	}
	var firstErr error
	for _, ip := range ips {
		if reason := d.Guard.Check(ip); reason != "" {
			if firstErr == nil {
				firstErr = &BlockedError{Host: host, Addr: ip, Reason: reason}
			}
			continue
		}
		nd := net.Dialer{Timeout: d.Timeout, Control: d.control(host)}
		c, err := nd.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		if firstErr == nil {
			firstErr = err
		} else if _, blocked := IsBlocked(firstErr); blocked {
			firstErr = err
		}
	}
	return nil, firstErr
}

func (d *Dialer) control(host string) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return &BlockedError{Host: host, Reason: "unparseable address"}
		}
		if reason := d.Guard.Check(ap.Addr()); reason != "" {
			return &BlockedError{Host: host, Addr: ap.Addr(), Reason: reason}
		}
		return nil
	}
}

// LookupFunc adapts a LookupHost-style function (a static table, a test
// resolver) to the Resolver interface.
type LookupFunc func(ctx context.Context, host string) ([]string, error)

// LookupNetIP implements Resolver.
func (f LookupFunc) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	addrs, err := f(ctx, host)
	if err != nil {
		return nil, err
	}
	out := make([]netip.Addr, 0, len(addrs))
	for _, a := range addrs {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: bad address %q", host, a)
		}
		out = append(out, ip)
	}
	return out, nil
}
