// Package crm is the domain of crm: its types, money and dates, errors, and
// the pure rules — RFM scores, segments, tiers, credit, ratings, statements,
// complaints — as plain Go over plain values. It imports the standard library
// only: internal/sqlite stores its types and loads what its rules read,
// cmd/<noun> calls them and prints the result.
//
// This doc is the rule book. Its sections carry the numbers of the
// specification the project was built from: "SPEC §n" in a comment anywhere
// in this repository means the section §n below. Each paragraph names the file
// that holds the rule and its entry function; the defaults named here are
// the constants of this package, and a setting's config key (env CRM_KEY,
// dots as underscores) is given where there is one. A flag can be set in the
// config file as NOUN.FLAG or NOUN.VERB.FLAG ("rfm.bins", "tier.gold").
//
// # §1 Conventions
//
// Money (money.go: Money, ParseMoney, LineAmount) is an int64 of minor units
// (cents / 分), never a float; columns are INTEGER. Input accepts 1234.5,
// 1234.56, 1,234.56, an optional leading currency sign (¥ $ € £) and a
// leading '-'; more than two decimals is an error (trailing zeros past the
// cent are not), except quantity × unit price, which LineAmount rounds half
// away from zero to the cent. Output has two decimals (Money.String,
// Money.Grouped with thousands separators). One amount is at most ±MaxAmount
// (999,999,999,999.99); one customer's orders (without their sign) and,
// apart, its payments add up to at most MaxTotal; a sum over customers that
// passes ±MaxMoney is an error, never a number that wrapped around.
//
// Dates (date.go: Date, ParseDateTime, ParseDate) are calendar dates counted
// in days since 1970-01-01, so "days between" is b − a. Input accepts
// YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD and US M/D/YYYY, each optionally followed
// by a time (" HH:MM[:SS]" or "THH:MM:SS[Z|±hh:mm]") that is kept where the
// record has one (orders) and ignored for day arithmetic; an import may name
// its format with --date-format (DateFormats; how "auto" reads a file's slash
// dates is in internal/importer's doc).
//
// As-of: every answer that depends on time takes --as-of YYYY-MM-DD
// (default today, local time, from the clock cmd injects; nothing below cmd
// reads time.Now), and records dated after it are ignored by that answer.
//
// A customer reference (REF) is matched against codes first, exactly (00042
// is the code 00042), then a number that matches no code is the numeric id
// (id:42 always means the id), then an exact, unique name; an unknown or
// ambiguous one is an error listing close matches (internal/sqlite
// customers.go: DB.Resolve).
//
// Exit status: 0 success, 1 runtime error (bad data, missing record,
// database fault), 2 usage error, 130 interrupted; `credit check` adds 0
// approve, 3 hold, 4 reject — decided by Outcome.ExitCode (credit_check.go),
// returned by cmd/credit/check.go as a cmdutil.ExitError, and turned into the
// process status in one place, cmd/root.go (app.exitCode).
//
// # §2 Orders, returns and the window
//
// An order (order.go: Order) has a customer, a date and an amount (its
// total); a negative amount is a return (credit note). A line-level import
// (--lines) makes one order per order id whose amount is the sum of the
// rounded line amounts. The analysis window (analysis_service.go:
// AnalysisWindow, NewAnalysisWindow) holds the orders dated from Since to
// AsOf, both included: --since DATE is the first day, --window Nd|Nw|Nm|Ny
// the last N days, weeks, calendar months or years up to and including as-of
// (30d is as-of−29 … as-of); the default is all history up to as-of.
//
// # §3 RFM score
//
// rfm.go: ScoreRFM(in, asOf, bins). For each customer, over the orders in
// the window (one RFMInput each, aggregated by internal/sqlite rfm_inputs.go:
// DB.RFMInputs):
//
//	recency_days = as-of − date of the customer's latest order with amount > 0
//	frequency    = number of orders with amount > 0
//	monetary     = sum of the amounts of all orders, returns included (net)
//
// Only customers with frequency ≥ 1 are scored (N of them); the others are
// unscored. With B bins (--bins, config rfm.bins; DefaultRFMBins 5, from
// MinRFMBins 2 to MaxRFMBins 10), in each dimension
//
//	score = 1 + floor(B × below / N)
//
// where below is the number of scored customers strictly worse (recency: more
// days is worse; frequency and monetary: smaller is worse). Ties share a
// score, the best get B when N ≥ B, and input order never matters. rfm_code
// is the three digits R, F, M ("545", RFMCode); rfm_total = R + F + M.
// One customer's scores with their formula, rank, cut points and what would
// lift them: rfm_explain.go, RFMResult.Explain; the R × F grid:
// RFMResult.Grid; segment moves between two dates: segment_moves.go,
// SegmentMoves; exact shares and means: frac.go, Frac.
//
// # §4 RFM segments
//
// segment.go: SegmentScheme.Assign, Classic8, ParseSegmentScheme. The default
// scheme is classic8 (--segments, config rfm.segments). Let μR, μF, μM be the
// mean scores of the N scored customers (RFMResult.Means, exact); a dimension
// is high when the customer's score is strictly greater than its mean:
//
//	R high  F high  M high  segment
//	yes     yes     yes     important value     重要价值客户
//	yes     no      yes     important develop   重要发展客户
//	no      yes     yes     important retain    重要保持客户
//	no      no      yes     important win-back  重要挽留客户
//	yes     yes     no      general value       一般价值客户
//	yes     no      no      general develop     一般发展客户
//	no      yes     no      general retain      一般保持客户
//	no      no      no      general win-back    一般挽留客户
//
// A custom scheme is config rfm.schemes.NAME: a list of rules {key, en, zh,
// r, f, m} whose score ranges are "3", "4-5", "4+" or empty for any; the
// first rule that matches wins, else the fallback (unclassified). LintScheme
// (--lint) finds rules that never match and cells no rule covers.
//
// # §5 A/B/C tiers
//
// tier.go: ComputeTiers(in, opts), DefaultTierOptions. Ranked customers are
// those with net monetary > 0 in the window; the others have no tier. Method
// value (the 80/20 rule, the default; --method, config tier.method): sort by
// monetary descending, ties by customer id ascending; S = total monetary,
// before = the sum over the customers ahead; tier A if before < a·S, else B
// if before < b·S, else C, with a = 0.80 and b = 0.95 (--a, --b; compared
// exactly in integers). Method count: the first ceil(a·n) are A (a = 0.20),
// up to ceil(b·n) B (b = 0.50), the rest C. In both the first ceil(gold·n)
// are also gold 金牌 (--gold, default 0.05), whatever their final tier.
// Labels: A key 关键客户, B normal 普通客户, C small 小客户. A pin (set by
// hand with a reason, in effect from its date: analysis_service.go PinsAt)
// overrides the computed tier and is marked pinned; a pin does not change
// gold. Pins and saved snapshots are stored by internal/sqlite tiers.go; who
// moved between two saved dates: TierChanges.
//
// # §6 Credit
//
// Ledger and allocation (credit_ledger.go: BuildLedger(orders, payments,
// termsDays, asOf), InvoiceDue). Each order with amount > 0 is an invoice due
// on its own due date, else terms_days after its date (the customer's terms,
// CreditDefaultTermsDays 30). A return is a credit note of |amount|. A
// payment or credit note goes first to the open invoice it names, then to
// open invoices oldest due date first (ties by natural order id); what is
// left is a credit balance, applied to the next invoices. Outstanding at
// as-of = Σ invoices − Σ payments − Σ |returns|, all dated ≤ as-of. Overdue
// is the open part of invoices whose due date < as-of; days overdue = as-of −
// due date. The decisions where the specification is silent (order of events
// on one day, deposits, credit balance) are listed at the top of
// credit_ledger.go.
//
// Aging (credit_aging.go: Ledger.Aging, NewAgingBuckets, ParseAgingBuckets):
// the open parts of invoices by days overdue in the buckets not due, 1–30,
// 31–60, 61–90, over 90 (CreditDefaultAgingBuckets; --buckets 30,60,90); the
// credit balance is in no bucket.
//
// Credit limit (credit_service.go: CreditLimitRequest, CreditLimitChange;
// stored by internal/sqlite credit.go DB.SetCreditLimit): set or changed per
// customer with a reason; every change is kept (when, old, new, reason). No
// limit set = no credit line.
//
// The decision (credit_check.go: CheckCredit, Outcome.ExitCode) weighs an
// order of AMOUNT at as-of, every rule in this order:
//
//	reject  over_limit        outstanding + AMOUNT > limit (equal is fine)
//	reject  blocked_overdue   an invoice is more than block_days overdue
//	                          (config credit.block_days, CreditDefaultBlockDays 60)
//	hold    no_credit_line    no limit is set
//	hold    overdue           anything is overdue at all
//	hold    rating_below_min  the rating is below config credit.min_rating
//	                          (unset by default: no minimum)
//	approve                   none of the above
//
// The outcome is the worst triggered rule and every triggered rule is
// listed, with limit, outstanding, overdue, available (= limit − outstanding)
// and the amount. Exit status 0 approve, 3 hold, 4 reject.
//
// Enforcement (credit_enforce.go: CreditRules, CreditAccount.Check,
// DecideOrder, CreditRefusal; config credit.enforce or --credit-check):
// `order add` and `import orders` weigh each order that adds to what the
// customer owes with the same check as of the order's date, and write
// nothing of a held or rejected one (exit 3 or 4); --override --reason TEXT
// on `order add` goes ahead with an entry in the override log. The store
// makes the check and the write one transaction (OrderService
// .AddOrderChecked). An import weighs its rows in file order with a
// CreditGate (credit_gate.go): each customer's ledger runs forward in memory
// (credit_cursor.go: ledgerCursor, BuildLedger day by day), checked against
// BuildLedger by a test.
//
// Ratings (rating.go: Rate(ledger, firstOrder, asOf), RatingForPoints): a
// scorecard of 0–100 points over the ledger at as-of — timeliness (45),
// overdue share (20), longest overdue (20), relationship length (15); the
// table of points is at the top of rating.go — graded AAA ≥ 95, AA ≥ 80,
// A ≥ 60, B ≥ 40, C < 40. A customer who always pays on time never rates
// below one who pays late, all else equal; one with no payment history yet
// rates A.
//
// Statements and notices (statement.go: Statement, NoticeLevelFor). A
// statement (对账单) for [from, to] has the opening balance (everything dated
// before from), each invoice, return and payment with a running balance, and
// the closing balance (= outstanding at to). A collection notice (收款通知书)
// goes to a customer with overdue amounts, by the days overdue of the oldest
// overdue invoice: first reminder 1–30, second notice 31–60, final notice
// over 60, asking for payment within 10, 7 or 5 days (PayWithinDays). Config
// credit.notice_template_en / _zh (a template or a file), credit.currency and
// credit.sender.{company,address,contact,phone,email}.
//
// # §7 Complaints
//
// Workflow (complaint.go: LogComplaint and the step methods of Complaint). A
// complaint has a customer, date, channel, category, description, severity
// (low, normal, high, extreme) and a type: key 关键, general 一般, false 虚假,
// malicious 恶意. A new complaint is key when the customer is tier A as of
// its date (computed by the value method with default options, or pinned) or
// the severity is extreme, else general (DefaultComplaintType); Classify
// changes it with a reason. Statuses open → investigating → resolved →
// closed; Resolve needs the four steps (finding, responsibility us /
// customer / third-party, what was communicated, and the compensation: 0 or
// more, none for false or malicious complaints). Reopen (by hand, or an
// unhappy follow-up) sets investigating and counts one more reopen. The state
// machine and the rules decided where the specification is silent are at the
// top of complaint.go.
//
// The day-3 follow-up (回访, complaint_due.go: Complaint.Next): due ResolvedOn +
// followup_days (config complaint.followup_days, DefaultFollowUpDays 3).
// FollowUp takes a satisfaction score 1–5: 3–5 closes the complaint, 1–2
// reopens it. What is due at as-of, follow-ups and resolutions past their
// target (config complaint.target_key_days 1, complaint.target_general_days
// 3; DefaultResolutionTargets), is listed by ComplaintDue (complaint_due.go).
//
// Systemic (complaint_systemic.go: SystemicClusters, MakesSystemic): a
// category is systemic on day t when its complaints dated in (t − days, t]
// come from at least systemic_customers distinct customers (config
// complaint.systemic_customers 3, complaint.systemic_days 30;
// DefaultSystemicCustomers, DefaultSystemicDays); logging the complaint that
// makes it so prints a warning, and `complaint systemic` lists the clusters.
//
// Stats (complaint_stats.go: ComplaintStats): counts by status, reopens,
// median days to resolve (first resolution − logged date), mean
// satisfaction, and the first-time-right rate 一次即圆满率 = closed complaints
// never reopened ÷ closed complaints.
//
// # §8 Interactions and tasks
//
// Shared rules (task.go: DueAt). Every step is dated and may not be earlier
// than the entity's latest event (the same day is fine); checks run missing
// record (ENOTFOUND) → status (ECONFLICT) → value (EINVALID) → date order
// (EINVALID). Due-ness of a due date at D: due < D overdue (days_late D −
// due), due = D today (0), due > D planned (negative days_late).
//
// Interactions (interaction.go: Interaction.Check, Touch). Types call 电话,
// visit 拜访, meeting 会议, email 邮件, letter 信函, message 短信/微信, event 活动,
// note 备注; direction outbound 主动联系 (default) or inbound 客户来电/来访, none
// for a note; outcome reached 已沟通 (default) or no_answer 未接通 (call, visit,
// message only); purpose general, after_sale 售后回访, collection 催款, winback
// 挽回, care 客户关怀; notice_level (§6's levels) only with purpose collection;
// subject and text trimmed, one at least. The alias tables (aliases.go:
// interactionTypeAliases …) are the only readers of these words, for flags
// and imports alike. Touch is the one home of what counts: a note or a
// no_answer is no touch (so a failed call never resets a cadence), a reached
// visit or meeting is a visit (TouchVisit), anything else reached a touch;
// storage's interactions.touch column mirrors it (a test compares them).
// last_touch(X, D) is the latest touch dated ≤ D (LastTouch; for a deal
// LastDealTouch: its own touches and the customer's linked to no deal;
// internal/sqlite DB.LastTouch adds a complaint's logged and followup events
// for a customer). A log command (interaction_service.go: LogRequest) records
// the interaction, its --next task and its --done step in one transaction;
// the contact (id or exact name) and the deal must be the customer's.
//
// Tasks (task.go: NewTask, the step methods Done, Cancel, Reopen, Snooze,
// Edit, and ReplayTask). Title required; type todo 待办 or an interaction
// type; priority low, normal (default), high; due default the as-of date;
// status open → done | canceled → open (reopen). Events created, due_changed
// (edit, or snooze: counted in Snoozes), edited, done (date, note), canceled
// (date, reason required), reopened; the tasks row is a cache of ReplayTask,
// which `crm check` compares with it. Repeat (Repeat.Next): --every N{d,w,m}
// (ParseEvery: N ≥ 1, 0d refused), --from due (default): anchor + m ×
// interval for the least m ≥ 1 after both the completion date and the current
// due, anchor the series' first due date, so missed occurrences are skipped
// and months (Date.AddMonths, clamped to the month's end) do not drift: Jan
// 31 → Feb 28 → Mar 31; --from done: completion date + interval; nothing past
// --until; --stop on done or cancel ends the series; an occurrence continues
// its series once (done again after a reopen makes no second one). The other
// rules decided where the specification is silent are at the top of task.go.
//
// # §9 Deals (opportunities, 机会)
//
// A deal (deal.go: Deal, DealEvent, DealPolicy; deal_steps.go: the steps)
// has a customer, a title and the course's fields (机会描述, 项目背景,
// 机会备注, 负责人, 信息来源, 预计金额, 预计成交日期, 潜客级别), a status open
// 跟进中, dormant 冷冻, won 成交 (O) or lost 战败 (F), and a prospect level H,
// A, B or C (ParseLevel; C < B < A < H < O, Level.Rank). Every step is a
// method that checks and returns the new state and its events: AddDeal
// (level default C), Deal.SetLevel (another level, optional reason),
// Deal.Edit (one edited event per changed field), Deal.Freeze (--until after
// the step date and a reason), Deal.Wake (default the level before
// freezing), Deal.Win (optional order of the same customer with an amount
// > 0: dated on its date, won amount its amount; else --amount, else the
// amount), Deal.Lose (≥ 1 reason key of deal.lost_reasons, the first
// primary, other needs a note; competitor optional), Deal.Reopen (default
// the level at close, reopens + 1). Check order: missing record (storage),
// status (ECONFLICT), value, date order (EINVALID); a step dated before the
// latest event is refused. ReplayDeal is the one replay and DealAt the state
// at a date; everything add is given is in the events, so a replay answers
// what the deal was on any day. The rules decided where the specification
// is silent are at the top of deal_steps.go.
//
// Derived (deal_steps.go): level_since (the latest add, level, wake or
// reopen), previous_level (the level before it), max_level (highest held;
// O once won), Deal.ExpectedCloseAt (set explicitly, else level_since +
// window), Deal.ProbabilityAt, Deal.Weighted (amount × p ÷ 100 half away from
// zero, PercentOf; open deals only), Deal.DaysOpen (close date or as-of −
// created). Level rules (config deal.levels.L.window_days, cadence_days,
// probability; DefaultLevelRules), deal.hot_levels (H, A), deal.misjudge_days
// (DefaultMisjudgeDays 90), deal.lost_reasons (DefaultLostReasons) and
// funnel.producing_days (DefaultProducingDays 365) are resolved once per
// command by cmdutil.DealPolicy. An import (ImportDeal) adds a deal on its
// created date and wins or loses it on its close date; a lost row without a
// reason is kept without one.
//
// # §9 Reports: the funnel and the deal reports
//
// The funnel (funnel.go: FunnelPositionAt, FunnelCounts, FunnelMoves) puts
// every customer at as-of D in one position: producing 产出 (an order with
// amount > 0 dated in (D − 365, D], config funnel.producing_days,
// DefaultProducingDays), else incubating 孵化 (a deal open or dormant at D),
// else potential 潜在; an order exactly 365 days before D no longer counts.
// `crm funnel` prints count and share, `--from F --to T` the move matrix;
// every customer in the book is counted (customers carry no date of their own).
//
// The follow-up rule deal.followup (deal_followup.go: DealFollowUpAt) is the
// one home of "when is this open deal followed up next": s = max(level_since,
// last_touch), due = s + cadence(level); no agenda line when an open task of
// the deal is due ≤ due. last_touch of a deal is the latest touch linked to it
// or of its customer and linked to no deal (complaint logged/follow-up events
// included, §8.1). deal pipeline's followup_late and deal hot's next_due call
// it, and so will the agenda.
//
// The reports read crm.DealReportRow values — a deal's state at D (ReplayDeal)
// with the facts storage aggregates per deal (DealReportQuery: touches, the
// earliest open task, the first order after a loss) — and are pure functions:
// DealPipeline (deal_report.go: rows H, A, B, C, dormant, total; weighted =
// amount × p ÷ 100 half away from zero, open deals only; median age;
// followup_late; close_passed counts open and dormant deals whose expected
// close is before D), DealForecast (open deals by month of expected close,
// "overdue" first; dormant deals are not forecast), DealFlowReport
// (deal_report_flow.go: created in W; the closed cohort = won or lost at D with
// the latest close in W; win rate by count and value; cycle time and time to
// loss, median and mean; LevelConversions over the cohort, reached(L) =
// max_level ≥ L, so a skipped level counts as reached and no rate passes
// 100 %; TimeInLevels over DealSpells: a spell runs from the add, level, wake
// or reopen that set the level to the next level change, freeze or close — the
// dormant days belong to no level), DealHot (deal_hot.go: open deals at
// deal.hot_levels, ordered level, next_due, amount descending, id) and
// DealLosses/GroupLosses (deal_lost.go: each deal lost in W once, at its
// latest loss in W, as it was then; LossTypeOf; misjudged = reopened after the
// loss by D, or an order with amount > 0 dated in (lost_on, lost_on +
// deal.misjudge_days] and ≤ D; LossAccuracy = 1 − misjudged ÷ lost;
// competitors trimmed and case-folded, "(none)" for a missing value; the tier
// is CustomerTiers at lost_on, CustomerTiersOn for many dates in one sweep of
// the orders: the same ranking and thresholds, rankTier). Medians are
// MedianText (may end in .5), means and percentages Frac.Format(1) /
// Frac.Percent(1), half up. Each summary also takes one deal at a time —
// Pipeline, Flow, HotOf/SortHot, LossOf with LossGroups and LossTally — for
// DealReportService.EachDeal, which hands out rows without keeping them.
//
// Speed (issue 13): storage may hand the reports what they would compute
// from the events, computed here. A Closed query with Spells carries each
// row's DealSpells (stored with every deal write) instead of its events, and
// TimeInLevels reads them; a Lost row read without events is the deal's state
// at its loss (the loss was its latest step), which DealLosses takes as the
// replay up to the loss, not reopened; an Open query with levels leaves out
// a deal changed after D whose spells say it was not open at one of them
// then (LevelOn, the replay's level of an open deal). Caches hold no rule: the touches,
// tasks and orders beside a row are those the definitions above select, and
// crm check compares every cache with its recomputation.
//
// # Churn and win-back (SPEC §11; churn.go)
//
// Occasions are the distinct dates ≤ D of orders with amount > 0; k = min(n − 1,
// churn.gaps) latest gaps; T = median of them when k ≥ 3, else (Σ + (3 − k)·B)/3;
// B = median own T of the k ≥ 3 customers (churn.default_gap_days when none).
// T is kept as 12 T (an integer); every status test is an integer comparison.
// Status: the last of active/due/overdue/lapsed that holds; first days dₙ+⌊T⌋+1,
// dₙ+⌊1.5T⌋+1, dₙ+min(⌊3T⌋,365)+1. Declining: tier A over (D−730, D−365] (pins
// then), R₀ > 0, R₁ < 50 % R₀. Group: bad (rating C, an invoice > block_days
// overdue — both only when the book records payments or credit limits — or a
// malicious complaint), else key/normal/small by tier (CustomerTiers at D).
//
// # Customer brief (SPEC §12; brief.go)
//
// The brief is the other rules' answers for one customer, each from its own
// home; cheaper paths give the same answers without the whole book where
// they can: TierRowOf (ComputeTiers' row in one pass), ChurnOf (ComputeChurn's
// row; the book gap B only for a padded T, from ChurnBookBuilder). Its own
// rules: SalesAt (first and last order, orders with amount > 0, net, the last
// 12 months (D − 365, D] against (D − 730, D − 365], Change undefined when
// the 12 before are ≤ 0; MedianMoney: the middle amount, or the mean of the
// two middle ones half away from zero to the cent) and SensitiveTopics (open
// complaints by category, overdue invoices, competitors on open or lost
// deals folded as CompetitorKey, deals lost on price or terms, a churn status
// other than active).
//
// # Tier service policy (SPEC §13; policy.go, policy_check.go)
//
// ServicePolicy has one TierService per PolicyRows row — gold (tier A and
// gold), a, b, c, none — a RelationLevel and three cadences in days (0:
// none): VisitEvery, ContactEvery, AfterSaleDays (DefaultServicePolicy:
// partner 30/14/7, proactive 60/30/7, accountable —/90/7, reactive, basic;
// settings policy.<row>.level|visit_every|contact_every|after_sale). The row
// is the customer's tier at D (TiersAt, default options, all history, pins).
// A customer's own wish (CustomerWish, stored dated and append-only: the wish
// at D is the latest recorded on or before D; WishChange.Apply) replaces the
// row's contact cadence, "none" included (ServicePolicy.Effective).
//
// CheckPolicy at D, per row: a cadence v runs from the last visit (contact:
// the last touch), else the first order; ok while base + v ≥ D (due today is
// ok, one day over is not); a customer with a cadence never visited/touched
// and without an order is not ok (CheckCadence). An order with amount > 0
// dated d in W (default the 90 days up to D) is called in time when the first
// touch after d is on or before d + a; it is pending, and not counted, while
// d + a ≥ D without one; missed otherwise (CheckAfterSale). Shares are
// ok ÷ those with a cadence (ok ÷ due for calls), undefined without one.//
// # The agenda (SPEC §10; agenda.go, agenda_rules.go)
//
// Agenda(in, p) computes every rule of §10.2 at D = in.AsOf, one function per
// rule over plain values: complaints (Complaint.due: resolution target,
// follow-up after followup_days), open tasks (their due), collection
// (LedgerFacts: the oldest overdue invoice's due u; notice level by the days
// overdue; S_L = u + 1, u + 31, u + 61; cleared by a collection touch with
// notice level ≥ L dated in [S_L, D]; pay-by = the latest recorded notice's
// date + 10/7/5, a line the day after unless a collection touch followed),
// deals (DealFollowUpAt; level window exceeded; expected close passed; a
// frozen deal's wake date), churn (overdue in churn.agenda_tiers and not
// touched since O; lapsed key customers at max(L0, last touch +
// winback.retry_days); declining and not visited in (D − 30, D]; never the
// bad group), the service policy (ServicePolicy.Effective: visit from the
// last visit, else the first order; contact from the last touch, else the
// first order, not when a policy.visit line is shown; after-sale d + a for
// the latest sale of the last 30 days with no touch since) and the reviews
// (Mondays; the month's last 5 working days, LastWorkingDays). A line is
// shown when due ≤ D, or ≤ D + days for the date-driven († in the SPEC)
// rules; its why and explain carry the numbers in the agenda's language.
// Snoozes (AgendaSnooze, keyed by AgendaLine.Key: the entity's id, or
// "customer:<id>") hide a line while D < until, counting only snoozes
// recorded on or before D; complaint and task lines cannot be snoozed here.
// SortAgenda: due date, the rule's row, tier (gold A, A, B, C, none),
// customer code, ref. At most one line per (rule, ref).
//
// PlanAgenda is Agenda for a big book: the rules run without texts, each
// line kept is its sort key and the rule and input record that gave it (40
// bytes), and an AgendaMaker makes any line again, texts and all, by running
// that rule over that one record; Agenda is the plan with every line made.
package crm
