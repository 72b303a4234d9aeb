package postgres

import (
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scruple/scruple"
)

func TestRetryable(t *testing.T) {
	pg := func(code, constraint string) error { return &pgconn.PgError{Code: code, ConstraintName: constraint} }
	for _, c := range []struct {
		err  error
		want bool
	}{
		{pg("40001", ""), true},
		{fmt.Errorf("wrapped: %w", pg("40P01", "")), true},
		{pg("23505", "records_page_digest"), true},
		{pg("23505", "frontier_crawl_id_url_key"), false},
		{pg("08006", ""), true},
		{commitError{pg("08006", "")}, false},
		{commitError{pg("40001", "")}, true},
		{pg("42P01", ""), false},
		{io.ErrUnexpectedEOF, true},
		{commitError{io.ErrUnexpectedEOF}, false},
		{context.Canceled, false},
		{scruple.Errorf(scruple.EINVALID, "bad"), false},
		{&scruple.Error{Code: scruple.ECONFLICT, Err: pg("40001", "")}, false},
	} {
		if got := retryable(c.err); got != c.want {
			t.Errorf("retryable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
