package cmd_test

// A killed import leaves the database as it was: the real binary imports a
// large file in a child process, is SIGKILLed midway, and the database still
// checks clean with none of the file's rows in it.

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/testutil"
)

const (
	killRows      = 400_000
	killCustomers = 2000
)

// buildCRM builds the crm binary into a temporary folder. Call it before
// testutil.Isolate: with HOME moved, go would start with empty build and
// module caches.
func buildCRM(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "crm")
	c := exec.Command("go", "build", "-o", bin, ".")
	c.Dir = testutil.ModuleRoot(t)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeBigOrders writes an orders file with ids: rows orders of
// killCustomers customers K0000…
func writeBigOrders(t *testing.T, path string, rows int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "order_id,customer,date,amount")
	for i := 0; i < rows; i++ {
		fmt.Fprintf(w, "O%07d,K%04d,2025-%02d-%02d,%d.%02d\n", i, i%killCustomers, i%12+1, i%28+1, i%1000+1, i%100)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// counts reads the row counts and index names straight from the file.
func dbState(t *testing.T, db string) (customers, orders int, indexes string) {
	t.Helper()
	sdb, err := sql.Open("sqlite", rawDSN(db, "mode=ro"))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if err := sdb.QueryRow("SELECT count(*) FROM customers").Scan(&customers); err != nil {
		t.Fatal(err)
	}
	if err := sdb.QueryRow("SELECT count(*) FROM orders").Scan(&orders); err != nil {
		t.Fatal(err)
	}
	names := queryStrings(t, sdb, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
	sort.Strings(names)
	return customers, orders, strings.Join(names, ",")
}

// queryStrings runs q and returns its one text column.
func queryStrings(t *testing.T, sdb *sql.DB, q string) []string {
	t.Helper()
	rows, err := sdb.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestKilledImportLeavesDatabaseUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 400,000 rows; skipped under -short")
	}
	bin := buildCRM(t) // before Isolate: go needs the real HOME for its caches
	testutil.Isolate(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "crm.db")
	file := filepath.Join(dir, "orders.csv")
	writeBigOrders(t, file, killRows)

	// Something in the database before: one of the file's customers and an order.
	useDB(t, db)
	must(t, "customer", "add", "Seed", "--code", "K0000")
	must(t, "order", "add", "K0000", "1.00", "--id", "SEED-1", "--date", "2025-01-01")
	cust0, ord0, idx0 := dbState(t, db)
	if cust0 != 1 || ord0 != 1 {
		t.Fatalf("seed: %d customers, %d orders", cust0, ord0)
	}

	child := exec.Command(bin, "import", "orders", file, "--create-customers", "--db", db)
	var stderr strings.Builder
	child.Stderr = &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- child.Wait() }()

	// Wait until the import is under way: the WAL grows past 1 MB.
	wal := db + "-wal"
	deadline := time.Now().Add(30 * time.Second)
	for {
		if st, err := os.Stat(wal); err == nil && st.Size() > 1<<20 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before it could be killed; stderr: %s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			<-done
			t.Fatalf("the WAL never passed 1 MB within 30 s; stderr: %s", stderr.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if ws, ok := child.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL (%v); it may have finished first; stderr: %s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "read ") {
		t.Fatalf("the import printed its summary before the kill: %s", stderr.String())
	}

	// The database checks clean and holds what it held before.
	out, errOut, code := runIn(t, db, "", "check")
	if code != 0 {
		t.Fatalf("check after the kill: exit %d\n%s%s", code, out, errOut)
	}
	eq(t, "orders after the kill (CLI)", len(listCSV(t, "order", "list", "--limit", "10").Rows), 1)
	eq(t, "customers after the kill (CLI)", len(listCSV(t, "customer", "list").Rows), 1)
	cust, ord, idx := dbState(t, db)
	eq(t, "customers after the kill", cust, cust0)
	eq(t, "orders after the kill", ord, ord0)
	eq(t, "indexes after the kill", idx, idx0)

	// The same import run to completion.
	run := exec.Command(bin, "import", "orders", file, "--create-customers", "--db", db)
	b, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("import to completion: %v\n%s", err, b)
	}
	s := parseSummary(t, string(b))
	eqSum(t, s, killRows, killRows, 0, 0, 0, killCustomers-1)
	cust, ord, idx = dbState(t, db)
	eq(t, "customers after the import", cust, killCustomers)
	eq(t, "orders after the import", ord, killRows+1)
	eq(t, "indexes after the import", idx, idx0)
	if out, errOut, code := runIn(t, db, "", "check"); code != 0 {
		t.Fatalf("check after the import: exit %d\n%s%s", code, out, errOut)
	}
	show := listCSV(t, "customer", "show", "K0001").Rows[0]
	eq(t, "orders of K0001", show["orders"], fmt.Sprint(killRows/killCustomers))
}
