package cmd_test

import (
	"path/filepath"
	"testing"
)

// TestRealSalesPipelineImport imports the CRM Sales Opportunities pipeline
// (8,800 rows) with no --map: rows without an account (1,425) and open
// Prospecting rows without an engage_date (163) are rejected; the others
// keep the file's stage, counted by status now and as of a day in 2017; a
// second import changes nothing.
func TestRealSalesPipelineImport(t *testing.T) {
	file := realData(t, "deals/sales_pipeline.csv")
	rejects := filepath.Join(t.TempDir(), "rejects.csv")
	_, stderr, code := runCLI(t, "", "import", "deals", file, "--create-customers", "--rejects", rejects)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	contains(t, "summary", stderr, "read 8800 rows", "imported 7212 deals", "rejected 1588", "created 85 customers")
	count := func(args ...string) int {
		t.Helper()
		return len(parseCSV(t, must(t, append([]string{"deal", "list", "--format", "csv"}, args...)...)).Rows)
	}
	eq(t, "won", count("--status", "won"), 4238)
	eq(t, "lost", count("--status", "lost"), 2473)
	eq(t, "open", count("--status", "open"), 501)
	// As of 2017-03-31: a deal closed in April is still open then.
	won, lost, open := count("--status", "won", "--as-of", "2017-03-31"), count("--status", "lost", "--as-of", "2017-03-31"),
		count("--status", "open", "--as-of", "2017-03-31")
	if won == 0 || won >= 4238 || lost == 0 || lost >= 2473 || open == 0 {
		t.Errorf("as of 2017-03-31: won %d, lost %d, open %d", won, lost, open)
	}
	eq(t, "all as of 2017-03-31", won+lost+open, count("--as-of", "2017-03-31"))
	_, stderr, _ = runCLI(t, "", "import", "deals", file, "--create-customers", "--rejects", rejects)
	contains(t, "second summary", stderr, "imported 0 deals", "updated 0", "unchanged 7212")
	must(t, "check")
}
