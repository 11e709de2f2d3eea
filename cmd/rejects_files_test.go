package cmd_test

// --rejects OUT: mode 0600, OUT changed only after the commit (a kill -9
// leaves the old OUT), and a device, FIFO, stdout or symbolic link is
// written to, never replaced.

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
	"golang.org/x/sys/unix"
)

// rejectLines are the line numbers in a rejects file.
func rejectLines(t *testing.T, s string) []string { return parseCSV(t, s).col("line") }

var mixedLines = []string{"3", "4", "5", "6"} // the bad rows of orders_mixed.csv

func TestRejectsModeIs0600(t *testing.T) {
	twoCustomers(t)
	withUmask(t, 0)
	f := fixture(t, "orders_mixed.csv")
	dir := t.TempDir()
	out := filepath.Join(dir, "rj.csv")
	importOK(t, "", "orders", f, "--rejects", out)
	eq(t, "mode of a new rejects file", modeOf(t, out), 0o600)
	// an existing 0644 file is replaced by a 0600 one
	old := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(old, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	importOK(t, "", "orders", f, "--rejects", old)
	eq(t, "mode of a replaced rejects file", modeOf(t, old), 0o600)
	eqSlice(t, "rows", rejectLines(t, readFile(t, old)), mixedLines)
	eqSlice(t, "nothing else in the folder", testutil.DirNames(t, dir), []string{"old.csv", "rj.csv"})
}

// nullDevice is a character device that discards what is written: /dev/null
// itself, or as root (who could replace /dev/null if crm went wrong, for
// every process of the machine) a private copy of it made with mknod.
func nullDevice(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		return "/dev/null"
	}
	p := filepath.Join(t.TempDir(), "null")
	if err := unix.Mknod(p, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("mknod: %v", err)
	}
	return p
}

func TestRejectsToDeviceStaysDevice(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_mixed.csv")
	dev := nullDevice(t)
	s := importOK(t, "", "orders", f, "--rejects", dev)
	eqSum(t, s, 6, 2, 0, 0, 4, 0)
	st, err := os.Lstat(dev)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device: %v", dev, st.Mode())
	}
	eqSlice(t, "nothing beside the device", testutil.DirNames(t, filepath.Dir(dev)), []string{filepath.Base(dev)})
}

func TestRejectsToStdout(t *testing.T) {
	db := testDB(t)
	twoCustomers(t)
	f := fixture(t, "orders_mixed.csv")
	for _, out := range []string{"-", "/dev/stdout"} {
		t.Run(out, func(t *testing.T) {
			useDB(t, db)
			stdout, errOut, code := runCLI(t, "", "import", "orders", f, "--rejects", out, "--dry-run")
			eq(t, "exit", code, 0)
			eqSlice(t, "rows on stdout", rejectLines(t, stdout), mixedLines)
			want := out
			if out == "-" {
				want = "standard output"
			}
			contains(t, "stderr", errOut, "rejected rows are in "+want)
		})
	}
	if _, err := os.Lstat("-"); err == nil {
		os.Remove("-")
		t.Errorf(`--rejects - made a file called "-"`)
	}
}

func TestRejectsToFIFO(t *testing.T) {
	twoCustomers(t)
	f := fixture(t, "orders_mixed.csv")
	fifo := filepath.Join(t.TempDir(), "rj.fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// Keep a writer end open ourselves so that the reader's open returns at
	// once and its read ends (EOF) when we close it after the import.
	keep, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		got, _ = os.ReadFile(fifo)
	}()
	s := importOK(t, "", "orders", f, "--rejects", fifo)
	keep.Close()
	wg.Wait()
	eqSum(t, s, 6, 2, 0, 0, 4, 0)
	eqSlice(t, "rows the reader got", rejectLines(t, string(got)), mixedLines)
	if m := modeOf(t, fifo); m&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: mode %v", m)
	}
}

func TestRejectsThroughSymlink(t *testing.T) {
	twoCustomers(t)
	withUmask(t, 0)
	f := fixture(t, "orders_mixed.csv")
	dir := t.TempDir()
	target := filepath.Join(dir, "data", "rejects.csv")
	if err := os.Mkdir(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.csv")
	if err := os.Symlink("data/rejects.csv", link); err != nil {
		t.Fatal(err)
	}
	importOK(t, "", "orders", f, "--rejects", link)
	if m := modeOf(t, link); m&fs.ModeSymlink == 0 {
		t.Fatalf("the symbolic link was replaced by a file: mode %v", m)
	}
	if to, _ := os.Readlink(link); to != "data/rejects.csv" {
		t.Errorf("the link now points to %q", to)
	}
	eqSlice(t, "rows in the link's target", rejectLines(t, readFile(t, target)), mixedLines)
	eq(t, "mode of the target", modeOf(t, target), 0o600)
	eqSlice(t, "nothing else beside the target", testutil.DirNames(t, filepath.Dir(target)), []string{"rejects.csv"})

	// A link to nothing is refused: crm does not create files where a link points.
	dangling := filepath.Join(dir, "dangling.csv")
	if err := os.Symlink("nowhere/x.csv", dangling); err != nil {
		t.Fatal(err)
	}
	contains(t, "stderr", importFails(t, 2, "orders", f, "--rejects", dangling), "symbolic link", "does not exist")
	if m := modeOf(t, dangling); m&fs.ModeSymlink == 0 {
		t.Errorf("the dangling link was replaced: mode %v", m)
	}
	eqSlice(t, "nothing created", testutil.DirNames(t, dir), []string{"dangling.csv", "data", "latest.csv"})
}

// writeMixedOrders writes rows orders, every other one with a bad amount.
func writeMixedOrders(t *testing.T, path string, rows int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "order_id,customer,date,amount")
	for i := 0; i < rows; i++ {
		amount := fmt.Sprintf("%d.%02d", i%1000+1, i%100)
		if i%2 == 1 {
			amount = "12,5x"
		}
		fmt.Fprintf(w, "O%07d,K%04d,2025-%02d-%02d,%s\n", i, i%killCustomers, i%12+1, i%28+1, amount)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestKilledImportLeavesNoRejectsBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 400,000 rows in a child process; skipped under -short")
	}
	testutil.Isolate(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "crm.db")
	file := filepath.Join(dir, "orders.csv")
	writeMixedOrders(t, file, killRows)
	useDB(t, db)
	must(t, "customer", "add", "Seed", "--code", "K0000")
	before := snapshot(t)

	outDir := t.TempDir()
	out := filepath.Join(outDir, "rejects.csv")
	if err := os.WriteFile(out, []byte("yesterday's rejects\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ch := startCRM(t, nil, "--db", db, "import", "orders", file, "--create-customers", "--rejects", out)
	waitFor(t, ch, "the WAL passing 1 MB", func() bool {
		st, err := os.Stat(db + "-wal")
		return err == nil && st.Size() > 1<<20
	})
	ch.kill(t)
	eqSlice(t, "files beside the rejects file after the kill", testutil.DirNames(t, outDir), []string{"rejects.csv"})
	if got := readFile(t, out); got != "yesterday's rejects\n" {
		t.Errorf("the killed import replaced the rejects file (%d bytes: %.80q…)", len(got), got)
	}
	eq(t, "database after the kill", snapshot(t), before)

	// The next run (same folder) works and leaves only its file.
	small := writeTemp(t, "small.csv", []byte("order_id,customer,date,amount\nX-1,K0000,2025-01-01,1x\n"))
	importOK(t, "", "orders", small, "--rejects", out)
	eqSlice(t, "rejects of the next run", rejectLines(t, readFile(t, out)), []string{"2"})
	eqSlice(t, "files beside the rejects file", testutil.DirNames(t, outDir), []string{"rejects.csv"})
}
