// Package sqlite is the only package that speaks SQL. It stores the domain
// types of internal/crm in one SQLite file through modernc.org/sqlite and
// loads what crm's rules read; the rules themselves (and what "SPEC §n" in a
// comment means) are in internal/crm's package doc.
//
// # Files
//
//	open.go          Open, OpenReadOnly: the DSN, WAL, foreign files refused
//	db.go            DB, the migrations (DB.migrate, migrations/NNNN_name.sql,
//	                 embedded; PRAGMA user_version = the last applied),
//	                 DescribeError, Backup, Check
//	customers.go     customers; DB.Resolve finds a customer by REF (SPEC §1);
//	                 customerCounts, the table of a customer's record counts
//	                 (one line a count); DB.Profile, customer show's one
//	                 statement (customer, counts, contacts)
//	contacts.go      contacts
//	orders.go        orders and payments one at a time (DB.AddOrder, DB.AddPayment)
//	totals.go        sums of money in SQL and the bound on a customer's totals
//	dates.go         storedDate: the one decoder of a stored date (bad data says run crm check)
//	churn_inputs.go  DB.ChurnInputs: every customer's orders ≤ D in one flat array
//	                 (one pass over orders_customer); DB.ChurnOrders and
//	                 DB.ChurnBook: the same pass streamed into
//	                 crm.ChurnBookBuilder (the book gap, nothing held);
//	                 DB.ChurnReceivables
//	pack.go          account_packs (migration 0018): each customer's orders
//	                 and payments in one BLOB (the encoding, its builder from
//	                 the index ranges, refreshPacks before every write commits,
//	                 the import's one pass, the migration's backfill, the
//	                 account_packs check); EachCreditAccount and ChurnInputs
//	                 read one pack per customer
//	rfm_inputs.go    DB.RFMInputs: each customer's recency, frequency and
//	                 monetary over a window, the input of crm.ScoreRFM and tiers;
//	                 DB.RFMStanding: the same without codes and names, from
//	                 customer_stats' blocks alone when they answer (crm brief)
//	statblocks.go    customer_stat_blocks (migration 0019): customer_stats as
//	                 text, 1,024 customers a row, kept stale-marked by
//	                 triggers and rebuilt before every write commits; the
//	                 reader of RFMStanding and the crm check
//	tiers.go         tier pins and saved tier snapshots
//	credit.go        DB.CreditAccount (a customer's orders and payments for
//	                 crm.BuildLedger), DB.EachCreditAccount (every customer's, in
//	                 chunks on two raw connections), credit limits and their
//	                 history, overrides
//	credit_enforce.go  DB.AddOrderChecked: read the account, decide
//	                 (crm.DecideOrder), write the order and its override in
//	                 one immediate transaction (concurrent orders serialize)
//	complaints.go    complaints: the current row and the append-only events
//	interactions.go  interactions (SPEC §8.1): DB.LogInteraction (the interaction,
//	                 its --next task and --done step in one transaction), the
//	                 contact and deal link checks, DB.LastTouch
//	tasks.go         tasks (SPEC §8.2): the row (a cache of crm.ReplayTask) and
//	                 the append-only task_events; DB.StepTask, DB.Tasks (as-of
//	                 replay), the task_replay check of crm check (checkHooks)
//	deals.go         deals (SPEC §9): the current row, the append-only
//	                 deal_events, DB.StepDeal (row and events in one
//	                 transaction), DB.Deals as of a date, the replay check;
//	                 deals.spells written with every deal write, the checks of
//	                 the reports' caches (deal_packed, deal_spells)
//	import_deals.go  importSession.PutDeal: idempotent by the file's id
//	import.go        the import session: DB.BeginImport, one transaction per
//	                 file, Done (totals check, rebuilt indexes, commit)
//	import_orders.go     importSession.PutOrder and the writer goroutine
//	import_credit.go     an orders import with the credit check: each batch
//	                 weighed by a crm.CreditGate over accounts read through a
//	                 read transaction of their own (the book before the import)
//	import_customers.go  customers created by an import, `import customers`
//	import_payments.go, import_contacts.go, import_complaints.go,
//	import_interactions.go, import_tasks.go
//	batch.go         multi-row INSERTs bound through the C API
//	rawconn.go       connections and statements through the C API
//	deal_reports.go  DB.EachDeal / DealReport: deals as of a date for the
//	                 reports, one column a row (deals.packed: the row, its
//	                 touches, earliest open task, first order after a loss and
//	                 level spells, kept by the triggers of migration 0013 from
//	                 the view deal_packed) read through the C API; rows read as
//	                 they are handed out at once, the others replayed from their
//	                 events (read meanwhile on a twin connection), facts the
//	                 cache cannot answer at the date looked up in SQL per deal;
//	                 DB.FunnelInputs, one row per customer
//	tier_days.go     DB.MonetaryByDay: the orders by date, for the tiers of
//	                 many dates at once (crm.CustomerTiersOn)
//	policy.go        the customers' own wishes (customer_wishes, append-only,
//	                 the latest row ≤ D in effect; DB.EditCustomer writes the
//	                 fields and the wish in one transaction); DB.PolicyOrders,
//	                 the orders of a window with the first touch after each
//	codeindex.go, nameblocks.go, stats.go  the import's code index, name
//	                 search blocks, the customer_stats check
//
// # An imported order
//
// internal/importer reads a CSV row into an importer.OrderRec (Reader.Orders,
// importer/orders.go); cmd/importcmd/import.go copies it into a crm.Order for
// the session's PutOrder (import_orders.go),
// which checks its id and amount, resolves its customer (importSession.customer,
// import_customers.go) and adds it to a batch of a hundred; importSession.write
// binds the batch into one INSERT OR IGNORE on the writer goroutine — the row
// is stored there — and settle and reconcile count it or compare it with the
// order already stored under its id. Done (import.go) brings customer_stats
// up to date and commits.
package sqlite
