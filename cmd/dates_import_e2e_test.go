package cmd_test

import (
	"github.com/crm-course/crm/cmd/cmdtest"
	"path/filepath"
	"strings"
	"testing"
)

// A day-first file is day-first for every row: the rows whose day is 12 or
// less are not read month-first (they were, and the rest went to the rejects
// file; importing again with --date-format D/M/YYYY then doubled the rows
// without an order id, whose generated keys hold the date).
func TestImportDayFirstFile(t *testing.T) {
	twoCustomers(t)
	day := "customer,date,amount\n00042,03/04/2026,10.00\n00042,13/04/2026,20.00\n00107,05/05/2026,30.00\n00107,01/02/2026,40.00\n"
	f := writeTemp(t, "day.csv", []byte(day))
	out := filepath.Join(t.TempDir(), "rejects.csv")
	_, errOut, code := runCLI(t, "", "import", "orders", f, "--rejects", out)
	eq(t, "exit", code, 0)
	eqSum(t, parseSummary(t, errOut), 4, 4, 0, 0, 0, 0)
	contains(t, "stderr", errOut, "D/M/YYYY", "line 3")
	eqSlice(t, "dates", listCSV(t, "order", "list").col("date"), []string{"2026-02-01", "2026-04-03", "2026-04-13", "2026-05-05"})
	eq(t, "no rejects", strings.TrimSpace(readFile(t, out)), "line,reason,customer,date,amount")

	// The right --date-format, and stdin: the same orders, nothing new.
	eqSum(t, importOK(t, "", "orders", f, "--date-format", "D/M/YYYY", "--rejects", out), 4, 0, 0, 4, 0, 0)
	eqSum(t, importOK(t, day, "orders", "-"), 4, 0, 0, 4, 0, 0)
	eq(t, "orders", len(listCSV(t, "order", "list").Rows), 4)

	// Payments and complaints learn the order the same way.
	s := importOK(t, "", "payments", writeTemp(t, "pay.csv", []byte("customer,date,amount\n00042,01/02/2026,5\n00042,28/02/2026,5\n")))
	eqSum(t, s, 2, 2, 0, 0, 0, 0)
	eqSlice(t, "payment dates", listCSV(t, "payment", "list").col("date"), []string{"2026-02-01", "2026-02-28"})
}

// A month-first file reads month-first from its first row, even when the
// row that shows it comes later (the first rows are held until then).
func TestImportMonthFirstShownLate(t *testing.T) {
	twoCustomers(t)
	in := "customer,date,amount\n00042,03/04/2026,10.00\n00042,03/04/2026 8:30,10.00\n00107,04/13/2026,30.00\n00107,1/2/2026,40.00\n"
	eqSum(t, importOK(t, in, "orders", "-"), 4, 4, 0, 0, 0, 0)
	eqSlice(t, "dates", listCSV(t, "order", "list").col("date"), []string{"2026-01-02", "2026-03-04", "2026-03-04", "2026-04-13"})
}

// A file whose slash dates all read as two different days, whichever field
// is the day, is an error naming both --date-format choices; nothing is
// guessed, nothing written. Dates that read the same both ways (05/05/2026)
// need no choice.
func TestImportAmbiguousDates(t *testing.T) {
	twoCustomers(t)
	amb := "customer,date,amount\n00042,05/05/2026,10.00\n00042,03/04/2026,20.00\n00107,2026-06-30,30.00\n"
	f := writeTemp(t, "amb.csv", []byte(amb))
	for _, args := range [][]string{{"orders", f}, {"orders", f, "--rejects", filepath.Join(t.TempDir(), "rj.csv")}, {"orders", "-"}} {
		before := snapshot(t)
		_, errOut, code := runCLI(t, amb, append([]string{"import"}, args...)...)
		eq(t, "exit", code, 1)
		cmdtest.CheckError(t, 1, errOut)
		contains(t, "stderr", errOut, "line 3", `"03/04/2026"`, "--date-format D/M/YYYY", "M/D/YYYY")
		eq(t, "nothing written", snapshot(t), before)
	}
	told := strings.Replace(amb, "2026-06-30", "30/06/2026", 1)
	eqSum(t, importOK(t, told, "orders", "-", "--date-format", "D/M/YYYY"), 3, 3, 0, 0, 0, 0)
	eqSlice(t, "dates", listCSV(t, "order", "list").col("date"), []string{"2026-04-03", "2026-05-05", "2026-06-30"})

	same := "customer,date,amount\n00042,05/05/2026,11.00\n00042,01/01/2026,21.00\n00107,12/12/2026 10:00,31.00\n"
	eqSum(t, importOK(t, same, "orders", "-"), 3, 3, 0, 0, 0, 0)
}

// A file with one row that is only month-first and another that is only
// day-first contradicts itself: an error naming both lines, with --rejects too.
func TestImportMixedDateOrders(t *testing.T) {
	twoCustomers(t)
	mixed := "order_id,customer,date,amount\nX-1,00042,1/13/2026,10.00\nX-2,00042,2/3/2026,20.00\nX-3,00107,13/1/2026,30.00\n"
	f := writeTemp(t, "mixed.csv", []byte(mixed))
	for _, extra := range [][]string{nil, {"--rejects", filepath.Join(t.TempDir(), "rj.csv")}} {
		errOut := importFails(t, 1, append([]string{"orders", f}, extra...)...)
		contains(t, "stderr", errOut, `line 2`, `"1/13/2026"`, `line 4`, `"13/1/2026"`, "--date-format")
	}
	// A due date counts too: the file is one program's export.
	due := "order_id,customer,date,due_date,amount\nX-1,00042,1/2/2026,1/31/2026,10.00\nX-2,00042,2/3/2026,28/2/2026,20.00\n"
	contains(t, "stderr", importFails(t, 1, "orders", writeTemp(t, "due.csv", []byte(due))), "line 2", "line 3")
	// Told the order, the rows that do not fit it are bad rows.
	out := filepath.Join(t.TempDir(), "rj.csv")
	eqSum(t, importOK(t, "", "orders", f, "--date-format", "M/D/YYYY", "--rejects", out), 3, 2, 0, 0, 1, 0)
	eqSlice(t, "rejected", parseCSV(t, readFile(t, out)).col("order_id"), []string{"X-3"})
}
