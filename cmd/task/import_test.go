package task_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportTasks(t *testing.T) {
	c := book(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "待办.csv")
	os.WriteFile(file, []byte(`待办编号,客户编号,联系人,事项,优先级,到期日,状态,完成日期,重复
T1,C0001,王经理,月度回访,高,2026-11-20,,,1m
T2,C0001,,报价,,2026-11-10,已完成,2026-11-12,
T3,,,内部会议,低,2026-11-21,已取消,,
T4,C0001,,x,,2026-02-30,,,
T5,C0001,,y,,2026-11-30,,,0d
T6,C0002,王经理,z,,2026-11-30,,,
`), 0o644)
	if e := fails(c, 1, "import", "tasks", file); !strings.Contains(e, ":5:") || !strings.Contains(e, "no such day") {
		t.Errorf("stderr %q", e)
	}
	rejects := filepath.Join(dir, "r.csv")
	_, e := c.Exits(0, "import", "tasks", file, "--rejects", rejects)
	if !strings.Contains(e, "imported 3 tasks") || !strings.Contains(e, "rejected 3") {
		t.Errorf("import: %q", e)
	}
	rej, _ := os.ReadFile(rejects)
	for _, want := range []string{"no such day", "not a repeat", "is a contact of C0001, not of C0002"} {
		if !strings.Contains(string(rej), want) {
			t.Errorf("rejects lack %q: %s", want, rej)
		}
	}
	_, e = c.Exits(0, "import", "tasks", file, "--rejects", rejects)
	if !strings.Contains(e, "imported 0 tasks, updated 0, unchanged 3") {
		t.Errorf("again: %q", e)
	}
	var got []string
	for _, r := range list(c, "--status", "all") {
		got = append(got, r.Title+":"+r.Status+":"+r.DoneOn)
	}
	if want := "报价:done:2026-11-12 月度回访:open: 内部会议:canceled:2026-11-21"; strings.Join(got, " ") != want {
		t.Errorf("tasks = %v, want %s", got, want)
	}
	// The imported history replays: done on T2 again is refused, and check passes.
	fails(c, 1, "task", "done", "2")
	os.WriteFile(file, []byte("id,customer,title,due\nT2,C0001,报价(改),2026-11-10\n"), 0o644)
	if e := fails(c, 1, "import", "tasks", file); !strings.Contains(e, "other values") {
		t.Errorf("changed: %q", e)
	}
	c.Must("check")
}
