package serve

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/scruple/scruple"
)

// metrics are the server's Prometheus series. Labels are route patterns,
// status codes and record kinds only: never a path (which holds consent
// ids), a query, a token label or anything a subject sent.
type metrics struct {
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	authFailures prometheus.Counter
	withdrawals  prometheus.Counter
	purged       prometheus.Counter
	grants       prometheus.Counter
	refused      prometheus.Counter
}

func newMetrics(reg *prometheus.Registry, st scruple.Store) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "scruple_serve_requests_total",
			Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "scruple_serve_request_seconds",
			Help: "HTTP request latency by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "scruple_serve_auth_failures_total",
			Help: "Requests with an unknown or revoked token, and failed sign-ins."}),
		withdrawals: prometheus.NewCounter(prometheus.CounterOpts{Name: "scruple_serve_withdrawals_total",
			Help: "Consents withdrawn through the server."}),
		purged: prometheus.NewCounter(prometheus.CounterOpts{Name: "scruple_serve_records_purged_total",
			Help: "Records purged by withdrawals and refusals made through the server."}),
		grants: prometheus.NewCounter(prometheus.CounterOpts{Name: "scruple_serve_consents_granted_total",
			Help: "Consents granted through the server."}),
		refused: prometheus.NewCounter(prometheus.CounterOpts{Name: "scruple_serve_grants_refused_total",
			Help: "Grants refused for breaking consent rules."}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.authFailures, m.withdrawals, m.purged, m.grants, m.refused,
		&storeCollector{st: st}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	if code == 0 {
		code = 200
	}
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

// storeCollector reads the crawl's progress from the store at scrape time,
// so the figures are the store's, shared by every worker of the crawl.
type storeCollector struct{ st scruple.Store }

var (
	frontierDesc = prometheus.NewDesc("scruple_frontier_urls", "URLs in the frontier by state.", []string{"state"}, nil)
	recordsDesc  = prometheus.NewDesc("scruple_records", "Stored records by kind.", []string{"kind"}, nil)
	logDesc      = prometheus.NewDesc("scruple_log_entries", "Entries in the provenance log.", nil, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- frontierDesc
	ch <- recordsDesc
	ch <- logDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if fc, err := c.st.Counts(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(frontierDesc, prometheus.GaugeValue, float64(fc.Queued), "queued")
		ch <- prometheus.MustNewConstMetric(frontierDesc, prometheus.GaugeValue, float64(fc.Leased), "leased")
		ch <- prometheus.MustNewConstMetric(frontierDesc, prometheus.GaugeValue, float64(fc.Done), "done")
	}
	if rc, err := c.st.RecordCounts(ctx); err == nil {
		for k, n := range rc {
			ch <- prometheus.MustNewConstMetric(recordsDesc, prometheus.GaugeValue, float64(n), string(k))
		}
	}
	if n, err := c.st.LogSize(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(logDesc, prometheus.GaugeValue, float64(n))
	}
}
