package postgres

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scruple/scruple"
)

// commitError marks a failure of COMMIT itself. If the connection dropped
// there, the transaction may or may not have committed, and running it again
// could append its log entries twice; so only a definite abort is retried.
type commitError struct{ err error }

func (e commitError) Error() string { return "commit: " + e.err.Error() }
func (e commitError) Unwrap() error { return e.err }

// inTx runs fn in a transaction, retrying the whole transaction on transient
// failures. fn must not change anything outside the transaction until it
// commits (it may run several times).
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return s.retry(ctx, func() error {
		tx, err := s.pool.Begin(ctx)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			return err
		}
		if err := tx.Commit(ctx); err != nil {
			return commitError{err}
		}
		return nil
	})
}

// retry runs op until it succeeds, fails for good, or the attempts run out,
// with exponential backoff and jitter between attempts (10 ms, 20 ms, ...,
// about 2.5 s in all for the default 8 attempts).
func (s *Store) retry(ctx context.Context, op func() error) error {
	delay := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := op()
		if err == nil || attempt >= s.retries || !retryable(err) || ctx.Err() != nil {
			return err
		}
		t := time.NewTimer(delay/2 + rand.N(delay))
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay *= 2
	}
}

// retryable reports whether running the failed operation again may succeed
// and is safe.
func retryable(err error) bool {
	var appErr *scruple.Error
	if errors.As(err, &appErr) {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "40001", pgErr.Code == "40P01": // serialization failure, deadlock
			return true
		case pgErr.Code == "23505" && pgErr.ConstraintName == "records_page_digest":
			// Another worker kept the same body first; the retry records a duplicate.
			return true
		case pgErr.Code[:2] == "08", pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
			// Connection exceptions, server shutdown or restart: the
			// transaction was rolled back by the server.
			var ce commitError
			return !errors.As(err, &ce)
		}
		return false
	}
	var ce commitError
	if errors.As(err, &ce) {
		// The connection failed during COMMIT: outcome unknown.
		return pgconn.SafeToRetry(err)
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connectErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}
