package rqlite

import (
	"errors"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// A lost race is ECONFLICT (what `crm import` runs again on) and
// ErrChanged, and says how many tries only when there were several.
func TestChangedError(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		times    bool
	}{{1, false}, {5, true}} {
		err := error(&changedError{cluster: "rqlite://h1:4001", attempts: tc.attempts})
		if crm.ErrorCode(err) != crm.ECONFLICT || !errors.Is(err, ErrChanged) {
			t.Errorf("%d attempts: code %q, ErrChanged %v", tc.attempts, crm.ErrorCode(err), errors.Is(err, ErrChanged))
		}
		if msg := err.Error(); strings.Contains(msg, "times)") != tc.times || !strings.Contains(msg, "nothing was written") {
			t.Errorf("%d attempts: %q", tc.attempts, msg)
		}
	}
}
