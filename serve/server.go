package serve

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report"
)

// Default limits. A JSON request is a consent or a lookup: a few hundred
// bytes. A bundle is as big as a crawl, so its limit is a flag.
const (
	DefaultMaxBody     = 64 << 10
	DefaultMaxUpload   = 256 << 20
	DefaultMaxUnpacked = 1 << 30
)

// Config is everything a Server needs; it arrives through New, never from
// package state.
type Config struct {
	// Store is the crawl's store, opened without the data-directory lock
	// so that the server runs beside a crawl.
	Store scruple.Store
	// Ledger makes every consent change.
	Ledger Ledger
	// Tokens authenticates requests.
	Tokens *Tokens
	// Report writes the HTML report of the store (nil: 501).
	Report func(ctx context.Context, w io.Writer, lang string) error
	// Verify checks an unpacked bundle for POST /api/v1/verify (default:
	// provenance.Verify only).
	Verify func(dir, key string) (*provenance.Report, report.Checked, error)
	// Logger receives one line per request (route pattern, status, token
	// label; never a body or a query value) and internal errors.
	Logger *slog.Logger
	// MaxBody bounds JSON and form bodies; MaxUpload a bundle upload;
	// MaxUnpacked the bytes a bundle may unpack to. Zero: the defaults.
	MaxBody, MaxUpload, MaxUnpacked int64
	// Secure marks the server as served over TLS: cookies get the Secure
	// attribute and responses HSTS.
	Secure bool
	// Registry receives the server's metrics (default: a new registry,
	// served at /metrics).
	Registry *prometheus.Registry
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Info names the software and policy in the log entries the server
	// appends (provenance.KindAPI).
	Info provenance.BuildInfo
	// Sweep, when set, purges the values of consents that have expired
	// (ledger.Sweep). Serve runs it every SweepEvery while it serves: a
	// server runs for months, and an expired consent must not keep values
	// until the next crawl or consent command sweeps (PIPL Art. 47).
	Sweep func(ctx context.Context) error
	// SweepEvery is the sweep period (default one minute).
	SweepEvery time.Duration
}

// Server is the HTTP service. Its handler is safe for concurrent use.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	routes   []route
	sessions *sessions
	limiter  *limiter
	metrics  *metrics
	log      *slog.Logger
	console  *console

	statusMu   sync.Mutex
	statusAt   time.Time
	statusView *StatusView
}

// New checks cfg and builds the server.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Ledger == nil || cfg.Tokens == nil {
		return nil, errors.New("serve: Config needs a Store, a Ledger and Tokens")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.MaxUnpacked <= 0 {
		cfg.MaxUnpacked = DefaultMaxUnpacked
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), log: cfg.Logger,
		sessions: newSessions(cfg.Now), limiter: newLimiter(cfg.Now)}
	var err error
	if s.metrics, err = newMetrics(cfg.Registry, cfg.Store); err != nil {
		return nil, err
	}
	if s.console, err = newConsole(); err != nil {
		return nil, err
	}
	s.routes = s.buildRoutes()
	for _, rt := range s.routes {
		s.mux.Handle(rt.method+" "+rt.path, s.guard(rt))
	}
	s.mux.HandleFunc("/", s.notFound)
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w, s.cfg.Secure)
	writeError(w, http.StatusNotFound, "", "not_found", "no such route")
}

func (s *Server) now() time.Time { return s.cfg.Now() }
