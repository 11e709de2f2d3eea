// Package cmdutil holds what every command shares: the Factory of lazily
// opened services, global options, usage errors and flag helpers.
package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/iostreams"
	"github.com/crm-course/crm/internal/output"
	"github.com/spf13/cobra"
)

// Store is everything the commands need from storage; internal/sqlite
// implements it and only cmd/root.go wires it.
type Store interface {
	crm.CustomerService
	crm.ContactService
	crm.OrderService
	crm.ImportService
	crm.AnalysisService
	crm.CreditService
	crm.ComplaintService
	crm.InteractionService
	crm.TaskService
	crm.DealService
	crm.DealReportService
	crm.ChurnService
	crm.PolicyService
	crm.AgendaService
	Backup(ctx context.Context, path string) error
	Check(ctx context.Context) ([]crm.Problem, error)
	Empty(ctx context.Context) (bool, error)
	Wipe(ctx context.Context) error
	// Replace puts the book at path in place of everything in this one, in
	// one transaction (all or nothing, even under kill -9).
	Replace(ctx context.Context, path string) error
	Close() error
}

// StagingStore is a store whose imports stage their rows on a server while
// they run (rqlite): a killed import leaves staged rows there.
// RemoveStaging removes those of imports that died and keeps those of
// imports still running. The local store has no staging.
type StagingStore interface {
	RemoveStaging(ctx context.Context) ([]crm.StagingSet, error)
}

// Globals are the root's persistent options, resolved before a command runs.
type Globals struct {
	Format output.Format
	Lang   string
	AsOf   crm.Date
	DBPath string
	// AsOfSet is true when --as-of (or its config/env) was given.
	AsOfSet bool
	// CSVSafe is --csv-safe: CSV for spreadsheets (formula cells prefixed).
	CSVSafe bool
}

// Output options for the output package.
func (g *Globals) Output() output.Options {
	return output.Options{Format: g.Format, Lang: g.Lang, CSVSafe: g.CSVSafe}
}

// Factory gives commands lazy access to what they need, so --help never opens a database.
type Factory struct {
	IO      *iostreams.IOStreams
	Ctx     context.Context
	Now     func() time.Time
	Globals *Globals
	// Store opens the database on first call.
	Store func() (Store, error)
	// OpenBook opens (creating, migrating) another book at path, such as
	// one built beside the database before it is put in place; the caller
	// closes it.
	OpenBook func(path string) (Store, error)
	// Setting returns a configuration value (config file or env) by key,
	// e.g. "credit.min_rating"; nil when unset.
	Setting func(key string) any
	// Sources lists the effective settings and where each came from.
	Sources func() []Source
}

// Customer opens the store and finds the customer a REF names (SPEC §1):
// what every verb on one customer starts with.
func (f *Factory) Customer(ref string) (Store, *crm.Customer, error) {
	st, err := f.Store()
	if err != nil {
		return nil, nil, err
	}
	c, err := st.Resolve(f.Context(), ref)
	if err != nil {
		return nil, nil, err
	}
	return st, c, nil
}

// Context is the context of the running command.
func (f *Factory) Context() context.Context {
	if f.Ctx != nil {
		return f.Ctx
	}
	return context.Background()
}

// Today is the current calendar date from the injected clock.
func (f *Factory) Today() crm.Date { return crm.DateOf(f.Now()) }

// FlagError is a usage error: exit status 2 and a usage hint.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a usage error.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// IsUsage reports whether err is a usage error (exit status 2).
func IsUsage(err error) bool {
	var fe *FlagError
	if errors.As(err, &fe) {
		return true
	}
	return crm.ErrorCode(err) == crm.EINVALID
}

// ExitError carries a command-specific exit status (credit check: 3 hold, 4 reject)
// after the command has printed its result; with Err, crm prints Err as it
// prints any error (order add refused by the credit check: 3 or 4).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err != nil {
		return e.Err.Error()
	}
	return fmt.Sprintf("exit status %d", e.Code)
}

func (e *ExitError) Unwrap() error { return e.Err }

// ExactArgs is cobra.ExactArgs with usage errors naming the arguments.
func ExactArgs(n int, names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		if len(args) < n {
			return FlagErrorf("missing %s", strings.Join(names[len(args):], " "))
		}
		return FlagErrorf("too many arguments: %q (quote a value that has spaces)", strings.Join(args[n:], " "))
	}
}

// RangeArgs accepts between min and max arguments.
func RangeArgs(min, max int, names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min {
			return FlagErrorf("missing %s", strings.Join(names[len(args):min], " "))
		}
		if len(args) > max {
			return FlagErrorf("too many arguments: %q", strings.Join(args[max:], " "))
		}
		return nil
	}
}

// NoArgs refuses positional arguments.
func NoArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return FlagErrorf("unexpected argument %q", args[0])
	}
	return nil
}

// ParseDateFlag parses a date flag value, as a usage error naming the flag.
func ParseDateFlag(name, v string) (crm.Date, error) {
	d, err := crm.ParseDate(v)
	if err != nil {
		return crm.NoDate, FlagErrorf("--%s: %v", name, err)
	}
	return d, nil
}

// ParsePeriod reads --from and --to: to defaults to asOf; from, unless
// required, to NoDate (open-ended). A from after to is a usage error.
func ParsePeriod(from, to string, asOf crm.Date, fromRequired bool) (crm.Date, crm.Date, error) {
	f, t := crm.NoDate, asOf
	var err error
	if from != "" || fromRequired {
		if f, err = ParseDateFlag("from", from); err != nil {
			return f, t, err
		}
	}
	if to != "" {
		if t, err = ParseDateFlag("to", to); err != nil {
			return f, t, err
		}
	}
	if f != crm.NoDate && f > t {
		return f, t, FlagErrorf("--from %s is after --to %s", f, t)
	}
	return f, t, nil
}

// ParseMoneyArg parses an amount argument or flag as a usage error.
func ParseMoneyArg(name, v string) (crm.Money, error) {
	m, err := crm.ParseMoney(v)
	if err != nil {
		return 0, FlagErrorf("%s: %v", name, err)
	}
	return m, nil
}

// OneOf validates an enum flag.
func OneOf(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	var named []string // "" (the flag's default) is allowed but not listed
	for _, a := range allowed {
		if a != "" {
			named = append(named, a)
		}
	}
	return FlagErrorf("--%s %q: must be one of %s", name, v, strings.Join(named, ", "))
}

// ExitStatusHelp is appended to each command's long help.
func ExitStatusHelp(extra string) string {
	s := "\nEXIT STATUS\n  0 success; 1 runtime error (bad data, missing record, database fault); 2 usage error;\n  130 interrupted (Ctrl-C): nothing was written."
	if extra != "" {
		s += "\n  " + extra
	}
	return s
}

// Source tells where an effective setting came from.
type Source struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	From  string `json:"source"`
}

// Setting is a configuration key that is not a flag of its own.
type Setting struct {
	Key, Default, Help string
}

// Settings lists the configuration keys crm reads besides flags. A default is
// written from the domain's constant, so `crm config show` says what the code
// does.
var Settings = []Setting{
	{"rfm.segments", crm.Classic8Name, "default segment scheme of the rfm commands"},
	{"rfm.schemes", "", "custom segment schemes: rfm.schemes.NAME is a list of rules {key, en, zh, r, f, m}"},
	{"credit.enforce", "false", "order add and import orders weigh the credit check before they write: hold exits 3, reject 4, nothing written"},
	{"credit.block_days", strconv.Itoa(crm.CreditDefaultBlockDays), "credit check rejects when an invoice is more than this many days overdue"},
	{"credit.min_rating", "", "credit check holds below this rating (AAA, AA, A, B, C); unset = no minimum"},
	{"credit.currency", "", "currency sign printed in collection notices (e.g. ¥)"},
	{"credit.notice_template_en", "", "English collection notice: a template (contains {{) or a file path"},
	{"credit.notice_template_zh", "", "Chinese collection notice: a template (contains {{) or a file path"},
	{"credit.sender.company", "", "sender of collection notices: company"},
	{"credit.sender.address", "", "sender of collection notices: address"},
	{"credit.sender.contact", "", "sender of collection notices: contact person"},
	{"credit.sender.phone", "", "sender of collection notices: phone"},
	{"credit.sender.email", "", "sender of collection notices: email"},
	{"complaint.followup_days", strconv.Itoa(crm.DefaultFollowUpDays), "days after resolving that the follow-up call is due"},
	{"complaint.systemic_customers", strconv.Itoa(crm.DefaultSystemicCustomers), "distinct customers that make a category systemic"},
	{"complaint.systemic_days", strconv.Itoa(crm.DefaultSystemicDays), "window of days for systemic complaints"},
	{"complaint.target_key_days", strconv.Itoa(crm.DefaultResolutionTargets[crm.ComplaintKey]), "resolution target for key complaints"},
	{"complaint.target_general_days", strconv.Itoa(crm.DefaultResolutionTargets[crm.ComplaintGeneral]), "resolution target for general complaints"},
	{"deal.levels.H.window_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelH].WindowDays), "level H: expected to buy within this many days (expected close = level_since + window)"},
	{"deal.levels.H.cadence_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelH].CadenceDays), "level H: follow up every this many days"},
	{"deal.levels.H.probability", strconv.Itoa(crm.DefaultLevelRules[crm.LevelH].Probability), "level H: percent a deal is weighted at"},
	{"deal.levels.A.window_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelA].WindowDays), "level A: expected to buy within this many days (expected close = level_since + window)"},
	{"deal.levels.A.cadence_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelA].CadenceDays), "level A: follow up every this many days"},
	{"deal.levels.A.probability", strconv.Itoa(crm.DefaultLevelRules[crm.LevelA].Probability), "level A: percent a deal is weighted at"},
	{"deal.levels.B.window_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelB].WindowDays), "level B: expected to buy within this many days (expected close = level_since + window)"},
	{"deal.levels.B.cadence_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelB].CadenceDays), "level B: follow up every this many days"},
	{"deal.levels.B.probability", strconv.Itoa(crm.DefaultLevelRules[crm.LevelB].Probability), "level B: percent a deal is weighted at"},
	{"deal.levels.C.window_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelC].WindowDays), "level C: expected to buy within this many days (expected close = level_since + window)"},
	{"deal.levels.C.cadence_days", strconv.Itoa(crm.DefaultLevelRules[crm.LevelC].CadenceDays), "level C: follow up every this many days"},
	{"deal.levels.C.probability", strconv.Itoa(crm.DefaultLevelRules[crm.LevelC].Probability), "level C: percent a deal is weighted at"},
	{"deal.hot_levels", "H,A", "levels listed by deal hot"},
	{"deal.misjudge_days", strconv.Itoa(crm.DefaultMisjudgeDays), "a lost deal whose customer orders within this many days was misjudged (假战败)"},
	{"deal.lost_reasons", "", "lost reasons: a list of {key, en, zh} (default: the 16 of SPEC §9.8; other is always kept)"},
	{"funnel.producing_days", strconv.Itoa(crm.DefaultProducingDays), "a customer with an order within this many days is producing (产出)"},
	{"churn.gaps", strconv.Itoa(crm.DefaultChurnGaps), "churn: T is the median of at most this many latest gaps between purchase days"},
	{"churn.default_gap_days", strconv.Itoa(crm.DefaultChurnGapDays), "churn: the book gap B when no customer has three gaps"},
	{"churn.overdue_factor", crm.DefaultOverdueFactor.Format(1), "churn: overdue when the days since the last purchase pass this × T"},
	{"churn.lapse_factor", crm.DefaultLapseFactor.Format(0), "churn: lapsed when the days since the last purchase pass this × T"},
	{"churn.lapse_days", strconv.Itoa(crm.DefaultLapseDays), "churn: lapsed after this many days without a purchase, whatever T"},
	{"churn.decline_pct", strconv.Itoa(crm.DefaultDeclinePct), "churn: a former key customer is declining when the last 12 months are below this % of the 12 before"},
}

// CreditBlockDays reads credit.block_days: a positive number of days
// (default crm.CreditDefaultBlockDays), or "off" (-1: the rule is off).
func CreditBlockDays(f *Factory) (int, error) {
	var s string
	if f != nil && f.Setting != nil {
		if v := f.Setting("credit.block_days"); v != nil {
			s = strings.TrimSpace(fmt.Sprint(v))
		}
	}
	switch strings.ToLower(s) {
	case "":
		return crm.CreditDefaultBlockDays, nil
	case "off", "none", "false":
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, FlagErrorf("setting credit.block_days %q: want a whole number of days, 1 or more, or off", s)
	}
	return n, nil
}

// CreditMinRating reads credit.min_rating ("" = no minimum).
func CreditMinRating(f *Factory) (string, error) {
	g, err := crm.ParseRatingOptional(settingText(f, "credit.min_rating"))
	if err != nil {
		return "", FlagErrorf("setting credit.min_rating: %v", err)
	}
	return g, nil
}

// CreditRules reads the settings the credit check weighs with
// (credit.block_days, credit.min_rating).
func CreditRules(f *Factory) (crm.CreditRules, error) {
	var r crm.CreditRules
	var err error
	if r.BlockDays, err = CreditBlockDays(f); err != nil {
		return r, err
	}
	r.MinRating, err = CreditMinRating(f)
	return r, err
}

// CreditEnforce decides whether a command that enters orders weighs them
// with the credit check: its --credit-check flag (set is its value) or the
// setting credit.enforce (true/false, default false). A typed
// --credit-check=false while credit.enforce is on is a usage error: the
// way past the check is --override --reason TEXT, which is audited.
func CreditEnforce(f *Factory, flagSet, flagValue bool) (bool, error) {
	s := strings.ToLower(settingText(f, "credit.enforce"))
	var on bool
	switch s {
	case "", "false", "no", "off", "0":
	case "true", "yes", "on", "1":
		on = true
	default:
		return false, FlagErrorf("setting credit.enforce %q: want true or false", s)
	}
	if flagSet && !flagValue && on {
		return false, FlagErrorf("--credit-check=false: credit.enforce is on, every order is checked (--override --reason TEXT lets one through, recorded in the audit log)")
	}
	return on || flagValue, nil
}

func settingText(f *Factory, key string) string {
	if f == nil || f.Setting == nil {
		return ""
	}
	v := f.Setting(key)
	if v == nil {
		return ""
	}
	return strings.TrimSpace(fmt.Sprint(v))
}
