package scruple

import (
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

func grantAt(id, subject string, granted time.Time) *Consent {
	return &Consent{ID: id, Subject: subject, GrantedAt: granted, ExpiresAt: granted.Add(30 * 24 * time.Hour)}
}

func TestConsentState(t *testing.T) {
	w := t0.Add(time.Hour)
	withdrawn := grantAt("w", "s", t0)
	withdrawn.WithdrawnAt = &w
	futureWithdrawal := grantAt("fw", "s", t0)
	later := t0.Add(10 * 24 * time.Hour)
	futureWithdrawal.WithdrawnAt = &later
	refusal := &Consent{ID: "r", Subject: "s", Refused: true, GrantedAt: t0}
	for _, tc := range []struct {
		name  string
		c     *Consent
		at    time.Time
		want  ConsentState
		final bool
	}{
		{"before grant", grantAt("a", "s", t0), t0.Add(-time.Second), ConsentNotYet, false},
		{"at grant", grantAt("a", "s", t0), t0, ConsentLive, false},
		{"just before expiry", grantAt("a", "s", t0), t0.Add(30*24*time.Hour - 1), ConsentLive, false},
		{"at expiry", grantAt("a", "s", t0), t0.Add(30 * 24 * time.Hour), ConsentExpired, false},
		{"withdrawn", withdrawn, t0.Add(2 * time.Hour), ConsentWithdrawn, true},
		// A withdrawal acts at once, whatever date it carries.
		{"withdrawn, asked before its date", withdrawn, t0, ConsentWithdrawn, true},
		{"withdrawal dated later", futureWithdrawal, t0.Add(time.Hour), ConsentWithdrawn, true},
		{"withdrawn after expiry", withdrawn, t0.Add(60 * 24 * time.Hour), ConsentWithdrawn, true},
		{"refusal", refusal, t0, ConsentRefused, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.State(tc.at); got != tc.want {
				t.Errorf("State = %q, want %q", got, tc.want)
			}
			if got := tc.c.Final(); got != tc.final {
				t.Errorf("Final = %v, want %v", got, tc.final)
			}
			if got, want := tc.c.Live(tc.at, nil), tc.want == ConsentLive; got != want {
				t.Errorf("Live = %v, want %v", got, want)
			}
			ended := tc.want == ConsentExpired || tc.want == ConsentWithdrawn || tc.want == ConsentRefused
			if got := tc.c.Ended(tc.at, nil); got != ended {
				t.Errorf("Ended = %v, want %v", got, ended)
			}
		})
	}
}

// TestLiveAndEndedCountRefusals: Live and Ended take the subject's
// refusals, so no caller can find live a grant that a refusal ended (PIPL
// Art. 27): a grant dated at or before a refusal is neither live nor
// unended, whatever its own dates; one dated after it stands.
func TestLiveAndEndedCountRefusals(t *testing.T) {
	refusal := &Consent{ID: "r", Subject: "s", Refused: true, GrantedAt: t0}
	refusals := []*Consent{refusal}
	blocked, later := grantAt("g", "s", t0.Add(-time.Hour)), grantAt("g2", "s", t0.Add(time.Hour))
	at := t0.Add(2 * time.Hour)
	if blocked.Live(at, refusals) || !blocked.Ended(at, refusals) || blocked.StateAmong(at, refusals) != ConsentRefused {
		t.Errorf("grant before the refusal: Live %v, Ended %v; want not live, ended", blocked.Live(at, refusals), blocked.Ended(at, refusals))
	}
	if !blocked.Live(at, nil) {
		t.Errorf("grant alone: not live")
	}
	if !later.Live(at, refusals) || later.Ended(at, refusals) {
		t.Errorf("grant after the refusal: Live %v, Ended %v; want live", later.Live(at, refusals), later.Ended(at, refusals))
	}
}

func TestConsentBlocks(t *testing.T) {
	refusal := &Consent{ID: "r", Subject: "s", Refused: true, GrantedAt: t0}
	for _, tc := range []struct {
		name string
		r, g *Consent
		want bool
	}{
		{"grant before the refusal", refusal, grantAt("g", "s", t0.Add(-time.Hour)), true},
		{"grant at the refusal's moment", refusal, grantAt("g", "s", t0), true},
		{"grant after the refusal", refusal, grantAt("g", "s", t0.Add(time.Second)), false},
		{"another subject", refusal, grantAt("g", "other", t0.Add(-time.Hour)), false},
		{"not a refusal", grantAt("x", "s", t0), grantAt("g", "s", t0.Add(-time.Hour)), false},
		{"a refusal does not block a refusal", refusal, &Consent{ID: "r0", Subject: "s", Refused: true, GrantedAt: t0.Add(-time.Hour)}, false},
		{"nil grant", refusal, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.Blocks(tc.g); got != tc.want {
				t.Errorf("Blocks = %v, want %v", got, tc.want)
			}
		})
	}
	g := grantAt("g", "s", t0.Add(-time.Hour))
	if st := g.StateAmong(t0, []*Consent{refusal}); st != ConsentRefused {
		t.Errorf("StateAmong a later refusal = %q, want refused", st)
	}
	if st := g.StateAmong(t0, nil); st != ConsentLive {
		t.Errorf("StateAmong no refusal = %q, want live", st)
	}
}

func TestCheckConsentWrite(t *testing.T) {
	w := t0.Add(time.Hour)
	w2 := t0.Add(2 * time.Hour)
	live := grantAt("g", "s", t0)
	withdrawn := grantAt("g", "s", t0)
	withdrawn.WithdrawnAt = &w
	withdrawnLater := grantAt("g", "s", t0)
	withdrawnLater.WithdrawnAt = &w2
	refusal := &Consent{ID: "r", Subject: "s", Refused: true, GrantedAt: t0.Add(time.Minute)}
	logged, logged2 := t0.Add(31*24*time.Hour), t0.Add(32*24*time.Hour)
	expiryLogged := grantAt("g", "s", t0)
	expiryLogged.ExpiryLoggedAt = &logged
	expiryLoggedAgain := grantAt("g", "s", t0)
	expiryLoggedAgain.ExpiryLoggedAt = &logged2
	withdrawnAfterExpiry := grantAt("g", "s", t0)
	withdrawnAfterExpiry.ExpiryLoggedAt, withdrawnAfterExpiry.WithdrawnAt = &logged, &logged2
	for _, tc := range []struct {
		name     string
		c, old   *Consent
		refusals []*Consent
		want     error
	}{
		{"new", live, nil, nil, nil},
		{"same live again", live, live, nil, nil},
		{"withdraw a live one", withdrawn, live, nil, nil},
		{"the same withdrawal again", withdrawn, withdrawn, nil, nil},
		{"revive a withdrawn one", live, withdrawn, nil, ErrConsentFinal},
		{"move a withdrawal", withdrawnLater, withdrawn, nil, ErrConsentFinal},
		{"revive a refusal", &Consent{ID: "r", Subject: "s", GrantedAt: refusal.GrantedAt}, refusal, nil, ErrConsentFinal},
		{"grant dated before a refusal", live, nil, []*Consent{refusal}, ErrConsentBlocked},
		{"withdrawing a blocked grant is fine", withdrawn, live, []*Consent{refusal}, nil},
		{"grant after a refusal", grantAt("g2", "s", t0.Add(time.Hour)), nil, []*Consent{refusal}, nil},
		{"log an expiry", expiryLogged, live, nil, nil},
		{"log an expiry twice (racing sweeps)", expiryLoggedAgain, expiryLogged, nil, ErrExpiryLogged},
		{"drop the expiry mark", live, expiryLogged, nil, ErrExpiryLogged},
		{"log an expiry twice at the same instant", expiryLogged, expiryLogged, nil, ErrExpiryLogged},
		{"withdraw after the expiry was logged", withdrawnAfterExpiry, expiryLogged, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckConsentWrite(tc.c, tc.old, tc.refusals)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("CheckConsentWrite = %v, want %v", err, tc.want)
			}
			if err != nil && ErrorCode(err) != ECONFLICT {
				t.Errorf("code %q, want conflict", ErrorCode(err))
			}
		})
	}
}
