package testweb

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strings"
)

// Resolver maps the host names of a web to their loopback addresses. It
// resolves nothing else: a name outside the web fails with a *net.DNSError.
type Resolver map[string]string

// LookupHost returns the address of host, in the shape of
// net.Resolver.LookupHost, for injecting into a crawler's dialer. An address
// of the web resolves to itself.
func (r Resolver) LookupHost(_ context.Context, host string) ([]string, error) {
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	if ip, ok := r[name]; ok {
		return []string{ip}, nil
	}
	for _, ip := range r {
		if ip == name {
			return []string{ip}, nil
		}
	}
	return nil, &net.DNSError{Err: "not a host of the synthetic web", Name: host, IsNotFound: true}
}

// DialContext dials addr ("host:port") after resolving host with LookupHost;
// it has the signature of net.Dialer.DialContext and http.Transport.DialContext.
func (r Resolver) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := r.LookupHost(ctx, host)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return d.DialContext(ctx, network, net.JoinHostPort(ips[0], port))
}

// String lists the mapping, one "name ip" per line, sorted by name.
func (r Resolver) String() string {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%s %s\n", n, r[n])
	}
	return b.String()
}
