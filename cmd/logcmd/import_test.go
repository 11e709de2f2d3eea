package logcmd_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportInteractions(t *testing.T) {
	c := book(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "联系记录.csv")
	os.WriteFile(file, []byte(`记录编号,客户编号,联系人,日期,方式,结果,目的,催款级别,时长,主题,内容
A1,C0001,王经理,2026-11-01 10:00,电话,已沟通,售后回访,,15,回访,满意
A2,C0001,,2026-11-02,拜访,未接通,,,,上门,没人
A3,C0001,,2026-11-03,邮件,未接通,,,,x,
A4,C0001,,2026-11-04,信函,,催款,第二次催款,,催款函,
A5,C0002,王经理,2026-11-04,电话,,,,,x,
`), 0o644)
	// Atomic: the first bad row stops the import and nothing is written.
	if e := fails(c, 1, "import", "interactions", file); !strings.Contains(e, ":4:") || !strings.Contains(e, "go unanswered") {
		t.Errorf("stderr %q", e)
	}
	before := snapshot(c)
	if _, e := c.Exits(0, "import", "interactions", file, "--rejects", filepath.Join(dir, "r.csv"), "--dry-run"); !strings.Contains(e, "would import 3") {
		t.Errorf("dry run: %q", e)
	}
	if snapshot(c) != before {
		t.Error("--dry-run wrote")
	}
	_, e := c.Exits(0, "import", "interactions", file, "--rejects", filepath.Join(dir, "r.csv"))
	if !strings.Contains(e, "imported 3 interactions") || !strings.Contains(e, "rejected 2") {
		t.Errorf("import: %q", e)
	}
	rej, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	// The rejects name the column at fault as the file heads it: the
	// contact (联系人), not the customer.
	if !strings.Contains(string(rej), `6,"联系人 ""王经理"": contact ""王经理"" is a contact of C0001, not of C0002"`) {
		t.Errorf("rejects: %s", rej)
	}
	// Idempotent by the file's id; a changed row updates the record.
	_, e = c.Exits(0, "import", "interactions", file, "--rejects", filepath.Join(dir, "r.csv"))
	if !strings.Contains(e, "imported 0 interactions, updated 0, unchanged 3") {
		t.Errorf("again: %q", e)
	}
	os.WriteFile(file, []byte("id,customer,date,type,subject\nA1,C0001,2026-11-01 10:00,call,回访(改)\n"), 0o644)
	_, e = c.Exits(0, "import", "interactions", file)
	if !strings.Contains(e, "updated 1") {
		t.Errorf("update: %q", e)
	}
	out := c.Must("log", "list", "-o", "csv")
	for _, want := range []string{"1,2026-11-01,10:00:00,C0001,上海华联贸易有限公司,,,call,outbound,reached,general,,,touch,回访(改),",
		",visit,outbound,no_answer,general,,,none,上门,没人", ",letter,outbound,reached,collection,second_notice,,touch,催款函,"} {
		if !strings.Contains(out, want) {
			t.Errorf("log list lacks %q:\n%s", want, out)
		}
	}
	fails(c, 1, "import", "interactions", writeFile(t, dir, "no_type.csv", "customer,date,subject\nC0001,2026-11-01,x\n"))
	c.Must("check")
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
