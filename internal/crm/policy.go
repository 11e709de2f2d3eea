package crm

// Tier service policy (分级服务, SPEC §13): how much attention each tier
// gets — a relationship level (关系水平) and the cadences the agenda's
// policy.* rules (§10.2) follow. The course gives the direction (few
// high-margin customers get the high levels, many low-margin ones the low);
// the numbers of DefaultServicePolicy are ours and every one is a setting
// (policy.<row>.level | visit_every | contact_every | after_sale, row
// one of gold, a, b, c, none).

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// RelationLevel is a relationship level [003 表 1-2].
type RelationLevel string

const (
	RelationBasic       RelationLevel = "basic"       // 基本型: sells, no further contact
	RelationReactive    RelationLevel = "reactive"    // 被动型: invites the customer to call
	RelationAccountable RelationLevel = "accountable" // 负责型: calls soon after the sale
	RelationProactive   RelationLevel = "proactive"   // 能动型: keeps in touch with suggestions
	RelationPartner     RelationLevel = "partner"     // 伙伴型: works continuously with the customer
)

// RelationLevels lists the levels, lowest first.
var RelationLevels = []RelationLevel{RelationBasic, RelationReactive, RelationAccountable, RelationProactive, RelationPartner}

var relationZh = map[RelationLevel]string{
	RelationBasic: "基本型", RelationReactive: "被动型", RelationAccountable: "负责型",
	RelationProactive: "能动型", RelationPartner: "伙伴型",
}

// Label is the level in lang.
func (l RelationLevel) Label(lang string) string { return Pick(lang, string(l), relationZh[l]) }

// ParseRelationLevel accepts the English keys and the course's words.
func ParseRelationLevel(s string) (RelationLevel, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, l := range RelationLevels {
		if t == string(l) || s == relationZh[l] {
			return l, nil
		}
	}
	return "", Errorf(EINVALID, "relationship level %q: must be one of basic, reactive, accountable, proactive, partner", s)
}

// PolicyRows are the rows of the policy table, as the settings name them:
// gold (tier A and gold 金牌), a, b, c, none (no tier).
var PolicyRows = []string{"gold", "a", "b", "c", "none"}

// PolicyRowLabel is a policy row in lang ("A and gold", "A key", "B 普通客户"…).
func PolicyRowLabel(row, lang string) string {
	switch row {
	case "gold":
		return Pick(lang, "A and gold", "A 金牌客户")
	case "a":
		return TierA + " " + TierLabel(TierA, lang)
	case "b":
		return TierB + " " + TierLabel(TierB, lang)
	case "c":
		return TierC + " " + TierLabel(TierC, lang)
	}
	return Pick(lang, "no tier", "无级别")
}

// PolicyRowOf is the policy row of a customer with tier (A, B, C or "") and gold.
func PolicyRowOf(tier string, gold bool) string {
	switch tier {
	case TierA:
		if gold {
			return "gold"
		}
		return "a"
	case TierB:
		return "b"
	case TierC:
		return "c"
	}
	return "none"
}

// TierService is one row of the policy: the relationship level and its
// cadences in days; 0 means none (no such line on the agenda).
type TierService struct {
	Level         RelationLevel
	VisitEvery    int // policy.visit: days between visits (面访)
	ContactEvery  int // policy.contact: days between touches (有效接触)
	AfterSaleDays int // policy.after_sale: days after a sale for the after-sale call
}

// ServicePolicy is the whole table, by PolicyRows key.
type ServicePolicy map[string]TierService

// DefaultServicePolicy is SPEC §13's table (the numbers are ours).
func DefaultServicePolicy() ServicePolicy {
	return ServicePolicy{
		"gold": {Level: RelationPartner, VisitEvery: 30, ContactEvery: 14, AfterSaleDays: 7},
		"a":    {Level: RelationProactive, VisitEvery: 60, ContactEvery: 30, AfterSaleDays: 7},
		"b":    {Level: RelationAccountable, ContactEvery: 90, AfterSaleDays: 7},
		"c":    {Level: RelationReactive},
		"none": {Level: RelationBasic},
	}
}

// For is the row of a customer with tier and gold.
func (p ServicePolicy) For(tier string, gold bool) TierService { return p[PolicyRowOf(tier, gold)] }

// CustomerWish is a customer's own wish (SPEC §13, `customer edit
// --contact-every 30d|none --channel …`) as of a date: how often they want
// to hear from us, and how.
type CustomerWish struct {
	// ContactSet: the customer named a contact cadence; ContactEvery is it
	// (0: none — "do not contact me on a schedule").
	ContactSet   bool
	ContactEvery int
	// Channel: phone, email, visit, message, letter; "": no wish.
	Channel string
	Since   Date // the date of the wish in effect
}

// Channels are the channels a customer may ask for.
var Channels = []string{"phone", "email", "visit", "message", "letter"}

var channelZh = map[string]string{"phone": "电话", "email": "邮件", "visit": "拜访", "message": "短信/微信", "letter": "信函"}

// ChannelLabel is a channel in lang.
func ChannelLabel(c, lang string) string { return Pick(lang, c, channelZh[c]) }

// ParseChannel checks a --channel value.
func ParseChannel(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for _, c := range Channels {
		if t == c {
			return c, nil
		}
	}
	return "", Errorf(EINVALID, "channel %q: must be one of %s", s, strings.Join(Channels, ", "))
}

// Effective is the service a customer with tier and gold gets: the tier's
// row, with the customer's own contact cadence first (SPEC §13).
func (p ServicePolicy) Effective(tier string, gold bool, w CustomerWish) TierService {
	s := p.For(tier, gold)
	if w.ContactSet {
		s.ContactEvery = w.ContactEvery
	}
	return s
}

// ParseCadence reads a cadence: "30d", "30", "4w", "2m" (30-day months are
// not calendar months: 2m = 60 days), or "none"/"0"/"-" (0: no cadence).
func ParseCadence(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "none", "-", "0", "0d", "off", "no":
		return 0, nil
	}
	mul := 1
	switch {
	case strings.HasSuffix(t, "d"):
		t = t[:len(t)-1]
	case strings.HasSuffix(t, "w"):
		t, mul = t[:len(t)-1], 7
	case strings.HasSuffix(t, "m"):
		t, mul = t[:len(t)-1], 30
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 3650 {
		return 0, Errorf(EINVALID, "cadence %q: want a number of days such as 30d (or 4w, 2m), up to 3650 days, or none", s)
	}
	return n * mul, nil
}

// FormatCadence prints a cadence as ParseCadence reads it: "30d" or "none".
func FormatCadence(days int) string {
	if days <= 0 {
		return "none"
	}
	return fmt.Sprintf("%dd", days)
}

// Any reports whether w asks for anything (a contact cadence or a channel);
// a wish that asks for nothing is "no wish": the tier's policy applies.
func (w CustomerWish) Any() bool { return w.ContactSet || w.Channel != "" }

// WishChange is what `customer edit --contact-every … --channel …` changes of
// a customer's wish on Date; the part it does not name stays as it is in
// effect on that date.
type WishChange struct {
	CustomerID int64
	Date       Date
	// Contact: change the contact cadence to ContactSet / ContactEvery
	// (ContactSet false: no wish of its own, the tier's cadence again).
	Contact      bool
	ContactSet   bool
	ContactEvery int
	// Channel: change the channel to ChannelTo ("": no wish).
	Channel   bool
	ChannelTo string
}

// Apply is the wish in effect after c, from w, the wish in effect on c.Date
// (the zero CustomerWish when there is none).
func (c WishChange) Apply(w CustomerWish) CustomerWish {
	if c.Contact {
		w.ContactSet, w.ContactEvery = c.ContactSet, c.ContactEvery
		if !w.ContactSet {
			w.ContactEvery = 0
		}
	}
	if c.Channel {
		w.Channel = c.ChannelTo
	}
	w.Since = c.Date
	return w
}

// ParseWishCadence reads `customer edit --contact-every`: a cadence
// (ParseCadence: 30d, 4w, 2m, or none — no contact on a schedule), or
// "tier" / "" — no wish of its own, the tier's cadence again. set is false
// for the latter.
func ParseWishCadence(s string) (days int, set bool, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "tier", "default":
		return 0, false, nil
	}
	days, err = ParseCadence(s)
	return days, err == nil, err
}

// ParseWishChannel reads `customer edit --channel`: a channel, or "none" /
// "" (no wish: "").
func ParseWishChannel(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none", "-":
		return "", nil
	}
	return ParseChannel(s)
}

// PolicyService stores the customers' own wishes (internal/sqlite/policy.go):
// dated, append-only, so a past day replays.
type PolicyService interface {
	// CustomerWishes returns the wish in effect at asOf of every customer
	// that has one (the latest recorded on or before asOf, when it asks
	// for anything).
	CustomerWishes(ctx context.Context, asOf Date) (map[int64]CustomerWish, error)
	// SetCustomerWish records w (dated w.Since) for the customer.
	SetCustomerWish(ctx context.Context, customerID int64, w CustomerWish) error
	// EditCustomer is `customer edit`'s one transaction: it writes c (when
	// not nil; every field, as CustomerService.Update) and records ch (when
	// not nil; nothing when it changes nothing), and returns the wish in
	// effect on ch.Date after it (nil: none, or no ch).
	EditCustomer(ctx context.Context, c *Customer, ch *WishChange) (*CustomerWish, error)
	// PolicyOrders returns the orders with amount > 0 dated in w, each with
	// the date of the customer's first touch after it (dated after the
	// order, on or before w.AsOf; NoDate: none yet): what `policy check`'s
	// after-sale count reads.
	PolicyOrders(ctx context.Context, w AnalysisWindow) ([]PolicyOrder, error)
	// PolicyCustomers returns every customer's id, code, name and owner, by
	// code (owner not "": that owner's only).
	PolicyCustomers(ctx context.Context, owner string) ([]PolicyCustomer, error)
}
