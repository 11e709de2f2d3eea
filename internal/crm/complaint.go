package crm

// Complaint workflow (SPEC §7), after the course's handling of key-account
// complaints (处理大客户抱怨):
//
//  1. 情绪处理 — calm the customer with RMLSP (see RMLSPReminder);
//  2. 分类处理 — classify: key (关键), general (一般), false (虚假), malicious (恶意);
//     a general complaint goes through the four steps 情况调查, 责任划分, 客户沟通,
//     客户补偿 (investigation, responsibility, communication, compensation);
//  3. 改善提升 — follow up (回访) on the third day after resolving; an unhappy
//     customer sends the complaint back to handling.
//
// Everything here is a pure function over plain values. The storage layer keeps a
// complaint row plus an append-only list of events; for each command it loads the
// complaint (with its events), calls the step method, and writes the returned
// state and appends the returned event in one transaction.
//
// The state machine:
//
//	log                    → open
//	classify               open, investigating (status unchanged)
//	investigate            open → investigating; investigating → investigating (new finding)
//	resolve                investigating (with a finding) → resolved
//	follow-up 3–5          resolved → closed
//	follow-up 1–2          resolved → investigating, reopens+1
//	reopen                 resolved, closed → investigating, reopens+1
//	close                  resolved → closed (no follow-up score; customer unreachable)
//
// Rules the SPEC leaves open, decided here:
//   - Classifying is allowed while the complaint is open or investigating, never
//     after it is resolved or closed (the resolution, and whether compensation was
//     allowed, depended on the type): reopen it first. Classifying to the type it
//     already has is refused (EINVALID), and a reason is always required.
//   - Investigating again while investigating replaces the finding (the earlier one
//     stays in the events). After a reopen the finding of the previous round is kept
//     and a new resolution is enough; investigating again is allowed, not required.
//   - A reopen clears ResolvedOn and ClosedOn (they describe the current round) but
//     keeps Finding, Responsibility, Communicated and Compensation as the last
//     recorded values until the next step overwrites them; FirstResolvedOn keeps
//     the date of the first resolution, used for time-to-resolve.
//   - Satisfaction is the latest follow-up score (0 = none yet); it is kept on reopen.
//   - Every step needs a date no earlier than the complaint's last event (same
//     day is fine); step dates are not compared with today (the caller's as-of).
//   - Check order: a missing date (EINVALID), then the status (ECONFLICT), then the
//     values (EINVALID), then the date order (EINVALID). Messages name the
//     complaint ("complaint 12 is resolved; follow up or reopen it"); a refused
//     step returns the complaint unchanged.
//   - Texts (finding, communicated, reasons, notes) are trimmed; empty ones are
//     refused except the follow-up note.

import (
	"fmt"
	"slices"
	"strings"
)

// ComplaintChannel is how a complaint reached us.
type ComplaintChannel string

const (
	ChannelPhone ComplaintChannel = "phone"
	ChannelEmail ComplaintChannel = "email"
	ChannelVisit ComplaintChannel = "visit"
	ChannelWeb   ComplaintChannel = "web"
	ChannelOther ComplaintChannel = "other"
)

// ComplaintChannels lists the channels in display order.
var ComplaintChannels = []ComplaintChannel{ChannelPhone, ChannelEmail, ChannelVisit, ChannelWeb, ChannelOther}

// Severity is how serious the complaint is; extreme covers the course's
// 极端情绪客户 (a customer in an extreme state of mind).
type Severity string

const (
	SeverityLow     Severity = "low"
	SeverityNormal  Severity = "normal"
	SeverityHigh    Severity = "high"
	SeverityExtreme Severity = "extreme"
)

// Severities lists the severities from mildest to worst.
var Severities = []Severity{SeverityLow, SeverityNormal, SeverityHigh, SeverityExtreme}

// ComplaintType is the course's classification of a complaint (抱怨类型).
type ComplaintType string

const (
	ComplaintKey       ComplaintType = "key"
	ComplaintGeneral   ComplaintType = "general"
	ComplaintFalse     ComplaintType = "false"
	ComplaintMalicious ComplaintType = "malicious"
)

// ComplaintTypes lists the types in display order.
var ComplaintTypes = []ComplaintType{ComplaintKey, ComplaintGeneral, ComplaintFalse, ComplaintMalicious}

// ComplaintStatus is where a complaint is in its handling.
type ComplaintStatus string

const (
	ComplaintOpen          ComplaintStatus = "open"
	ComplaintInvestigating ComplaintStatus = "investigating"
	ComplaintResolved      ComplaintStatus = "resolved"
	ComplaintClosed        ComplaintStatus = "closed"
)

// ComplaintStatuses lists the statuses in workflow order.
var ComplaintStatuses = []ComplaintStatus{ComplaintOpen, ComplaintInvestigating, ComplaintResolved, ComplaintClosed}

// Responsibility is who was found responsible (责任划分).
type Responsibility string

const (
	ResponsibilityUs         Responsibility = "us"
	ResponsibilityCustomer   Responsibility = "customer"
	ResponsibilityThirdParty Responsibility = "third-party"
)

// Responsibilities lists the responsibility values.
var Responsibilities = []Responsibility{ResponsibilityUs, ResponsibilityCustomer, ResponsibilityThirdParty}

// ComplaintEventKind names one step in a complaint's history.
type ComplaintEventKind string

const (
	ComplaintEventLogged       ComplaintEventKind = "logged"
	ComplaintEventClassified   ComplaintEventKind = "classified"
	ComplaintEventInvestigated ComplaintEventKind = "investigated"
	ComplaintEventResolved     ComplaintEventKind = "resolved"
	ComplaintEventFollowUp     ComplaintEventKind = "followup"
	ComplaintEventReopened     ComplaintEventKind = "reopened"
	ComplaintEventClosed       ComplaintEventKind = "closed"
)

// ComplaintEventKinds lists the event kinds.
var ComplaintEventKinds = []ComplaintEventKind{ComplaintEventLogged, ComplaintEventClassified,
	ComplaintEventInvestigated, ComplaintEventResolved, ComplaintEventFollowUp,
	ComplaintEventReopened, ComplaintEventClosed}

// Complaint is one customer complaint and its current state. Optional dates are
// NoDate when absent (LogComplaint sets them so; storage must load NULL as NoDate).
type Complaint struct {
	ID           int64            `json:"id"`
	CustomerID   int64            `json:"customer_id"`
	CustomerCode string           `json:"customer_code"`
	Date         Date             `json:"date"` // logged on
	Channel      ComplaintChannel `json:"channel"`
	Category     string           `json:"category"` // normalised by NormalizeCategory
	Text         string           `json:"text"`
	Severity     Severity         `json:"severity"`
	Type         ComplaintType    `json:"type"`
	Status       ComplaintStatus  `json:"status"`
	Reopens      int              `json:"reopens"`

	// The four steps, as last recorded.
	Finding         string         `json:"finding"`
	Responsibility  Responsibility `json:"responsibility"`
	Communicated    string         `json:"communicated"`
	Compensation    Money          `json:"compensation"`
	HasCompensation bool           `json:"has_compensation"` // a compensation (possibly 0) was decided

	ResolvedOn      Date `json:"resolved_on"`       // current resolution; NoDate unless resolved or closed
	FirstResolvedOn Date `json:"first_resolved_on"` // first resolution ever; kept across reopens
	ClosedOn        Date `json:"closed_on"`         // NoDate unless closed
	ReopenedOn      Date `json:"reopened_on"`       // latest reopen; NoDate if never reopened
	Satisfaction    int  `json:"satisfaction"`      // latest follow-up score 1–5; 0 = none yet

	Events []ComplaintEvent `json:"events"`
}

// ComplaintEvent is one entry of a complaint's append-only history.
//
// Note carries the step's text: logged → the complaint text; investigated → the
// finding; resolved → what was communicated; followup → the follow-up note
// (optional). Reason carries the why of classified, reopened and closed.
type ComplaintEvent struct {
	Seq            int                `json:"seq"` // 1, 2, 3… within the complaint
	Date           Date               `json:"date"`
	Kind           ComplaintEventKind `json:"kind"`
	Note           string             `json:"note"`
	Reason         string             `json:"reason"`
	FromStatus     ComplaintStatus    `json:"from_status"` // "" for logged
	ToStatus       ComplaintStatus    `json:"to_status"`
	FromType       ComplaintType      `json:"from_type"` // classified only
	ToType         ComplaintType      `json:"to_type"`   // logged (initial type) and classified
	Responsibility Responsibility     `json:"responsibility"`
	Compensation   Money              `json:"compensation"`
	Satisfaction   int                `json:"satisfaction"` // followup only
}

// ---- parsing -------------------------------------------------------------

// complaintKey folds a user's spelling: trimmed, lower case, '_' and ' ' as '-'.
func complaintKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer("_", "-", " ", "-").Replace(s)
}

func complaintWant[T ~string](vals []T) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = string(v)
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// complaintParse matches s against the values and their Chinese labels.
func complaintParse[T ~string](what, s string, vals []T, zh map[T]string) (T, error) {
	k := complaintKey(s)
	for _, v := range vals {
		if k == string(v) || (k != "" && strings.TrimSpace(s) == zh[v]) {
			return v, nil
		}
	}
	return "", Errorf(EINVALID, "%s %q: must be %s", what, s, complaintWant(vals))
}

// ParseComplaintChannel accepts phone, email, visit, web, other, the
// Chinese labels and the synonyms of channelAliases (telephone, e-mail, 热线, …).
func ParseComplaintChannel(s string) (ComplaintChannel, error) {
	if ch, ok := channelAliases()[aliasKey(s)]; ok {
		return ch, nil
	}
	return "", Errorf(EINVALID, "channel %q: must be %s", s, complaintWant(ComplaintChannels))
}

// ImportChannel is the channel of a complaint read from a file, which is
// lenient: ParseComplaintChannel's, or other for anything else.
func ImportChannel(s string) ComplaintChannel {
	if ch, err := ParseComplaintChannel(s); err == nil {
		return ch
	}
	return ChannelOther
}

// ParseSeverity accepts low, normal, high, extreme, the Chinese labels and
// the words of severityAliases (critical, 严重, …).
func ParseSeverity(s string) (Severity, error) {
	if v, ok := severityAliases()[aliasKey(s)]; ok {
		return v, nil
	}
	return "", Errorf(EINVALID, "severity %q: must be %s", s, complaintWant(Severities))
}

// ParseComplaintType accepts key, general, false, malicious (or 关键, 一般, 虚假, 恶意).
func ParseComplaintType(s string) (ComplaintType, error) {
	return complaintParse("complaint type", s, ComplaintTypes, complaintTypeZh)
}

// ParseComplaintStatus accepts open, investigating, resolved, closed (or the Chinese labels).
func ParseComplaintStatus(s string) (ComplaintStatus, error) {
	return complaintParse("status", s, ComplaintStatuses, complaintStatusZh)
}

// ParseResponsibility accepts us, customer, third-party (also "third party",
// "third_party", or the Chinese labels).
func ParseResponsibility(s string) (Responsibility, error) {
	return complaintParse("responsibility", s, Responsibilities, complaintResponsibilityZh)
}

// ParseComplaintEventKind accepts the event kinds as stored.
func ParseComplaintEventKind(s string) (ComplaintEventKind, error) {
	return complaintParse("event kind", s, ComplaintEventKinds, complaintEventZh)
}

// Valid reports whether c is a known channel.
func (c ComplaintChannel) Valid() bool { return slices.Contains(ComplaintChannels, c) }

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { return slices.Contains(Severities, s) }

// Valid reports whether t is a known complaint type.
func (t ComplaintType) Valid() bool { return slices.Contains(ComplaintTypes, t) }

// Valid reports whether s is a known status.
func (s ComplaintStatus) Valid() bool { return slices.Contains(ComplaintStatuses, s) }

// Valid reports whether r is a known responsibility.
func (r Responsibility) Valid() bool { return slices.Contains(Responsibilities, r) }

// NormalizeCategory is the form categories are stored and grouped in: trimmed,
// runs of white space made one space, lower case ("Late  Delivery " →
// "late delivery"). Chinese text is unchanged apart from white space.
func NormalizeCategory(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "\t\n\r\v\f\u00a0\u3000") || strings.Contains(s, "  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.ToLower(s)
}

// ---- labels --------------------------------------------------------------

var complaintChannelZh = map[ComplaintChannel]string{
	ChannelPhone: "电话", ChannelEmail: "邮件", ChannelVisit: "来访", ChannelWeb: "网站", ChannelOther: "其他",
}

var complaintSeverityZh = map[Severity]string{
	SeverityLow: "低", SeverityNormal: "普通", SeverityHigh: "高", SeverityExtreme: "极端",
}

var complaintTypeZh = map[ComplaintType]string{
	ComplaintKey: "关键", ComplaintGeneral: "一般", ComplaintFalse: "虚假", ComplaintMalicious: "恶意",
}

var complaintStatusZh = map[ComplaintStatus]string{
	ComplaintOpen: "待处理", ComplaintInvestigating: "调查中", ComplaintResolved: "已解决", ComplaintClosed: "已关闭",
}

var complaintResponsibilityZh = map[Responsibility]string{
	ResponsibilityUs: "我方", ResponsibilityCustomer: "客户", ResponsibilityThirdParty: "第三方",
}

var complaintEventZh = map[ComplaintEventKind]string{
	ComplaintEventLogged: "登记", ComplaintEventClassified: "分类", ComplaintEventInvestigated: "调查",
	ComplaintEventResolved: "解决", ComplaintEventFollowUp: "回访", ComplaintEventReopened: "重新处理",
	ComplaintEventClosed: "关闭",
}

func complaintLabel[T ~string](v T, lang string, zh map[T]string) string {
	if IsZh(lang) {
		if l, ok := zh[v]; ok {
			return l
		}
	}
	return string(v)
}

// Label is the channel's name in lang ("en" or "zh").
func (c ComplaintChannel) Label(lang string) string {
	return complaintLabel(c, lang, complaintChannelZh)
}

// Label is the severity's name in lang ("en" or "zh").
func (s Severity) Label(lang string) string { return complaintLabel(s, lang, complaintSeverityZh) }

// Label is the type's name in lang ("en" or "zh": 关键, 一般, 虚假, 恶意).
func (t ComplaintType) Label(lang string) string { return complaintLabel(t, lang, complaintTypeZh) }

// Label is the status's name in lang ("en" or "zh").
func (s ComplaintStatus) Label(lang string) string {
	return complaintLabel(s, lang, complaintStatusZh)
}

// Label is the responsibility's name in lang ("en" or "zh").
func (r Responsibility) Label(lang string) string {
	return complaintLabel(r, lang, complaintResponsibilityZh)
}

// Label is the event kind's name in lang ("en" or "zh").
func (k ComplaintEventKind) Label(lang string) string {
	return complaintLabel(k, lang, complaintEventZh)
}

var complaintTypeHelp = map[ComplaintType][2]string{
	ComplaintKey: {"involves a key customer or a customer in an extreme state; handle as crisis PR",
		"涉及关键客户和极端情绪客户的抱怨,纳入危机公关的范畴"},
	ComplaintGeneral: {"handle with the four steps: investigation, responsibility, communication, compensation",
		"情绪处理后直接进入四个步骤:情况调查、责任划分、客户沟通、客户补偿"},
	ComplaintFalse: {"caused by the customer, not by our product or service: no compensation, but calm the customer and advise on use",
		"并非来自产品和服务,而是客户自身原因造成的:不涉及赔偿,但也要进行情绪处理和消费指导"},
	ComplaintMalicious: {"unfair competition or deliberate harm to our image: respond firmly, by law if needed; no compensation",
		"出于不正当竞争、故意损害企业形象的抱怨:给予有力回击,必要时诉诸法律"},
}

// Description is the course's one-line guidance for handling a complaint of type t.
func (t ComplaintType) Description(lang string) string {
	h := complaintTypeHelp[t]
	if IsZh(lang) {
		return h[1]
	}
	return h[0]
}

// ComplaintSteps are the four resolution steps of a general complaint, in order.
func ComplaintSteps(lang string) []string {
	if IsZh(lang) {
		return []string{"情况调查", "责任划分", "客户沟通", "客户补偿"}
	}
	return []string{"investigation", "responsibility", "communication", "compensation"}
}

// RMLSPReminder is the course's rule for calming an upset customer before the
// complaint is handled (情绪处理), in lang ("en" or "zh"), several lines, with a
// final newline.
func RMLSPReminder(lang string) string {
	if IsZh(lang) {
		return "RMLSP 法则 — 处理抱怨前先缓解客户情绪:\n" +
			"  R 表示歉意 (Regret)\n" +
			"  M 表现礼貌 (Manners)\n" +
			"  L 仔细聆听 (Listen respectfully)\n" +
			"  S 表示同情 (Sympathize)\n" +
			"  P 及时承诺 (Promises) — 承诺是原则性的,具体处理要根据抱怨分类而定\n"
	}
	return "RMLSP — calm the customer before handling the complaint:\n" +
		"  R Regret: apologise\n" +
		"  M Manners: stay courteous\n" +
		"  L Listen respectfully\n" +
		"  S Sympathize: show you understand\n" +
		"  P Promise promptly — in principle only; the remedy depends on how the complaint is classified\n"
}

// ---- logging and steps ---------------------------------------------------

// DefaultComplaintType is the type a new complaint gets (SPEC §7): key when the
// customer is tier A (computed or pinned) or the severity is extreme, else general.
func DefaultComplaintType(customerTierA bool, sev Severity) ComplaintType {
	if customerTierA || sev == SeverityExtreme {
		return ComplaintKey
	}
	return ComplaintGeneral
}

// LogComplaint validates a new complaint and returns it open, with its first
// event (logged, Seq 1). From c it takes CustomerID (required), CustomerCode,
// Date (required), Channel ("" = other), Category (required; normalised),
// Text (required), Severity ("" = normal) and Type ("" = DefaultComplaintType);
// every other field is reset. ID may still be 0 (storage assigns it).
func LogComplaint(c Complaint, customerTierA bool) (Complaint, ComplaintEvent, error) {
	if len(c.Events) > 0 {
		return c, ComplaintEvent{}, Errorf(ECONFLICT, "%s is already logged", c.ref())
	}
	if c.Date == NoDate {
		return c, ComplaintEvent{}, Errorf(EINVALID, "a complaint needs a date")
	}
	if c.CustomerID == 0 {
		return c, ComplaintEvent{}, Errorf(EINVALID, "a complaint needs a customer")
	}
	if c.Channel == "" {
		c.Channel = ChannelOther
	} else if ch, err := ParseComplaintChannel(string(c.Channel)); err != nil {
		return c, ComplaintEvent{}, err
	} else {
		c.Channel = ch
	}
	if c.Severity == "" {
		c.Severity = SeverityNormal
	} else if s, err := ParseSeverity(string(c.Severity)); err != nil {
		return c, ComplaintEvent{}, err
	} else {
		c.Severity = s
	}
	if c.Type == "" {
		c.Type = DefaultComplaintType(customerTierA, c.Severity)
	} else if t, err := ParseComplaintType(string(c.Type)); err != nil {
		return c, ComplaintEvent{}, err
	} else {
		c.Type = t
	}
	c.Category = NormalizeCategory(c.Category)
	if c.Category == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "a complaint needs a category")
	}
	c.Text = strings.TrimSpace(c.Text)
	if c.Text == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "a complaint needs a description")
	}
	ev := ComplaintEvent{Seq: 1, Date: c.Date, Kind: ComplaintEventLogged, Note: c.Text,
		ToStatus: ComplaintOpen, ToType: c.Type}
	base := Complaint{ID: c.ID, CustomerID: c.CustomerID, CustomerCode: c.CustomerCode, Date: c.Date,
		Channel: c.Channel, Category: c.Category, Text: c.Text, Severity: c.Severity, Type: c.Type}
	return base.apply(ev), ev, nil
}

// Classify records the handler's classification (分类处理) with a reason. Allowed
// while open or investigating; the status does not change.
func (c Complaint) Classify(date Date, t ComplaintType, reason string) (Complaint, ComplaintEvent, error) {
	if err := c.check(date, "classify", ComplaintOpen, ComplaintInvestigating); err != nil {
		return c, ComplaintEvent{}, err
	}
	t, err := ParseComplaintType(string(t))
	if err != nil {
		return c, ComplaintEvent{}, c.wrap(err)
	}
	if t == c.Type {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s is already %s", c.ref(), t)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: reclassifying needs a reason", c.ref())
	}
	if err := c.checkDate(date); err != nil {
		return c, ComplaintEvent{}, err
	}
	return c.step(ComplaintEvent{Date: date, Kind: ComplaintEventClassified, Reason: reason,
		FromType: c.Type, ToType: t})
}

// Investigate records the investigation finding (情况调查). It moves an open
// complaint to investigating; while investigating (also after a reopen) it
// replaces the finding.
func (c Complaint) Investigate(date Date, finding string) (Complaint, ComplaintEvent, error) {
	if err := c.check(date, "investigate", ComplaintOpen, ComplaintInvestigating); err != nil {
		return c, ComplaintEvent{}, err
	}
	finding = strings.TrimSpace(finding)
	if finding == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: the finding is empty", c.ref())
	}
	if err := c.checkDate(date); err != nil {
		return c, ComplaintEvent{}, err
	}
	return c.step(ComplaintEvent{Date: date, Kind: ComplaintEventInvestigated, Note: finding})
}

// Resolve records the other three steps — responsibility (责任划分), what was
// communicated (客户沟通) and the compensation (客户补偿, may be zero, must not be
// nil) — and moves an investigating complaint with a finding to resolved.
// Compensation above zero is refused for false and malicious complaints; a
// negative one always.
func (c Complaint) Resolve(date Date, resp Responsibility, communicated string, compensation *Money) (Complaint, ComplaintEvent, error) {
	if err := c.check(date, "resolve", ComplaintInvestigating); err != nil {
		return c, ComplaintEvent{}, err
	}
	if strings.TrimSpace(c.Finding) == "" {
		return c, ComplaintEvent{}, Errorf(ECONFLICT, "%s is %s but has no investigation finding; investigate it first",
			c.ref(), c.Status)
	}
	resp, err := ParseResponsibility(string(resp))
	if err != nil {
		return c, ComplaintEvent{}, c.wrap(err)
	}
	communicated = strings.TrimSpace(communicated)
	if communicated == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: say what was communicated to the customer", c.ref())
	}
	if compensation == nil {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: the compensation is required (0 for none)", c.ref())
	}
	if *compensation < 0 {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: compensation %s is negative", c.ref(), *compensation)
	}
	if *compensation > 0 && (c.Type == ComplaintFalse || c.Type == ComplaintMalicious) {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s is a %s complaint: no compensation (got %s)",
			c.ref(), c.Type, *compensation)
	}
	if total := SumOf(c.TotalCompensation(), *compensation); !total.Within(MaxTotal) {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: compensation %s would bring its compensations to %s, more than %s",
			c.ref(), *compensation, total.Grouped(), MaxTotal.Grouped())
	}
	if err := c.checkDate(date); err != nil {
		return c, ComplaintEvent{}, err
	}
	return c.step(ComplaintEvent{Date: date, Kind: ComplaintEventResolved, Note: communicated,
		Responsibility: resp, Compensation: *compensation})
}

// FollowUp records the follow-up (回访) of a resolved complaint with the
// customer's satisfaction 1–5: 3–5 closes it, 1–2 reopens it (investigating,
// one more reopen; a new resolution is then needed — the course's "return to
// the first stage"). Either way it is one event of kind followup whose
// ToStatus says which. The note is optional.
func (c Complaint) FollowUp(date Date, satisfaction int, note string) (Complaint, ComplaintEvent, error) {
	if err := c.check(date, "follow up", ComplaintResolved); err != nil {
		return c, ComplaintEvent{}, err
	}
	if satisfaction < 1 || satisfaction > 5 {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: satisfaction %d: must be 1 to 5", c.ref(), satisfaction)
	}
	if err := c.checkDate(date); err != nil {
		return c, ComplaintEvent{}, err
	}
	to := ComplaintClosed
	if satisfaction <= 2 {
		to = ComplaintInvestigating
	}
	return c.step(ComplaintEvent{Date: date, Kind: ComplaintEventFollowUp, Note: strings.TrimSpace(note),
		Satisfaction: satisfaction, ToStatus: to})
}

// Reopen sends a resolved or closed complaint back to investigating by hand,
// with a reason, and counts one more reopen.
func (c Complaint) Reopen(date Date, reason string) (Complaint, ComplaintEvent, error) {
	if err := c.check(date, "reopen", ComplaintResolved, ComplaintClosed); err != nil {
		return c, ComplaintEvent{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: reopening needs a reason", c.ref())
	}
	if err := c.checkDate(date); err != nil {
		return c, ComplaintEvent{}, err
	}
	return c.step(ComplaintEvent{Date: date, Kind: ComplaintEventReopened, Reason: reason})
}

// Close closes a resolved complaint without a follow-up score, with a reason
// (for example, the customer cannot be reached). It counts as closed for the
// first-time-right rate; Satisfaction stays as it was.
func (c Complaint) Close(date Date, reason string) (Complaint, ComplaintEvent, error) {
	if err := c.check(date, "close", ComplaintResolved); err != nil {
		return c, ComplaintEvent{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return c, ComplaintEvent{}, Errorf(EINVALID, "%s: closing without a follow-up needs a reason", c.ref())
	}
	if err := c.checkDate(date); err != nil {
		return c, ComplaintEvent{}, err
	}
	return c.step(ComplaintEvent{Date: date, Kind: ComplaintEventClosed, Reason: reason})
}

// Apply validates and applies a stored event (any kind but logged) as the
// matching step would, and returns the new state. Seq, FromStatus and the
// status fields of e are recomputed, not trusted.
func (c Complaint) Apply(e ComplaintEvent) (Complaint, error) {
	var err error
	switch e.Kind {
	case ComplaintEventClassified:
		c, _, err = c.Classify(e.Date, e.ToType, e.Reason)
	case ComplaintEventInvestigated:
		c, _, err = c.Investigate(e.Date, e.Note)
	case ComplaintEventResolved:
		comp := e.Compensation
		c, _, err = c.Resolve(e.Date, e.Responsibility, e.Note, &comp)
	case ComplaintEventFollowUp:
		c, _, err = c.FollowUp(e.Date, e.Satisfaction, e.Note)
	case ComplaintEventReopened:
		c, _, err = c.Reopen(e.Date, e.Reason)
	case ComplaintEventClosed:
		c, _, err = c.Close(e.Date, e.Reason)
	case ComplaintEventLogged:
		err = Errorf(ECONFLICT, "%s is already logged", c.ref())
	default:
		err = Errorf(EINVALID, "event kind %q: must be %s", e.Kind, complaintWant(ComplaintEventKinds))
	}
	return c, err
}

// TotalCompensation is the sum of the compensations of every resolution in the
// events (a reopened complaint may have been compensated more than once).
// Resolve keeps it within MaxTotal, so the plain sum cannot wrap.
func (c Complaint) TotalCompensation() Money {
	var sum Money
	for _, e := range c.Events {
		if e.Kind == ComplaintEventResolved {
			sum += e.Compensation
		}
	}
	return sum
}

// LastEventDate is the date of the latest step: the last event's date, or when
// the events are not loaded the latest of the dates the row carries.
func (c Complaint) LastEventDate() Date {
	if n := len(c.Events); n > 0 {
		return c.Events[n-1].Date
	}
	d := c.Date
	for _, x := range []Date{c.ResolvedOn, c.FirstResolvedOn, c.ClosedOn, c.ReopenedOn} {
		if x != NoDate && x > d {
			d = x
		}
	}
	return d
}

// FirstTimeRight reports whether c is closed and was never reopened (SPEC §7).
func (c Complaint) FirstTimeRight() bool { return c.Status == ComplaintClosed && c.Reopens == 0 }

// Lite is the part of c the systemic check needs.
func (c Complaint) Lite() ComplaintLite {
	return ComplaintLite{ID: c.ID, CustomerID: c.CustomerID, CustomerCode: c.CustomerCode,
		Category: c.Category, Date: c.Date}
}

// At is the complaint as it stood at the end of day asOf, replayed from its
// events; ok is false when it was logged after asOf. Without events the row is
// taken as it is.
func (c Complaint) At(asOf Date) (Complaint, bool) {
	if c.Date > asOf {
		return c, false
	}
	n := len(c.Events)
	if n == 0 || c.Events[n-1].Date <= asOf {
		return c, true
	}
	typ := c.Type
	for _, e := range c.Events {
		if e.Kind == ComplaintEventLogged && e.ToType != "" {
			typ = e.ToType
			break
		}
		if e.Kind == ComplaintEventClassified {
			typ = e.FromType
			break
		}
	}
	r := Complaint{ID: c.ID, CustomerID: c.CustomerID, CustomerCode: c.CustomerCode, Date: c.Date,
		Channel: c.Channel, Category: c.Category, Text: c.Text, Severity: c.Severity, Type: typ}
	r = r.apply(ComplaintEvent{Kind: ComplaintEventLogged, Date: c.Date, ToType: typ})
	r.Events = nil
	for _, e := range c.Events {
		if e.Date > asOf {
			break
		}
		if e.Kind == ComplaintEventLogged {
			r.Events = append(r.Events, e)
			continue
		}
		r = r.apply(e)
	}
	return r, true
}

// ComplaintsAt returns the complaints as they stood at the end of asOf
// (SPEC §1: records dated after as-of are ignored), in the same order.
func ComplaintsAt(cs []Complaint, asOf Date) []Complaint {
	out := make([]Complaint, 0, len(cs))
	for _, c := range cs {
		if a, ok := c.At(asOf); ok {
			out = append(out, a)
		}
	}
	return out
}

// ---- internals -----------------------------------------------------------

// ref names the complaint in messages: "complaint 12" (or "the complaint" before it has an id).
func (c Complaint) ref() string {
	if c.ID == 0 {
		return "the complaint"
	}
	return fmt.Sprintf("complaint %d", c.ID)
}

// wrap prefixes a value error with the complaint's name, keeping its code.
func (c Complaint) wrap(err error) error {
	return Errorf(ErrorCode(err), "%s: %s", c.ref(), err)
}

// check refuses a missing date (EINVALID) and a step the status does not allow (ECONFLICT).
func (c Complaint) check(date Date, verb string, allowed ...ComplaintStatus) error {
	if date == NoDate {
		return Errorf(EINVALID, "%s: a date is required to %s it", c.ref(), verb)
	}
	if slices.Contains(allowed, c.Status) {
		return nil
	}
	if c.Status == "" {
		return Errorf(ECONFLICT, "%s has not been logged", c.ref())
	}
	if !c.Status.Valid() {
		return Errorf(ECONFLICT, "%s has an unknown status %q", c.ref(), c.Status)
	}
	var hint string
	switch {
	case c.Status == ComplaintClosed:
		hint = "reopen it first"
	case c.Status == ComplaintResolved:
		hint = "follow up or reopen it"
	case verb == "reopen":
		hint = "only a resolved or closed complaint can be reopened"
	case c.Status == ComplaintOpen && verb == "resolve":
		hint = "record the finding first (investigate)"
	default: // open or investigating: follow up, close
		hint = "resolve it first"
	}
	return Errorf(ECONFLICT, "%s is %s; %s", c.ref(), c.Status, hint)
}

// checkDate refuses a step dated before the complaint's last event.
func (c Complaint) checkDate(date Date) error {
	last := c.LastEventDate()
	if date < last {
		return Errorf(EINVALID, "%s: date %s is before its last step on %s", c.ref(), date, last)
	}
	return nil
}

// step numbers e, applies it and returns the new state with e appended.
func (c Complaint) step(e ComplaintEvent) (Complaint, ComplaintEvent, error) {
	e.Seq = len(c.Events) + 1
	e.FromStatus = c.Status
	n := c.apply(e)
	e.ToStatus = n.Status
	n.Events[len(n.Events)-1] = e
	return n, e, nil
}

// apply is the effect of e on c, without validation. It never shares the
// backing array of c.Events with the result.
func (c Complaint) apply(e ComplaintEvent) Complaint {
	switch e.Kind {
	case ComplaintEventLogged:
		c.Status = ComplaintOpen
		if e.ToType != "" {
			c.Type = e.ToType
		}
		c.Reopens = 0
		c.Finding, c.Responsibility, c.Communicated = "", "", ""
		c.Compensation, c.HasCompensation = 0, false
		c.ResolvedOn, c.FirstResolvedOn, c.ClosedOn, c.ReopenedOn = NoDate, NoDate, NoDate, NoDate
		c.Satisfaction = 0
	case ComplaintEventClassified:
		c.Type = e.ToType
	case ComplaintEventInvestigated:
		c.Status = ComplaintInvestigating
		c.Finding = e.Note
	case ComplaintEventResolved:
		c.Status = ComplaintResolved
		c.Responsibility = e.Responsibility
		c.Communicated = e.Note
		c.Compensation, c.HasCompensation = e.Compensation, true
		c.ResolvedOn = e.Date
		if c.FirstResolvedOn == NoDate {
			c.FirstResolvedOn = e.Date
		}
	case ComplaintEventFollowUp:
		c.Satisfaction = e.Satisfaction
		if e.Satisfaction >= 3 {
			c.Status = ComplaintClosed
			c.ClosedOn = e.Date
		} else {
			c = c.reopened(e.Date)
		}
	case ComplaintEventReopened:
		c = c.reopened(e.Date)
	case ComplaintEventClosed:
		c.Status = ComplaintClosed
		c.ClosedOn = e.Date
	}
	c.Events = append(c.Events[:len(c.Events):len(c.Events)], e)
	return c
}

func (c Complaint) reopened(d Date) Complaint {
	c.Status = ComplaintInvestigating
	c.Reopens++
	c.ReopenedOn = d
	c.ResolvedOn, c.ClosedOn = NoDate, NoDate
	return c
}
