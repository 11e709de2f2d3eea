package cmd_test

import (
	"os"
	"path/filepath"
	"testing"
)

// The words of the domain are read by one table per enum: a flag takes the
// aliases an import takes (critical, 严重, decider, …), and a word neither
// knows is a usage error.
func TestFlagsTakeImportAliases(t *testing.T) {
	seedBook(t)
	for _, tt := range []struct{ severity, want, typ string }{
		{"critical", "extreme", "key"}, {"严重", "high", "general"}, {"Minor", "low", "general"},
	} {
		out := must(t, "complaint", "log", "00107", "--category", "x", "--text", "y", "--severity", tt.severity,
			"--channel", "E-Mail", "--format", "json")
		got := parseJSON[map[string]any](t, out)
		eq(t, "severity of "+tt.severity, got["severity"], any(tt.want))
		eq(t, "type of "+tt.severity, got["type"], any(tt.typ))
	}
	shown := parseJSON[map[string]any](t, must(t, "complaint", "show", "1", "--format", "json"))
	eq(t, "channel E-Mail", shown["channel"], any("email"))
	fails(t, 2, "complaint", "log", "00107", "--category", "x", "--text", "y", "--severity", "enormous")

	out := must(t, "contact", "add", "00107", "Tom Lee", "--role", "decider", "--format", "json")
	added := parseJSON[[]map[string]any](t, out)
	if len(added) != 1 {
		t.Fatalf("contact add json: %v", added)
	}
	eq(t, "role decider", added[0]["role"], any("decision"))
	fails(t, 2, "contact", "add", "00107", "Ann", "--role", "boss")

	// The same words from a file.
	dir := t.TempDir()
	file := filepath.Join(dir, "k.csv")
	if err := os.WriteFile(file, []byte("customer,name,role\n00107,Ann,decider\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	must(t, "import", "contacts", file)
	eqSlice(t, "roles of 00107", listCSV(t, "contact", "list", "00107").col("role"), []string{"decision", "decision"})
}
