package serve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/scruple/scruple"
)

// CheckAddr refuses to listen on a non-loopback address without TLS unless
// insecure is set: tokens and session cookies would cross the network in
// clear text. An empty host ("":8088), 0.0.0.0 and :: listen on every
// interface and count as non-loopback; so does any name but localhost,
// since a name may resolve anywhere.
func CheckAddr(addr string, tls, insecure bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return scruple.Errorf(scruple.EINVALID, "--addr %q: want host:port, e.g. 127.0.0.1:8088", addr)
	}
	if tls || insecure || isLoopback(host) {
		return nil
	}
	return scruple.Errorf(scruple.EINVALID,
		"--addr %s is not a loopback address: give --tls-cert and --tls-key, or --insecure-no-tls to send tokens in clear text", addr)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Serve answers on ln until ctx ends, then shuts down gracefully. With
// certFile and keyFile it serves TLS.
func (s *Server) Serve(ctx context.Context, ln net.Listener, certFile, keyFile string) error {
	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		// Uploads of a large bundle take a while; the body limit bounds them.
		ReadTimeout:    10 * time.Minute,
		WriteTimeout:   10 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       nil,
	}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		s.sweepLoop(sweepCtx)
	}()
	defer func() { stopSweep(); <-swept }()
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- hs.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// sweepLoop runs Config.Sweep every SweepEvery until ctx ends.
func (s *Server) sweepLoop(ctx context.Context) {
	if s.cfg.Sweep == nil {
		return
	}
	t := time.NewTicker(s.cfg.SweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.cfg.Sweep(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("consent sweep", "err", err)
			}
		}
	}
}
