package crawler

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/scruple/scruple"
)

// metrics are the crawl's Prometheus series. Labels are fixed, small sets
// (kinds, status classes): never URLs, hosts' paths or content.
type metrics struct {
	records  *prometheus.CounterVec
	requests *prometheus.CounterVec
	robots   *prometheus.CounterVec
	bytes    prometheus.Counter
	// findings counts personal information by type and action; the labels
	// are type ids, never values.
	findings      *prometheus.CounterVec
	personalLinks prometheus.Counter
	// overlongUnrecorded counts over-long links beyond the per-page and
	// per-host bounds (overlong.go).
	overlongUnrecorded prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scruple_records_total", Help: "URLs recorded, by outcome kind.",
		}, []string{"kind"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scruple_requests_total", Help: "HTTP requests for pages, by status class (2xx..5xx, error, blocked).",
		}, []string{"class"}),
		robots: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scruple_robots_fetches_total", Help: "robots.txt fetches, by result class.",
		}, []string{"class"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scruple_body_bytes_total", Help: "Decompressed body bytes of recorded responses.",
		}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "scruple_pi_findings_total", Help: "Personal information found in kept pages, by type and action.",
		}, []string{"type", "action"}),
		personalLinks: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scruple_personal_links_total", Help: "Links not followed because their URL carries personal information.",
		}),
		overlongUnrecorded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "scruple_overlong_links_unrecorded_total", Help: "Links over 8 KiB given no record of their own (beyond the per-page and per-host bounds).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.records, m.requests, m.robots, m.bytes, m.findings, m.personalLinks, m.overlongUnrecorded)
	}
	return m
}

// account updates stats and metrics for a committed record.
func (c *Crawler) account(r *scruple.Record) {
	c.stats.processed.Add(1)
	switch r.Kind {
	case scruple.KindPage, scruple.KindDuplicate, scruple.KindNoIndex:
		c.stats.pages.Add(1)
	case scruple.KindError:
		c.stats.failed.Add(1)
	}
	c.metrics.records.WithLabelValues(string(r.Kind)).Inc()
	c.metrics.bytes.Add(float64(r.Size))
}
