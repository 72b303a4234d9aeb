package report

import "strings"

// checklist judges each rule on what the bundle proves; each row's title
// and legal basis are in the catalogue ("rule.<id>.title", "rule.<id>.law").
// A rule passes only on signed evidence; what the bundle does not say is a
// fail (or, for terms read from a live store's ledger, a warning: true for
// the provider, not provable to a buyer). An unverified bundle proves
// nothing, so every rule fails then, with what it would otherwise have said.
func (a *aggregator) checklist() []Rule {
	rules := []Rule{a.rulePublic(), a.rulePolite(), a.rulePIPL6(), a.ruleConsentTerms(), a.ruleRecipients(),
		a.ruleRefusal(), a.ruleSensitive(), a.ruleMinors(), a.ruleDeletion(), a.ruleC3()}
	if !a.r.Verdict.Verified {
		for i := range rules {
			rules[i].Status = Fail
			rules[i].Msg = a.t.t("rule.unverified") + " " + rules[i].Msg
		}
	}
	return rules
}

func (a *aggregator) has(codes ...string) (int64, []Ref) {
	var n int64
	var refs []Ref
	for _, c := range codes {
		if an := a.anomalies[c]; an != nil {
			n += an.Count
			refs = append(refs, an.Examples...)
			refs = append(refs, Ref{Label: a.t.t("anomalies"), Anchor: "anomaly-" + c})
		}
	}
	return n, refs
}

func (a *aggregator) rulePublic() Rule {
	r := Rule{ID: "public"}
	ac := &a.access
	switch n, refs := a.has("credentials", "refused-with-text"); {
	case ac.records == 0:
		r.Status, r.Msg = Fail, a.t.t("rule.public.none")
	case n > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.public.breach", n), refs
	case ac.missing > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.public.missing", ac.missing, ac.records), ac.missingRefs
	default:
		r.Status, r.Msg = Pass, a.t.f("rule.public.pass", ac.records, ac.nonpublic)
		r.Evidence = ac.nonpublicRefs
	}
	return r
}

func (a *aggregator) rulePolite() Rule {
	r := Rule{ID: "polite"}
	cfg := a.runConfig()
	var robots int64
	var refs []Ref
	for _, h := range a.hosts {
		robots += int64(h.robotsFetches)
	}
	for _, h := range a.r.Hosts {
		if h.Politeness.Status == PoliteFast && len(refs) < a.lim.Examples {
			refs = append(refs, Ref{Label: h.Name, Anchor: h.Anchor})
		}
	}
	for _, run := range a.runs {
		if len(refs) < a.lim.Examples {
			refs = append(refs, a.cite(run.Index))
		}
	}
	n, bad := a.has("fetched-disallowed", "no-robots", "too-fast", "busy-minute")
	switch {
	case n > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.polite.fast", n), bad
	case !cfg.known:
		r.Status, r.Msg = Fail, a.t.t("rule.polite.unknown")
	case cfg.delay <= 0:
		r.Status, r.Msg, r.Evidence = Warn, a.t.t("rule.polite.nodelay"), refs
	default:
		r.Status, r.Msg, r.Evidence = Pass, a.t.f("rule.polite.pass", dur(cfg.delay), cfg.perHost, robots), refs
	}
	return r
}

// keptConsents are the consents that keep values now.
func (a *aggregator) keptConsents() []*Consent {
	var out []*Consent
	for _, c := range a.sortedConsents() {
		if c.KeptNow > 0 {
			out = append(out, c)
		}
	}
	return out
}

func consentRefs(cs []*Consent, limit int) []Ref {
	var refs []Ref
	for _, c := range cs {
		if len(refs) >= limit {
			break
		}
		refs = append(refs, Ref{Label: short(c.ID), Anchor: c.Anchor})
	}
	return refs
}

// policyText is the text of every policy that decided the crawl, or false
// when a policy's text is not in the bundle (or does not hash to its
// version).
func (a *aggregator) policyText() ([]*Policy, bool) {
	var ps []*Policy
	for _, p := range a.policies {
		if !p.TextVerified {
			return nil, false
		}
		ps = append(ps, p)
	}
	return ps, len(ps) > 0
}

func (a *aggregator) rulePIPL6() Rule {
	r := Rule{ID: "pipl6"}
	kept := a.keptConsents()
	purposes := map[string]bool{}
	for _, run := range a.runs {
		if run.Purpose != "" {
			purposes[run.Purpose] = true
		}
	}
	ps, textOK := a.policyText()
	var wrong []*Consent
	for _, c := range kept {
		if c.Known && !purposes[c.Purpose] {
			wrong = append(wrong, c)
		}
	}
	keepsPersonal := false
	for _, p := range ps {
		for k, v := range p.Actions {
			if strings.HasPrefix(k, "type ") && strings.HasSuffix(k, " personal") && v == "keep" {
				keepsPersonal = true
			}
		}
	}
	refs := a.runRefs()
	switch {
	case !textOK:
		r.Status, r.Msg = Fail, a.t.t("rule.pipl6.nopolicy")
	case len(kept) > 0 && len(purposes) == 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.t("rule.pipl6.nopurpose"), consentRefs(kept, a.lim.Examples)
	case len(wrong) > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.pipl6.purpose", len(wrong)), consentRefs(wrong, a.lim.Examples)
	case keepsPersonal:
		r.Status, r.Msg, r.Evidence = Warn, a.t.t("rule.pipl6.keeps"), refs
	case len(purposes) == 0:
		r.Status, r.Msg, r.Evidence = Warn, a.t.t("rule.pipl6.nopurpose.nokept"), refs
	default:
		r.Status, r.Msg, r.Evidence = Pass, a.t.f("rule.pipl6.pass", a.pi.consentKept), refs
	}
	return r
}

func (a *aggregator) runRefs() []Ref {
	var refs []Ref
	for _, run := range a.runs {
		if len(refs) >= a.lim.Examples {
			break
		}
		refs = append(refs, a.cite(run.Index))
	}
	return refs
}

// termsRule judges the kept values' consents on one aspect: check returns
// a problem with a consent's known terms, or "".
func (a *aggregator) termsRule(id string, noneMsg string, only func(c *Consent) bool, check func(c *Consent) string) Rule {
	r := Rule{ID: id}
	var kept []*Consent
	for _, c := range a.keptConsents() {
		if only == nil || only(c) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		r.Status, r.Msg = Pass, noneMsg
		return r
	}
	var unknown, bad, ledger []*Consent
	var why []string
	for _, c := range kept {
		switch {
		case !c.Known:
			unknown = append(unknown, c)
		case check(c) != "":
			bad = append(bad, c)
			if len(why) < 3 {
				why = append(why, short(c.ID)+": "+check(c))
			}
		case c.Source == "ledger":
			ledger = append(ledger, c)
		}
	}
	switch {
	case len(bad) > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.terms.bad", len(bad))+" "+strings.Join(why, "; "), consentRefs(bad, a.lim.Examples)
	case len(unknown) > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.terms.unknown", len(unknown)), consentRefs(unknown, a.lim.Examples)
	case len(ledger) > 0:
		r.Status, r.Msg, r.Evidence = Warn, a.t.f("rule.terms.ledger", len(ledger)), consentRefs(ledger, a.lim.Examples)
	default:
		r.Status, r.Msg, r.Evidence = Pass, a.t.f("rule."+id+".pass", len(kept)), consentRefs(kept, a.lim.Examples)
	}
	return r
}

func (a *aggregator) ruleConsentTerms() Rule {
	return a.termsRule("pipl14", a.t.f("rule.nokept", a.pi.findings), nil, func(c *Consent) string {
		if ps := termsProblems(c); len(ps) > 0 {
			return ps[0]
		}
		return ""
	})
}

func (a *aggregator) ruleRecipients() Rule {
	return a.termsRule("pipl23", a.t.f("rule.nokept", a.pi.findings), nil, func(c *Consent) string {
		for _, p := range termsProblems(c) {
			if strings.HasPrefix(p, "recipients") {
				return p
			}
		}
		return ""
	})
}

func (a *aggregator) ruleSensitive() Rule {
	// Only consents that keep a sensitive value are concerned; the others
	// are judged by the rows above.
	sensitive := func(c *Consent) bool { return c.Sensitive }
	r := a.termsRule("pipl29", a.t.f("rule.pipl29.none", a.pi.sensitive), sensitive, func(c *Consent) string {
		if c.Sensitive && !c.Separate {
			return "separate: " + a.t.t("rule.pipl29.noseparate")
		}
		return ""
	})
	if n, refs := a.has("sensitive-no-separate"); n > 0 {
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.pipl29.anomaly", n), refs
	}
	return r
}

func (a *aggregator) ruleRefusal() Rule {
	r := Rule{ID: "pipl27"}
	var refusals int64
	for _, ev := range a.events {
		if ev.Kind == "refusal" {
			refusals++
			if len(r.Evidence) < a.lim.Examples {
				r.Evidence = append(r.Evidence, a.cite(ev.Index))
			}
		}
	}
	var kept []*Consent
	for _, c := range a.consents {
		if c.Status == "refused" && c.KeptNow > 0 {
			kept = append(kept, c)
		}
	}
	switch {
	case len(kept) > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.pipl27.kept", len(kept)), consentRefs(kept, a.lim.Examples)
	case refusals == 0:
		r.Status, r.Msg = Pass, a.t.t("rule.pipl27.none")
	default:
		r.Status, r.Msg = Pass, a.t.f("rule.pipl27.pass", refusals)
	}
	return r
}

func (a *aggregator) ruleMinors() Rule {
	r := Rule{ID: "pipl31"}
	ps, ok := a.policyText()
	if !ok {
		r.Status, r.Msg = Fail, a.t.t("rule.pipl31.nopolicy")
		return r
	}
	action := ""
	for _, p := range ps {
		if v := p.Actions["signal minor"]; v != "" && (action == "" || v == "keep") {
			action = v
		}
	}
	r.Evidence = a.runRefs()
	var noGuardian []*Consent
	for _, c := range a.keptConsents() {
		if c.Known && !c.Guardian && (contains(c.Types, "cn_resident_id") || contains(c.Types, "cn_resident_id_15")) {
			noGuardian = append(noGuardian, c)
		}
	}
	switch {
	case action == "" || action == "keep":
		r.Status, r.Msg = Fail, a.t.f("rule.pipl31.keep", action)
	case len(noGuardian) > 0:
		r.Status, r.Msg, r.Evidence = Warn, a.t.f("rule.pipl31.ids", len(noGuardian), action), consentRefs(noGuardian, a.lim.Examples)
	default:
		r.Status, r.Msg = Pass, a.t.f("rule.pipl31.pass", action, a.pi.minors)
	}
	return r
}

func (a *aggregator) ruleDeletion() Rule {
	r := Rule{ID: "pipl47"}
	var ended, purges int64
	for _, ev := range a.events {
		switch ev.Kind {
		case "withdrawal", "refusal", "expiry":
			ended++
			if len(r.Evidence) < a.lim.Examples {
				r.Evidence = append(r.Evidence, a.cite(ev.Index))
			}
		case "purge":
			purges++
		}
	}
	var unknownExpiry []*Consent
	for _, c := range a.keptConsents() {
		if !c.Known {
			unknownExpiry = append(unknownExpiry, c)
		}
	}
	if n, refs := a.has("kept-after-end", "ended-consent-kept"); n > 0 {
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.pipl47.kept", n), refs
		return r
	}
	switch {
	case len(unknownExpiry) > 0:
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.pipl47.unknown", len(unknownExpiry)), consentRefs(unknownExpiry, a.lim.Examples)
	case ended == 0 && purges == 0:
		r.Status, r.Msg = Pass, a.t.t("rule.pipl47.none")
	default:
		r.Status, r.Msg = Pass, a.t.f("rule.pipl47.pass", ended, purges)
		if len(r.Evidence) == 0 {
			r.Evidence = []Ref{{Label: a.t.t("purges"), Anchor: "purges"}}
		}
	}
	return r
}

func (a *aggregator) ruleC3() Rule {
	r := Rule{ID: "c3"}
	if n, refs := a.has("c3-kept", "c3-kept-logged"); n > 0 {
		r.Status, r.Msg, r.Evidence = Fail, a.t.f("rule.c3.kept", n), refs
		return r
	}
	r.Status, r.Msg = Pass, a.t.f("rule.c3.pass", a.pi.levels["C3"])
	return r
}
