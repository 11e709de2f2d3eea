package crm

// The analysis window (SPEC §2), what RFM scoring and tiers read from storage
// (implemented in internal/sqlite/rfm_inputs.go and tiers.go), and the helpers every command
// that needs a customer's tier shares (tier, customer list --tier, complaints).

import (
	"context"
	"strconv"
	"strings"
)

// AnalysisWindow selects the orders an analysis reads (SPEC §2): those dated
// on or after Since (NoDate: from the first order) and on or before AsOf.
// Written as an interval of days it is (Since − 1, AsOf].
type AnalysisWindow struct {
	Since Date // first day included; NoDate = all history
	AsOf  Date // last day included
}

// Contains reports whether an order dated d is in the window.
func (w AnalysisWindow) Contains(d Date) bool {
	return d <= w.AsOf && (w.Since == NoDate || d >= w.Since)
}

// String describes the window: "all history to 2024-12-31" or
// "2024-01-01 to 2024-12-31".
func (w AnalysisWindow) String() string {
	if w.Since == NoDate {
		return "all history to " + w.AsOf.String()
	}
	return w.Since.String() + " to " + w.AsOf.String()
}

// NewAnalysisWindow builds the window of --since and --window (at most one
// of them non-empty) back from asOf. --since DATE is the first day included.
// --window N with a unit d (days), w (weeks), m (calendar months) or y
// (years) is the last N units up to and including asOf: 30d is the 30 days
// asOf−29 … asOf, and 3m from 2024-12-31 starts on 2024-10-01 (the day after
// asOf moved back 3 months). Errors are EINVALID.
func NewAnalysisWindow(asOf Date, since, window string) (AnalysisWindow, error) {
	w := AnalysisWindow{Since: NoDate, AsOf: asOf}
	since, window = strings.TrimSpace(since), strings.TrimSpace(window)
	switch {
	case since != "" && window != "":
		return w, Errorf(EINVALID, "--since and --window: give one or the other")
	case since != "":
		d, err := ParseDate(since)
		if err != nil {
			return w, Errorf(EINVALID, "--since: %v", err)
		}
		if d > asOf {
			return w, Errorf(EINVALID, "--since %s is after the as-of date %s", d, asOf)
		}
		w.Since = d
	case window != "":
		d, err := WindowStart(window, asOf)
		if err != nil {
			return w, err
		}
		w.Since = d
	}
	return w, nil
}

// WindowStart is the first day of the window "Nd", "Nw", "Nm" or "Ny" that
// ends on asOf (see NewAnalysisWindow).
func WindowStart(spec string, asOf Date) (Date, error) {
	s := strings.ToLower(strings.TrimSpace(spec))
	bad := Errorf(EINVALID, "--window %q: want a positive number and a unit d, w, m or y (90d, 12w, 6m, 1y)", spec)
	if len(s) < 2 {
		return NoDate, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 100000 {
		return NoDate, bad
	}
	switch s[len(s)-1] {
	case 'd':
		return asOf - Date(n) + 1, nil
	case 'w':
		return asOf - Date(7*n) + 1, nil
	case 'm':
		return asOf.AddMonths(-n) + 1, nil
	case 'y':
		if n > 10000 {
			return NoDate, bad
		}
		return asOf.AddMonths(-12*n) + 1, nil
	}
	return NoDate, bad
}

// TierPinRecord is a stored tier pin.
type TierPinRecord struct {
	CustomerID int64
	Code, Name string
	Tier       string // A, B or C
	Reason     string
	// On is the date the pin takes effect (the as-of date of `tier pin`):
	// tiers computed as of an earlier date ignore it.
	On        Date
	CreatedAt string
}

// TierSnapshotInfo describes one saved tier snapshot.
type TierSnapshotInfo struct {
	AsOf      Date
	Method    string
	Params    string // the options it was computed with, for people
	Customers int    // customers with a tier
	Total     Money  // S: total monetary of the ranked customers
	SavedAt   string
}

// TierSnapshotRow is one customer's tier in a snapshot.
type TierSnapshotRow struct {
	CustomerID int64
	Code, Name string // filled when read back
	Tier       string
	Monetary   Money
	Gold       bool
	Pinned     bool
}

// AnalysisService reads what RFM scoring and tiers need, and keeps tier pins
// and snapshots.
type AnalysisService interface {
	// RFMInputs aggregates every customer's orders in the window: one
	// RFMInput per customer (all of them, ordered by code, then id), with
	// Frequency 0 and Last NoDate for those without a positive order in the
	// window.
	RFMInputs(ctx context.Context, w AnalysisWindow) ([]RFMInput, error)
	// RFMStanding is RFMInputs as points (no codes, no names), in customer
	// id order, of the customers with an order in the window only: what one
	// customer's scores and tier among all need, read as cheaply as
	// storage can (the whole history as of today from the totals it keeps).
	RFMStanding(ctx context.Context, w AnalysisWindow) ([]RFMPoint, error)

	// MonetaryByDay lists the orders dated on or before upTo as (customer,
	// date, amount), by date (then customer): what CustomerTiersOn sweeps.
	MonetaryByDay(ctx context.Context, upTo Date) ([]DayMonetary, error)

	// TierPins lists the pins, by customer code.
	TierPins(ctx context.Context) ([]TierPinRecord, error)
	// PinTier sets (or replaces) the pin of p.CustomerID and returns the
	// pin it replaced, nil if none. The reason must not be empty (EINVALID).
	PinTier(ctx context.Context, p TierPinRecord) (*TierPinRecord, error)
	// UnpinTier removes the pin of a customer and returns it; ENOTFOUND
	// when the customer has none.
	UnpinTier(ctx context.Context, customerID int64) (*TierPinRecord, error)

	// SaveTierSnapshot stores the tiers as of info.AsOf, replacing a
	// snapshot saved before at that date (replaced reports it).
	SaveTierSnapshot(ctx context.Context, info TierSnapshotInfo, rows []TierSnapshotRow) (replaced bool, err error)
	// TierSnapshot reads the snapshot saved at asOf, rows by customer id;
	// nil info (and no error) when there is none.
	TierSnapshot(ctx context.Context, asOf Date) (*TierSnapshotInfo, []TierSnapshotRow, error)
	// TierSnapshots lists the saved snapshots by date.
	TierSnapshots(ctx context.Context) ([]TierSnapshotInfo, error)
}

// TierInputs turns RFM inputs (one per customer) into tier inputs.
func TierInputs(in []RFMInput) []TierInput {
	out := make([]TierInput, len(in))
	for i := range in {
		out[i] = TierInput{CustomerID: in[i].CustomerID, Code: in[i].Code, Name: in[i].Name, Monetary: in[i].Monetary}
	}
	return out
}

// TierPoints turns RFM points (one per customer) into tier inputs (no
// codes, no names).
func TierPoints(in []RFMPoint) []TierInput {
	out := make([]TierInput, len(in))
	for i := range in {
		out[i] = TierInput{CustomerID: in[i].CustomerID, Monetary: in[i].Monetary}
	}
	return out
}

// PinsAt keeps the pins in effect on asOf (set on or before it) as
// TierOptions.Pins.
func PinsAt(pins []TierPinRecord, asOf Date) map[int64]TierPin {
	m := make(map[int64]TierPin, len(pins))
	for _, p := range pins {
		if p.InEffect(asOf) {
			m[p.CustomerID] = TierPin{Tier: p.Tier, Reason: p.Reason}
		}
	}
	return m
}

// TiersAt computes the tiers of every customer over the window w with the
// pins in effect on w.AsOf (SPEC §5); opts.Pins is replaced by them.
func TiersAt(ctx context.Context, s AnalysisService, w AnalysisWindow, opts TierOptions) ([]TierRow, TierSummary, error) {
	in, opts, err := tierInputsAt(ctx, s, w, opts)
	if err != nil {
		return nil, TierSummary{}, err
	}
	return ComputeTiers(TierInputs(in), opts)
}

// TierListAt is TiersAt without the rows: RankTiers over the same inputs
// and pins, for a listing that writes each row as it is made.
func TierListAt(ctx context.Context, s AnalysisService, w AnalysisWindow, opts TierOptions) (*TierList, TierSummary, error) {
	in, opts, err := tierInputsAt(ctx, s, w, opts)
	if err != nil {
		return nil, TierSummary{}, err
	}
	return RankTiersRFM(in, opts)
}

// tierInputsAt reads what TiersAt and TierListAt rank: every customer's
// inputs over w, and opts with the pins in effect on w.AsOf.
func tierInputsAt(ctx context.Context, s AnalysisService, w AnalysisWindow, opts TierOptions) ([]RFMInput, TierOptions, error) {
	in, err := s.RFMInputs(ctx, w)
	if err != nil {
		return nil, opts, err
	}
	pins, err := s.TierPins(ctx)
	if err != nil {
		return nil, opts, err
	}
	opts.Pins = PinsAt(pins, w.AsOf)
	return in, opts, nil
}

// CustomerTiers maps every customer with a tier to it ("A", "B" or "C";
// pins included) over all history up to asOf with the default options: what
// `customer list --tier` and the complaint rules ("tier A, computed or
// pinned") need.
func CustomerTiers(ctx context.Context, s AnalysisService, asOf Date) (map[int64]string, error) {
	rows, _, err := TiersAt(ctx, s, AnalysisWindow{Since: NoDate, AsOf: asOf}, DefaultTierOptions())
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(rows))
	for i := range rows {
		m[rows[i].CustomerID] = rows[i].Tier
	}
	return m, nil
}
