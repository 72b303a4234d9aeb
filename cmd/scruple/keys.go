package main

import (
	"fmt"

	"github.com/scruple/scruple/consent"
)

// consentKey returns the HMAC key for consent subjects: --consent-key-file,
// or the data directory's own key (created with 0600 on first use).
func consentKey(data, file string) ([]byte, error) {
	if file != "" {
		k, err := consent.LoadKey(file)
		if err != nil {
			return nil, usageError{fmt.Errorf("--consent-key-file: %v", err)}
		}
		return k, nil
	}
	k, err := consent.LoadOrCreateKey(data)
	if err != nil {
		return nil, fmt.Errorf("consent key in %s: %w", data, err)
	}
	return k, nil
}
