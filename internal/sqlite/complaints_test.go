package sqlite

import (
	"context"
	"fmt"
	"github.com/crm-course/crm/internal/testutil"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/demo"
	"github.com/crm-course/crm/internal/importer"
)

func complaintDB(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) }
	return db
}

func addCustomers(t testing.TB, db *DB, codes ...string) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, code := range codes {
		c := &crm.Customer{Code: code, Name: "Customer " + code, Type: crm.Company, TermsDays: 30}
		if err := db.Create(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		ids[code] = c.ID
	}
	return ids
}

func d(s string) crm.Date {
	dt, err := crm.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return dt
}

func noProblems(t *testing.T, db *DB) {
	t.Helper()
	probs, err := db.Check(context.Background())
	if err != nil || len(probs) != 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

// stripEvents returns c without its events, for comparing state.
func stripEvents(c crm.Complaint) crm.Complaint {
	c.Events = nil
	return c
}

// TestComplaintLifecycle walks the lesson through the store: every step is
// written with its event, and the row always equals the replay of its events.
func TestComplaintLifecycle(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	db.db.SetMaxOpenConns(1) // every method must make do with one connection
	ids := addCustomers(t, db, "C1", "C2")
	c, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: ids["C1"], Date: d("2026-11-01"), Channel: crm.ChannelPhone,
		Category: " Late  Delivery ", Severity: crm.SeverityHigh, Text: "second batch a week late"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || c.Type != crm.ComplaintGeneral || c.Status != crm.ComplaintOpen || c.Category != "late delivery" || c.CustomerCode != "C1" {
		t.Fatalf("logged = %+v", c)
	}
	steps := []struct {
		name string
		fn   func(crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error)
		want crm.ComplaintStatus
	}{
		{"classify", func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.Classify(d("2026-11-01"), crm.ComplaintKey, "flagship store")
		}, crm.ComplaintOpen},
		{"investigate", func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.Investigate(d("2026-11-02"), "shift planning error")
		}, crm.ComplaintInvestigating},
		{"resolve", func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			m := crm.Money(50000)
			return c.Resolve(d("2026-11-03"), crm.ResponsibilityUs, "apologised", &m)
		}, crm.ComplaintResolved},
		{"unhappy", func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.FollowUp(d("2026-11-06"), 2, "still unhappy")
		}, crm.ComplaintInvestigating},
		{"resolve again", func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			m := crm.Money(10000)
			return c.Resolve(d("2026-11-07"), crm.ResponsibilityUs, "apologised again", &m)
		}, crm.ComplaintResolved},
		{"happy", func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
			return c.FollowUp(d("2026-11-10"), 4, "")
		}, crm.ComplaintClosed},
	}
	for i, s := range steps {
		got, err := db.StepComplaint(ctx, c.ID, s.fn)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got.Status != s.want || len(got.Events) != i+2 {
			t.Fatalf("%s: status %s with %d events", s.name, got.Status, len(got.Events))
		}
		loaded, err := db.Complaint(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(loaded, got) {
			t.Fatalf("%s: stored\n%+v\nreturned\n%+v", s.name, loaded, got)
		}
		// The row is the replay of the events.
		replayed, _, err := crm.LogComplaint(crm.Complaint{CustomerID: loaded.CustomerID, CustomerCode: loaded.CustomerCode,
			Date: loaded.Date, Channel: loaded.Channel, Category: loaded.Category, Severity: loaded.Severity,
			Type: loaded.Events[0].ToType, Text: loaded.Text}, false)
		if err != nil {
			t.Fatal(err)
		}
		replayed.ID = loaded.ID
		for _, e := range loaded.Events[1:] {
			if replayed, err = replayed.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(stripEvents(replayed), stripEvents(loaded)) {
			t.Fatalf("%s: row\n%+v\nreplay\n%+v", s.name, stripEvents(loaded), stripEvents(replayed))
		}
		// The brief reader agrees on everything but the texts and money.
		brief, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: crm.NoDate, Brief: true})
		if err != nil || len(brief) != 1 {
			t.Fatalf("brief: %v %v", brief, err)
		}
		want := stripEvents(loaded)
		want.Text, want.Finding, want.Communicated, want.Compensation, want.HasCompensation = "", "", "", 0, false
		if !reflect.DeepEqual(brief[0], want) {
			t.Fatalf("%s: brief\n%+v\nwant\n%+v", s.name, brief[0], want)
		}
	}
	counts, err := db.Counts(ctx, ids["C1"])
	if err != nil || counts.Complaints != 1 || counts.OpenComplaints != 0 {
		t.Errorf("counts = %+v, %v", counts, err)
	}
	noProblems(t, db)

	// As of 2026-11-06 the unhappy follow-up had just reopened it.
	at, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: d("2026-11-06")})
	if err != nil || len(at) != 1 {
		t.Fatalf("as of: %v %v", at, err)
	}
	if at[0].Status != crm.ComplaintInvestigating || at[0].Reopens != 1 || at[0].Satisfaction != 2 {
		t.Errorf("as of 2026-11-06: %+v", stripEvents(at[0]))
	}
	for _, f := range []crm.ComplaintFilter{
		{AsOf: d("2026-11-06"), Statuses: []crm.ComplaintStatus{crm.ComplaintInvestigating}, Brief: true},
		{AsOf: d("2026-11-06"), Type: crm.ComplaintKey},
		{AsOf: d("2026-11-06"), CustomerID: ids["C1"], Category: "LATE delivery"},
	} {
		if got, err := db.Complaints(ctx, f); err != nil || len(got) != 1 || got[0].Status != crm.ComplaintInvestigating {
			t.Errorf("filter %+v: %v %v", f, got, err)
		}
	}
	for _, f := range []crm.ComplaintFilter{
		{AsOf: d("2026-11-06"), Statuses: []crm.ComplaintStatus{crm.ComplaintClosed}},
		{AsOf: d("2026-10-31")},
		{AsOf: crm.NoDate, CustomerID: ids["C2"]},
		{AsOf: crm.NoDate, Type: crm.ComplaintGeneral},
		{AsOf: d("2026-11-01"), Type: crm.ComplaintGeneral, Brief: true}, // classified key the same day
	} {
		if got, err := db.Complaints(ctx, f); err != nil || len(got) != 0 {
			t.Errorf("filter %+v: want none, got %v %v", f, got, err)
		}
	}
	lites, err := db.ComplaintLites(ctx, "late delivery", d("2026-10-01"), d("2026-11-30"))
	if err != nil || len(lites) != 1 || lites[0] != (crm.ComplaintLite{ID: c.ID, CustomerID: ids["C1"], CustomerCode: "C1",
		Category: "late delivery", Date: d("2026-11-01")}) {
		t.Errorf("lites = %+v, %v", lites, err)
	}
}

// TestComplaintRefusedStepWritesNothing: a refused step leaves row and events.
func TestComplaintRefusedStepWritesNothing(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	ids := addCustomers(t, db, "C1")
	c, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: ids["C1"], Date: d("2026-11-01"), Category: "x", Text: "y"})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := db.Complaint(ctx, c.ID)
	_, err = db.StepComplaint(ctx, c.ID, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.FollowUp(d("2026-11-02"), 4, "")
	})
	if crm.ErrorCode(err) != crm.ECONFLICT {
		t.Errorf("follow-up of an open complaint: %v", err)
	}
	after, _ := db.Complaint(ctx, c.ID)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a refused step changed the complaint")
	}
	if _, err := db.StepComplaint(ctx, 999, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Investigate(d("2026-11-02"), "x")
	}); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: 999, Date: d("2026-11-01"), Category: "x", Text: "y"}); crm.ErrorCode(err) != crm.ENOTFOUND {
		t.Errorf("unknown customer: %v", err)
	}
	if _, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: ids["C1"], Date: d("2026-11-01"), Category: "x", Text: "  "}); crm.ErrorCode(err) != crm.EINVALID {
		t.Errorf("empty text: %v", err)
	}
	// Events are append-only.
	if _, err := db.db.Exec("UPDATE complaint_events SET note = 'x' WHERE kind <> 'logged'"); err != nil {
		t.Errorf("no step events yet: %v", err)
	}
	if _, err := db.StepComplaint(ctx, c.ID, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Investigate(d("2026-11-02"), "found")
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec("UPDATE complaint_events SET note = 'x' WHERE seq = 2"); err == nil {
		t.Error("an event was changed")
	}
	if _, err := db.db.Exec("DELETE FROM complaint_events WHERE seq = 2"); err == nil {
		t.Error("an event was deleted")
	}
	// Deleting the customer takes its complaints and their events along.
	if _, err := db.Delete(ctx, ids["C1"], false); crm.ErrorCode(err) != crm.ECONFLICT {
		t.Errorf("delete without force: %v", err)
	}
	if _, err := db.Delete(ctx, ids["C1"], true); err != nil {
		t.Fatal(err)
	}
	var n int
	db.db.QueryRow("SELECT (SELECT count(*) FROM complaints) + (SELECT count(*) FROM complaint_events)").Scan(&n)
	if n != 0 {
		t.Errorf("%d complaint rows left after deleting the customer", n)
	}
}

// TestComplaintTierA: the default type follows tier A, computed from
// customer_stats or pinned.
func TestComplaintTierA(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	sess, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportOrders, CreateCustomers: true})
	if err != nil {
		t.Fatal(err)
	}
	// BIG has 90 % of the revenue: tier A. SMALL is C. NONE has no orders.
	for i, o := range []crm.Order{{ID: "1", CustomerCode: "BIG", Amount: 900000}, {ID: "2", CustomerCode: "SMALL", Amount: 100000}} {
		o.Date, o.Due = d("2026-01-01"), crm.NoDate
		if err := sess.PutOrder(&o, i+2); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	ids := addCustomers(t, db, "NONE")
	var big, small int64
	db.db.QueryRow("SELECT id FROM customers WHERE code = 'BIG'").Scan(&big)
	db.db.QueryRow("SELECT id FROM customers WHERE code = 'SMALL'").Scan(&small)
	log := func(id int64, sev crm.Severity) crm.ComplaintType {
		t.Helper()
		c, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: id, Date: d("2026-11-01"), Category: "x", Text: "y", Severity: sev})
		if err != nil {
			t.Fatal(err)
		}
		return c.Type
	}
	if got := log(big, ""); got != crm.ComplaintKey {
		t.Errorf("tier A customer: %s", got)
	}
	if got := log(small, crm.SeverityHigh); got != crm.ComplaintGeneral {
		t.Errorf("tier C customer: %s", got)
	}
	if got := log(ids["NONE"], crm.SeverityExtreme); got != crm.ComplaintKey {
		t.Errorf("extreme severity: %s", got)
	}
	// A pin overrides.
	if _, err := db.db.Exec(`INSERT INTO tier_pins (customer_id, tier, reason, pinned_on, created_at)
		VALUES (?, 'A', 'strategic', '2026-10-01', 'now'), (?, 'B', 'demoted', '2026-10-01', 'now')`, small, big); err != nil {
		t.Fatal(err)
	}
	if got := log(small, ""); got != crm.ComplaintKey {
		t.Errorf("pinned A: %s", got)
	}
	if got := log(big, ""); got != crm.ComplaintGeneral {
		t.Errorf("pinned B: %s", got)
	}
	c, err := db.AddComplaint(ctx, crm.Complaint{CustomerID: small, Date: d("2026-09-01"), Category: "x", Text: "y"})
	if err != nil || c.Type != crm.ComplaintGeneral {
		t.Errorf("a complaint dated before the pin: %s %v", c.Type, err)
	}
	// A bad pin date is bad data for the complaint as for the tier commands.
	if _, err := db.db.Exec(`UPDATE tier_pins SET pinned_on = 'junk' WHERE customer_id = ?`, small); err != nil {
		t.Fatal(err)
	}
	_, err = db.AddComplaint(ctx, crm.Complaint{CustomerID: small, Date: d("2026-11-01"), Category: "x", Text: "y"})
	_, err2 := db.TierPins(ctx)
	if crm.ErrorCode(err) != crm.EDATA || crm.ErrorCode(err2) != crm.EDATA {
		t.Errorf("bad pinned_on: complaint %v, tier pins %v; want EDATA both", err, err2)
	}
}

func importComplaints(t *testing.T, db *DB, create bool, cs []crm.ImportedComplaint) (crm.ImportSummary, []error) {
	t.Helper()
	ctx := context.Background()
	s, err := db.BeginImport(ctx, crm.ImportOptions{Kind: crm.ImportComplaints, CreateCustomers: create})
	if err != nil {
		t.Fatal(err)
	}
	sess := s.(*importSession)
	var errs []error
	for i := range cs {
		if err := sess.PutComplaint(&cs[i], i+2); err != nil {
			if !crm.IsRowError(err) {
				t.Fatalf("row %d: %v", i+2, err)
			}
			errs = append(errs, err)
		}
	}
	if err := sess.Done(true); err != nil {
		t.Fatal(err)
	}
	return sess.Summary(), errs
}

func TestPutComplaint(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	addCustomers(t, db, "C1")
	rec := func(id, cust, date, channel, cat, text string) crm.ImportedComplaint {
		return crm.ImportedComplaint{ExternalID: id, CustomerName: "Name of " + cust, Complaint: crm.Complaint{
			CustomerCode: cust, Date: d(date), Channel: crm.ComplaintChannel(channel), Category: cat, Text: text}}
	}
	file := []crm.ImportedComplaint{
		rec("T1", "C1", "2026-10-01", "Phone", "Billing", "charged twice"),
		rec("T2", "NEW", "2026-10-02", "Referral", "Billing", "wrong amount\nsecond line"),
		rec("T3", "NEW", "2026-10-03", "web", "Delivery", "late"),
	}
	if s, errs := importComplaints(t, db, false, file); s.Imported != 1 || len(errs) != 2 || crm.ErrorCode(errs[0]) != crm.ENOTFOUND {
		t.Fatalf("without --create-customers: %+v %v", s, errs)
	}
	if s, errs := importComplaints(t, db, true, file); s.Imported != 2 || s.Unchanged != 1 || s.CustomersCreated != 1 || len(errs) != 0 {
		t.Fatalf("with --create-customers: %+v %v", s, errs)
	}
	if s, errs := importComplaints(t, db, true, file); s.Unchanged != 3 || len(errs) != 0 {
		t.Fatalf("again: %+v %v", s, errs)
	}
	cs, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: crm.NoDate})
	if err != nil || len(cs) != 3 {
		t.Fatal(cs, err)
	}
	if cs[1].Channel != crm.ChannelOther || cs[1].Category != "billing" || cs[1].Text != "wrong amount\nsecond line" ||
		cs[0].Channel != crm.ChannelPhone || cs[2].Channel != crm.ChannelWeb {
		t.Errorf("imported: %+v", cs)
	}
	var name string
	db.db.QueryRow("SELECT name FROM customers WHERE code = 'NEW'").Scan(&name)
	if name != "Name of NEW" {
		t.Errorf("created customer named %q", name)
	}
	// A corrected file updates the complaint itself; a step keeps its date.
	if _, err := db.StepComplaint(ctx, cs[2].ID, func(c crm.Complaint) (crm.Complaint, crm.ComplaintEvent, error) {
		return c.Investigate(d("2026-10-05"), "carrier")
	}); err != nil {
		t.Fatal(err)
	}
	fixed := []crm.ImportedComplaint{
		rec("T1", "C1", "2026-09-30", "phone", "billing", "charged twice on one invoice"),
		rec("T2", "C1", "2026-10-02", "Referral", "Billing", "wrong amount\nsecond line"), // another customer
		rec("T3", "NEW", "2026-10-06", "web", "Delivery", "late"),                         // after its investigation
		rec("T4", "NEW", "2026-10-07", "web", "Delivery", "x"),
		rec("T4", "NEW", "2026-10-07", "web", "Delivery", "y"), // twice in the file, other values
	}
	s, errs := importComplaints(t, db, true, fixed)
	if s.Updated != 1 || s.Imported != 1 || len(errs) != 3 {
		t.Fatalf("corrections: %+v %v", s, errs)
	}
	for i, want := range []string{"another customer", "after its first handling step", "earlier in this file"} {
		if !strings.Contains(errs[i].Error(), want) {
			t.Errorf("error %d = %v, want %q", i, errs[i], want)
		}
	}
	c1, _ := db.Complaint(ctx, cs[0].ID)
	if c1.Date != d("2026-09-30") || c1.Text != "charged twice on one invoice" || c1.Events[0].Note != c1.Text || c1.Events[0].Date != c1.Date {
		t.Errorf("updated: %+v", c1)
	}
	noProblems(t, db)
}

// TestDemoComplaints stores the demo's complaints through PutComplaint: every
// stage of the process is there and the rows equal the demo's states.
func TestDemoComplaints(t *testing.T) {
	ctx := context.Background()
	db := complaintDB(t)
	today := d("2026-11-23")
	var codes []string
	for i := 1; i <= 53; i++ {
		codes = append(codes, fmt.Sprintf("C%04d", i))
	}
	addCustomers(t, db, codes...)
	demoCs := demo.Complaints(today)
	if s, errs := importComplaints(t, db, false, demoCs); s.Imported != len(demoCs) || len(errs) != 0 {
		t.Fatalf("demo: %+v %v", s, errs)
	}
	cs, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: today, Events: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[crm.ComplaintStatus]int{}
	reopened, falseOnes := 0, 0
	for i, c := range cs {
		want := demoCs[i].Complaint
		want.ID, want.CustomerID = c.ID, c.CustomerID
		if !reflect.DeepEqual(c, want) {
			t.Errorf("demo complaint %d:\n%+v\nwant\n%+v", i+1, c, want)
		}
		seen[c.Status]++
		if c.Reopens > 0 {
			reopened++
		}
		if c.Type == crm.ComplaintFalse {
			falseOnes++
		}
	}
	for _, st := range crm.ComplaintStatuses {
		if seen[st] == 0 {
			t.Errorf("no demo complaint is %s", st)
		}
	}
	if reopened < 2 || falseOnes != 1 {
		t.Errorf("reopened %d, false %d", reopened, falseOnes)
	}
	due := crm.ComplaintDue(cs, today, 3, nil)
	kinds := map[crm.ComplaintDueKind]int{}
	dueToday := false
	for _, it := range due {
		kinds[it.Kind]++
		if it.Kind == crm.ComplaintDueFollowUp && it.DaysLate == 0 {
			dueToday = true
		}
	}
	if kinds[crm.ComplaintDueFollowUp] != 2 || kinds[crm.ComplaintDueResolution] == 0 || !dueToday {
		t.Errorf("due: %+v", due)
	}
	lites, err := db.ComplaintLites(ctx, "", crm.NoDate, today)
	if err != nil {
		t.Fatal(err)
	}
	clusters := crm.SystemicClusters(lites, 3, 30, today)
	if len(clusters) != 1 || clusters[0].Category != "包装破损" || len(clusters[0].Customers) != 3 {
		t.Errorf("systemic: %+v", clusters)
	}
	noProblems(t, db)
}

// TestImportCFPB imports the CFPB sample through the import path of
// `crm import complaints FILE --create-customers` (needs CRM_DATA_DIR).
func TestImportCFPB(t *testing.T) {
	path := testutil.DataFile(t, filepath.Join("complaints", "cfpb_complaints_sample.csv"))
	run := func(db *DB) crm.ImportSummary {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("CRM_DATA_DIR: %v", err)
		}
		defer f.Close()
		rd, err := importer.NewReader(f, importer.Options{Kind: importer.Complaints, File: path})
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.BeginImport(context.Background(), crm.ImportOptions{Kind: crm.ImportComplaints, CreateCustomers: true})
		if err != nil {
			t.Fatal(err)
		}
		sess := s.(*importSession)
		st, err := rd.Complaints(func(r *importer.ComplaintRec) error {
			c := crm.ImportedComplaint{ExternalID: r.ExternalID, CustomerName: r.CustomerName,
				Complaint: crm.Complaint{CustomerCode: r.Customer, Date: r.Date, Channel: crm.ComplaintChannel(r.Channel),
					Category: r.Category, Severity: crm.Severity(r.Severity), Text: r.Text}}
			return sess.PutComplaint(&c, r.Line)
		}, nil)
		if err != nil {
			sess.Abort()
			t.Fatal(err)
		}
		if st.Rows != 1000 {
			t.Errorf("read %d rows", st.Rows)
		}
		if err := sess.Done(true); err != nil {
			t.Fatal(err)
		}
		return sess.Summary()
	}
	db := complaintDB(t)
	start := time.Now()
	s := run(db)
	t.Logf("imported %+v in %s", s, time.Since(start))
	if s.Imported != 1000 || s.CustomersCreated == 0 {
		t.Fatalf("first import: %+v", s)
	}
	if s := run(db); s.Unchanged != 1000 || s.Imported != 0 {
		t.Fatalf("second import: %+v", s)
	}
	ctx := context.Background()
	cs, err := db.Complaints(ctx, crm.ComplaintFilter{AsOf: crm.NoDate})
	if err != nil {
		t.Fatal(err)
	}
	multiline := 0
	for _, c := range cs {
		if strings.Contains(c.Text, "\n") {
			multiline++
		}
	}
	if multiline != 112 || cs[0].CustomerCode != "U.S. BANCORP" || cs[0].Category != "credit card or prepaid card" ||
		cs[0].Text != "Trouble using the card" || cs[0].Date != d("2020-08-07") {
		t.Errorf("%d multi-line narratives; first %+v", multiline, cs[0])
	}
	rows, err := crm.ComplaintStats(cs, "category")
	if err != nil || len(rows) < 5 {
		t.Errorf("stats: %v %v", rows, err)
	}
	noProblems(t, db)
}
