package cmd_test

// crm against an rqlite cluster (internal/rqlite): the cluster CI started
// (CRM_RQLITE, wiped before each test) or one of a test's own. Without
// CRM_RQLITE these tests skip and say so.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd/cmdtest"
	"github.com/crm-course/crm/internal/rqlite"
	"github.com/crm-course/crm/internal/rqlite/rqlitetest"
	"github.com/crm-course/crm/internal/sqlite"
	"github.com/crm-course/crm/internal/testutil"
)

// clusterDB makes the test's crm runs use the wiped cluster of CRM_RQLITE,
// with local copies in a folder of the test's own.
func clusterDB(t *testing.T) string {
	t.Helper()
	u := rqlitetest.URL(t) // before Isolate, which clears CRM_*
	testutil.Isolate(t)
	t.Setenv(rqlite.CacheDirEnv, t.TempDir())
	useDB(t, u)
	return u
}

// conformance is a salesperson's day as commands, each run against a local
// file and against the cluster: the same answers, the same exit statuses.
var conformance = [][]string{
	{"customer", "add", "Acme Ltd", "--code", "C1", "--city", "Shanghai"},
	{"customer", "add", "Beta Trading", "--code", "00042"},
	{"customer", "add", "Acme Ltd", "--code", "C1"}, // taken: exit 1
	{"customer", "show", "C1"},
	{"customer", "edit", "C1", "--phone", "021-5555-0199", "--terms-days", "45"},
	{"customer", "show", "C1", "--format", "json"},
	{"customer", "list", "--format", "csv"},
	{"credit", "limit", "C1", "1000", "--reason", "new account", "--as-of", "2026-11-01"},
	{"order", "add", "C1", "600", "--date", "2026-11-20", "--id", "O1"},
	{"order", "add", "C1", "600", "--credit-check", "--date", "2026-11-21", "--id", "O2"}, // reject: 4
	{"order", "add", "C1", "600", "--credit-check", "--date", "2026-11-21", "--id", "O3", "--override", "--reason", "CFO"},
	{"order", "add", "C9", "100", "--id", "O4"}, // unknown customer: 1
	{"credit", "check", "C1", "300"},
	{"credit", "check", "00042", "300"},
	{"credit", "status", "--format", "csv"},
	{"order", "list", "--format", "csv"},
	{"complaint", "log", "C1", "--category", "delivery", "--text", "second batch a week late", "--date", "2026-11-10"},
	{"complaint", "investigate", "1", "--finding", "warehouse shift error", "--date", "2026-11-11"},
	{"complaint", "show", "1"},
	{"complaint", "list", "--format", "csv"},
	{"deal", "add", "C1", "Fleet renewal", "--amount", "18,500", "--level", "B"},
	{"deal", "level", "1", "A", "--reason", "budget confirmed"},
	{"deal", "win", "1", "--order", "O1"},
	{"deal", "show", "1"},
	{"task", "add", "call back", "--customer", "C1", "--due", "2026-11-25"},
	{"task", "done", "1"},
	{"task", "list", "--format", "csv"},
	// Imports (conformanceFiles): new customers past a batch; again with
	// changed amounts, new orders of known customers and a conflict (a
	// rejected row); orders that would pass a customer's MaxTotal (refused,
	// exit 1, nothing written).
	{"import", "orders", "{dir}/orders1.csv", "--create-customers"},
	{"import", "orders", "{dir}/orders2.csv", "--create-customers", "--rejects", "{dir}/rejects.csv"},
	{"import", "orders", "{dir}/orders1.csv"},
	{"import", "orders", "{dir}/big.csv", "--create-customers"},
	{"customer", "show", "K0007", "--format", "json"},
	{"credit", "aging", "--format", "csv"},
	{"rfm", "score", "--format", "csv"},
	{"today"},
	{"check"},
}

// conformanceFiles writes the files of conformance's imports into dir.
func conformanceFiles(t *testing.T, dir string) {
	var o1, o2 strings.Builder
	o1.WriteString("order_id,customer,date,amount\n")
	o2.WriteString("order_id,customer,date,amount\n")
	for i := range 1500 {
		cust, date, amount := fmt.Sprintf("K%04d", (i*37)%230), fmt.Sprintf("2026-%02d-%02d", 1+i%10, 1+i%28), 100+i
		fmt.Fprintf(&o1, "I%05d,%s,%s,%d.%02d\n", i, cust, date, amount, i%100)
		if i%50 == 0 {
			amount += 7 // changed
		}
		fmt.Fprintf(&o2, "I%05d,%s,%s,%d.%02d\n", i, cust, date, amount, i%100)
	}
	for i := range 300 {
		fmt.Fprintf(&o2, "J%05d,K%04d,2026-11-%02d,%d.00\n", i, (i*11)%260, 1+i%28, 50+i) // 30 new customers
	}
	o2.WriteString("I00003,C1,2026-11-02,9.00\n") // another customer's order: rejected
	must := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	must("orders1.csv", []byte(o1.String()))
	must("orders2.csv", []byte(o2.String()))
	must("big.csv", boundOrders("BIG", "B", 10001))
}

func TestRqliteConformance(t *testing.T) {
	url := clusterDB(t)
	local := filepath.Join(t.TempDir(), "crm.db")
	dir := t.TempDir()
	conformanceFiles(t, dir)
	for _, args := range conformance {
		args = slices.Clone(args)
		for i := range args {
			args[i] = strings.ReplaceAll(args[i], "{dir}", dir)
		}
		lo, le, lc := (&cmdtest.CLI{T: t, DB: local}).Run(args...)
		co, ce, cc := (&cmdtest.CLI{T: t, DB: url}).Run(args...)
		name := strings.Join(args, " ")
		if lc != cc {
			t.Errorf("crm %s: exit %d on the cluster, %d on a file\ncluster stderr: %s\nfile stderr: %s", name, cc, lc, ce, le)
		}
		if co, lo = strings.ReplaceAll(co, url, "DB"), strings.ReplaceAll(lo, local, "DB"); co != lo {
			t.Errorf("crm %s: the cluster answers\n%s\na file answers\n%s", name, co, lo)
		}
		if ce = strings.ReplaceAll(ce, url, "DB"); ce != strings.ReplaceAll(le, local, "DB") && !strings.Contains(name, "check") {
			t.Errorf("crm %s: stderr on the cluster\n%s\non a file\n%s", name, ce, le)
		}
	}
	// Every node holds what crm wrote; the copy is at the cluster's revision.
	n := rqlitetest.Query(t, url, "SELECT count(*) || ' ' || sum(amount) FROM orders")
	if fmt.Sprint(n) != "[[1802 133604250]]" {
		t.Errorf("orders on the cluster: %v, want 1,802 orders of 1,336,042.50", n)
	}
	// crm backup from the cluster: a local file that passes crm check.
	bak := filepath.Join(t.TempDir(), "bak.db")
	must(t, "backup", bak)
	out := (&cmdtest.CLI{T: t, DB: bak}).Must("check")
	if !strings.Contains(out, "passed all checks") {
		t.Errorf("crm check of the cluster's backup: %s", out)
	}
	eq(t, "orders in the backup", len(parseCSV(t, (&cmdtest.CLI{T: t, DB: bak}).Must("order", "list", "--format", "csv")).Rows), 1802)
}

// TestRqliteCreditRace: twenty crm processes, each with its own local copy
// (twenty team members), enter an order of 600 against a limit of 1,000 at
// once: the first guarded request wins, the others run again on the new
// state and are rejected.
func TestRqliteCreditRace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 20 processes; skipped under -short")
	}
	url := clusterDB(t)
	must(t, "customer", "add", "Racer", "--code", "R")
	must(t, "credit", "limit", "R", "1000", "--reason", "race", "--as-of", "2026-11-01")
	const racers = 20
	argv := make([][]string, racers)
	env := make([][]string, racers)
	for i := range argv {
		argv[i] = []string{"--db", url, "order", "add", "R", "600", "--credit-check", "--date", "2026-11-23", "--id", fmt.Sprintf("R-%02d", i)}
		env[i] = []string{rqlite.CacheDirEnv + "=" + t.TempDir()}
	}
	codes, outs := raceEnv(t, argv, env)
	n := countCodes(codes)
	if n[0] != 1 || n[4] != racers-1 {
		t.Errorf("exit statuses %v, want one 0 and %d × 4", n, racers-1)
		for i, c := range codes {
			if c != 4 {
				t.Logf("racer %d: exit %d\n%s", i, c, outs[i])
			}
		}
	}
	got := rqlitetest.Query(t, url, "SELECT count(*), sum(amount) FROM orders WHERE customer_id = (SELECT id FROM customers WHERE code = 'R')")
	if fmt.Sprint(got) != "[[1 60000]]" {
		t.Errorf("orders on the cluster after the race: %v, want one of 600.00", got)
	}
}

// TestRqliteMigrators: two crm processes open an empty cluster at once;
// each migration is applied exactly once (one guarded request each: the
// revision ends at the schema version, and every migration's tables are
// there once).
func TestRqliteMigrators(t *testing.T) {
	url := clusterDB(t)
	argv := [][]string{{"--db", url, "customer", "list"}, {"--db", url, "customer", "list"}}
	env := [][]string{{rqlite.CacheDirEnv + "=" + t.TempDir()}, {rqlite.CacheDirEnv + "=" + t.TempDir()}}
	codes, outs := raceEnv(t, argv, env)
	for i, c := range codes {
		if c != 0 {
			t.Errorf("migrator %d: exit %d\n%s", i, c, outs[i])
		}
	}
	v := sqlite.SchemaVersion()
	if got := rqlitetest.Query(t, url, "PRAGMA user_version"); fmt.Sprint(got) != fmt.Sprintf("[[%d]]", v) {
		t.Errorf("user_version = %v, want %d", got, v)
	}
	if got := rqlitetest.Query(t, url, "SELECT rev, (SELECT count(*) FROM revision_log) FROM book_revision"); fmt.Sprint(got) != fmt.Sprintf("[[%d %d]]", v, v) {
		t.Errorf("revision and requests = %v, want %d guarded requests (one per migration)", got, v)
	}
	must(t, "check")
}

// TestRqliteQuorumLost: with two of three nodes down a write fails within
// seconds, exit 1, saying the cluster does not answer.
func TestRqliteQuorumLost(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a cluster of its own; skipped under -short")
	}
	c := rqlitetest.Start(t)
	testutil.Isolate(t)
	t.Setenv(rqlite.CacheDirEnv, t.TempDir())
	useDB(t, c.URL)
	must(t, "customer", "add", "Acme", "--code", "C1")
	c.Kill(t, 0)
	c.Kill(t, 1)
	start := time.Now()
	_, errOut := (&cmdtest.CLI{T: t, DB: c.URL}).Exits(1, "customer", "add", "Beta", "--code", "C2")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the failed write took %v, want a few seconds", d)
	}
	if !strings.Contains(errOut, "does not answer") || !strings.Contains(errOut, "nodes up") {
		t.Errorf("message: %s", errOut)
	}
	t.Logf("two of three nodes down: %q after %v", strings.TrimSpace(errOut), time.Since(start).Round(time.Millisecond))
}

func TestRqliteURL(t *testing.T) {
	for _, tc := range []struct {
		in    string
		hosts string
		https bool
		err   string
	}{
		{"rqlite://h1:4001,h2:4003,h3:4005", "h1:4001 h2:4003 h3:4005", false, ""},
		{"rqlites://h1", "h1:4001", true, ""},
		{"rqlite+https://h1:443", "h1:443", true, ""},
		{"rqlite://u:secret@h1", "", false, "credentials do not belong in the URL"},
		{"rqlite://", "", false, "no hosts"},
		{"rqlite://h1/db", "", false, "names hosts only"},
	} {
		cfg, err := rqlite.ParseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: error %v, want %q (and no password)", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(cfg.Hosts, " ") != tc.hosts || cfg.HTTPS != tc.https {
			t.Errorf("%s: %v https=%v %v, want %s https=%v", tc.in, cfg.Hosts, cfg.HTTPS, err, tc.hosts, tc.https)
		}
	}
}

// TestRqliteKilledImport: an import SIGKILLed while it stages its rows on
// the cluster changes no order; crm check names the staged rows and how to
// remove them; removed, the book checks clean.
func TestRqliteKilledImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds crm and imports 200,000 rows; skipped under -short")
	}
	bin := buildCRM(t)
	url := clusterDB(t)
	must(t, "customer", "add", "Acme", "--code", "C1")
	must(t, "order", "add", "C1", "100", "--id", "O1")
	file := filepath.Join(t.TempDir(), "orders.csv")
	writeBigOrders(t, file, 200_000)
	child := exec.Command(bin, "--db", url, "import", "orders", file, "--create-customers")
	child.Env = append(os.Environ(), rqlite.CacheDirEnv+"="+t.TempDir())
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if n := rqlitetest.Query(t, url, "SELECT count(*) FROM import_staging"); fmt.Sprint(n) != "[[0]]" {
			break
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatalf("no staged rows after 60 s\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	child.Process.Signal(syscall.SIGKILL)
	child.Wait()
	if got := rqlitetest.Query(t, url, "SELECT count(*), sum(amount) FROM orders"); fmt.Sprint(got) != "[[1 10000]]" {
		t.Errorf("orders after the killed import: %v, want the one of 100.00", got)
	}
	cli := &cmdtest.CLI{T: t, DB: url}
	stdout, stderr, code := cli.Run("check")
	if code != 1 || !strings.Contains(stdout+stderr, "import_staging") || !strings.Contains(stdout+stderr, "is gone") ||
		!strings.Contains(stdout+stderr, "crm check --remove-staging") {
		t.Fatalf("crm check after a killed import: exit %d\n%s%s", code, stdout, stderr)
	}
	// Two imports that still run: one on another machine that sent a chunk
	// a minute ago, one in this test's own process. Their rows are kept.
	rqlitetest.Exec(t, url, "INSERT INTO import_staging (import_id, batch, n, v1) VALUES ('elsewhere', 0, 0, 'x'), ('elsewhere', 0, 1, 'y'), ('mine', 0, 0, 'z')")
	rqlitetest.Exec(t, url, fmt.Sprintf("INSERT INTO import_running (import_id, host, pid, touched) VALUES ('elsewhere', 'another-host', 7, %d), ('mine', '%s', %d, %d)",
		time.Now().Unix()-60, hostname(t), os.Getpid(), time.Now().Unix()))
	stdout, stderr, code = cli.Run("check", "--remove-staging", "--format", "csv")
	if code != 1 || !strings.Contains(stdout, `,removed,"process `) || !strings.Contains(stdout, `elsewhere,2,kept: still running,"process 7 on another-host`) ||
		!strings.Contains(stdout, "mine,1,kept: still running") || !strings.Contains(stderr, "kept the staged rows of 2 import(s)") {
		t.Fatalf("crm check --remove-staging with two imports running: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := rqlitetest.Query(t, url, "SELECT import_id, count(*) FROM import_staging GROUP BY 1 ORDER BY 1"); fmt.Sprint(got) != "[[elsewhere 2] [mine 1]]" {
		t.Fatalf("staging after --remove-staging: %v, want only the running imports' rows", got)
	}
	// The other machine's import has been silent for 11 minutes: it died.
	rqlitetest.Exec(t, url, fmt.Sprintf("UPDATE import_running SET touched = %d WHERE import_id = 'elsewhere'", time.Now().Add(-11*time.Minute).Unix()))
	rqlitetest.Exec(t, url, "UPDATE import_running SET pid = 999999999 WHERE import_id = 'mine'")
	stdout, stderr, code = cli.Run("check", "--remove-staging", "--format", "csv")
	if code != 0 || strings.Count(stdout, ",removed,") != 2 {
		t.Fatalf("crm check --remove-staging with the imports dead: exit %d\n%s%s", code, stdout, stderr)
	}
	if got := rqlitetest.Query(t, url, "SELECT (SELECT count(*) FROM import_staging), (SELECT count(*) FROM import_running)"); fmt.Sprint(got) != "[[0 0]]" {
		t.Fatalf("staging after --remove-staging: %v, want none", got)
	}
	must(t, "check")
	if out := must(t, "check", "--remove-staging"); !strings.Contains(out, "no staged rows") {
		t.Errorf("crm check --remove-staging with nothing staged: %q", out)
	}
}

func hostname(t *testing.T) string {
	h, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestRqliteLeaderKilled: the leader is SIGKILLed while an import stages
// its rows. The import completes or fails with nothing applied, and the
// two nodes left hold the same counts and sums.
func TestRqliteLeaderKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a cluster of its own and imports 200,000 rows; skipped under -short")
	}
	bin := buildCRM(t)
	c := rqlitetest.Start(t)
	testutil.Isolate(t)
	cache := t.TempDir()
	t.Setenv(rqlite.CacheDirEnv, cache)
	useDB(t, c.URL)
	must(t, "customer", "add", "Acme", "--code", "C1")
	must(t, "order", "add", "C1", "100", "--id", "O1")
	file := filepath.Join(t.TempDir(), "orders.csv")
	writeBigOrders(t, file, 200_000)
	child := exec.Command(bin, "--db", c.URL, "import", "orders", file, "--create-customers")
	child.Env = append(os.Environ(), rqlite.CacheDirEnv+"="+t.TempDir())
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	leader := c.Leader(t)
	if leader < 0 {
		t.Fatal("no leader")
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if n, err := rqlitetest.QueryNode(t, c.Node(leader), "SELECT count(*) FROM import_staging"); err == nil && fmt.Sprint(n) != "[[0]]" {
			break
		}
		if time.Now().After(deadline) {
			child.Process.Kill()
			t.Fatalf("no staged rows after 60 s\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.Kill(t, leader)
	err := child.Wait()
	t.Logf("the import, its leader killed: %v\n%s", err, out.String())
	want := "[[1 10000] [1 10000]] <nil>" // failed: nothing applied
	if err == nil {
		// All of it: the orders' sum, as every customer's cached total.
		var sum int64
		for i := 0; i < 200_000; i++ {
			sum += int64(i%1000+1)*100 + int64(i%100)
		}
		total := float64(sum + 10000)
		want = fmt.Sprint([][]any{{float64(200_001), total}, {float64(2001), total}}) + " <nil>"
	}
	var got []string
	for wait := time.Now().Add(20 * time.Second); ; {
		got = got[:0]
		for i := range c.HTTP {
			if i == leader {
				continue
			}
			v, err := rqlitetest.QueryNode(t, c.Node(i), "SELECT count(*), sum(amount) FROM orders UNION ALL SELECT count(*), sum(monetary) FROM customer_stats")
			got = append(got, fmt.Sprint(v, err))
		}
		if got[0] == want && got[1] == want || time.Now().After(wait) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got[0] != want || got[1] != want {
		t.Errorf("the nodes left hold %v, want both %s (import error: %v)", got, want, err)
	}
}

// TestCheckRemoveStagingLocal: on a local book --remove-staging has nothing
// to do, says so and changes nothing.
func TestCheckRemoveStagingLocal(t *testing.T) {
	must(t, "customer", "add", "Acme", "--code", "C1")
	before := snapshot(t)
	if out := must(t, "check", "--remove-staging"); !strings.Contains(out, "is a local book: its imports stage nothing; nothing to remove") {
		t.Errorf("crm check --remove-staging on a local book: %q", out)
	}
	if after := snapshot(t); after != before {
		t.Errorf("crm check --remove-staging changed the local book:\n%s\n%s", before, after)
	}
}

// TestRqliteCatchUp: a reader whose copy is behind because someone else
// wrote is brought up to date with the cluster's logged changes, not a new
// copy: after each of the conformance day's writes (made by another user,
// with copies of its own) it answers as a copy fetched afresh, and it has
// fetched one copy in all.
func TestRqliteCatchUp(t *testing.T) {
	url := clusterDB(t)
	reader, writer := t.TempDir(), t.TempDir()
	cli := &cmdtest.CLI{T: t, DB: url}
	run := func(cache string, args ...string) string {
		t.Helper()
		t.Setenv(rqlite.CacheDirEnv, cache)
		out, errOut, code := cli.Run(args...)
		return fmt.Sprintf("exit %d\n%s%s", code, out, errOut)
	}
	reads := [][]string{{"customer", "list", "--format", "csv"}, {"order", "list", "--format", "csv"}, {"rfm", "score", "--format", "csv"},
		{"credit", "status", "--format", "csv"}, {"complaint", "list", "--format", "csv"}, {"task", "list", "--format", "csv"}, {"today"}}
	run(reader, "customer", "list")
	for _, args := range conformance {
		run(writer, args...)
		for _, r := range reads {
			got, want := run(reader, r...), run(t.TempDir(), r...)
			if got != want {
				t.Fatalf("after crm %s, crm %s on the copy caught up:\n%s\nwant (a new copy):\n%s", strings.Join(args, " "), strings.Join(r, " "), got, want)
			}
		}
	}
	if out := run(reader, "check"); !strings.HasPrefix(out, "exit 0\n") {
		t.Errorf("crm check on the copy caught up: %s", out)
	}
	if gens, _ := filepath.Glob(filepath.Join(reader, "*.db")); len(gens) != 1 {
		t.Errorf("the reader's copies: %v, want the one fetched first (the others caught up)", gens)
	}
}
