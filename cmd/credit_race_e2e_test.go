package cmd_test

// The credit race: twenty processes enter an order of 600 for one customer
// with a limit of 1,000 at the same moment, with the credit check on. The
// check and the write are one transaction, so exactly one order fits and
// the nineteen others are rejected (exit 4); read and write in separate
// transactions would let several through (each reading 0 outstanding).
//
// The processes are this test binary run again (TestCreditRaceChild): each
// waits for a start file, then runs the real CLI (cmd.Run) once and exits
// with its status.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crm-course/crm/cmd"
	"github.com/crm-course/crm/internal/iostreams"
)

const (
	raceArgsEnv  = "CRM_TEST_RACE_ARGS" // the CLI's arguments, separated by \x1f
	raceStartEnv = "CRM_TEST_RACE_START"
)

func TestCreditRaceChild(t *testing.T) {
	args := os.Getenv(raceArgsEnv)
	if args == "" {
		t.Skip("a child of TestCreditRace")
	}
	for {
		if _, err := os.Stat(os.Getenv(raceStartEnv)); err == nil {
			break
		}
		time.Sleep(100 * time.Microsecond)
	}
	os.Exit(cmd.Run(context.Background(), strings.Split(args, "\x1f"), iostreams.System(), time.Now))
}

// race runs each argument list in a process of its own, all let go at once,
// and returns their exit statuses and outputs.
func race(t *testing.T, argv [][]string) ([]int, []string) {
	t.Helper()
	return raceEnv(t, argv, nil)
}

// raceEnv is race with env[i] added to the environment of process i.
func raceEnv(t *testing.T, argv [][]string, env [][]string) ([]int, []string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	start := filepath.Join(t.TempDir(), "start")
	children := make([]*exec.Cmd, len(argv))
	outs := make([]*strings.Builder, len(argv))
	for i, args := range argv {
		c := exec.Command(exe, "-test.run=^TestCreditRaceChild$", "-test.count=1")
		c.Env = append(os.Environ(), raceArgsEnv+"="+strings.Join(args, "\x1f"), raceStartEnv+"="+start)
		if env != nil {
			c.Env = append(c.Env, env[i]...)
		}
		outs[i] = &strings.Builder{}
		c.Stdout, c.Stderr = outs[i], outs[i]
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = c
	}
	time.Sleep(300 * time.Millisecond) // every child up and polling
	if err := os.WriteFile(start, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	codes := make([]int, len(argv))
	texts := make([]string, len(argv))
	for i, c := range children {
		c.Wait()
		codes[i], texts[i] = c.ProcessState.ExitCode(), outs[i].String()
	}
	return codes, texts
}

func countCodes(codes []int) map[int]int {
	n := map[int]int{}
	for _, c := range codes {
		n[c]++
	}
	return n
}

func TestCreditRace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 60 processes; skipped under -short")
	}
	const rounds, racers = 3, 20
	db := testDB(t)
	for r := 0; r < rounds; r++ {
		code := fmt.Sprintf("R%d", r)
		must(t, "customer", "add", "Racer "+code, "--code", code)
		must(t, "credit", "limit", code, "1000", "--reason", "race", "--as-of", "2026-11-01")
		argv := make([][]string, racers)
		for i := range argv {
			argv[i] = []string{"--db", db, "order", "add", code, "600", "--credit-check", "--date", "2026-11-23",
				"--id", fmt.Sprintf("%s-%02d", code, i)}
		}
		codes, outs := race(t, argv)
		n := countCodes(codes)
		if n[0] != 1 || n[4] != racers-1 {
			t.Errorf("round %d: exit statuses %v, want one 0 and %d × 4", r, n, racers-1)
			for i, c := range codes {
				if c != 4 {
					t.Logf("racer %d: exit %d\n%s", i, c, outs[i])
				}
			}
		}
		for i, c := range codes {
			if c == 4 && !strings.Contains(outs[i], "outstanding 600.00 + order 600.00 = 1,200.00 exceeds the credit limit 1,000.00") {
				t.Errorf("round %d racer %d: a reject that did not see the accepted order:\n%s", r, i, outs[i])
			}
		}
		st := listCSV(t, "credit", "status", "--as-of", "2026-11-23").find(t, "customer_code", code)
		eq(t, "outstanding after the race", st["outstanding"], "600.00")
		eq(t, "orders after the race", len(listCSV(t, "order", "list", "--customer", code).Rows), 1)
	}
}

// TestCreditRaceImport: imports race as order adds do — each weighs its rows
// in its own transaction, after the imports committed before it.
func TestCreditRaceImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 8 processes; skipped under -short")
	}
	const racers = 8
	db := testDB(t)
	must(t, "customer", "add", "Importer", "--code", "IM")
	must(t, "credit", "limit", "IM", "1000", "--reason", "race", "--as-of", "2026-11-01")
	argv := make([][]string, racers)
	dir := t.TempDir()
	for i := range argv {
		f := filepath.Join(dir, fmt.Sprintf("o%d.csv", i))
		if err := os.WriteFile(f, []byte(fmt.Sprintf("order_id,customer,date,amount\nIM-%d,IM,2026-11-23,600\n", i)), 0o600); err != nil {
			t.Fatal(err)
		}
		argv[i] = []string{"--db", db, "import", "orders", f, "--credit-check"}
	}
	codes, outs := race(t, argv)
	if n := countCodes(codes); n[0] != 1 || n[4] != racers-1 {
		t.Errorf("exit statuses %v, want one 0 and %d × 4\n%s", n, racers-1, strings.Join(outs, "\n"))
	}
	st := listCSV(t, "credit", "status", "--as-of", "2026-11-23").find(t, "customer_code", "IM")
	eq(t, "outstanding after the race", st["outstanding"], "600.00")
}
