package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/testutil"
)

// An edge is one import: package from imports to. Paths inside the module are
// relative to the module ("cmd", "cmd/credit", "internal/crm"; the module
// root itself is "."); others are full import paths. test is true for an
// import made only by _test.go files (in-package or external test package).
type edge struct {
	from, to string
	ours     bool // to is a package of this module
	std      bool // to is in the standard library
	test     bool
}

// A rule names a direction of STYLE.md's layout and reports the edges that
// break it.
type rule struct {
	name   string
	breaks func(e edge) bool
}

// Test files (_test.go) are not part of the binary, so they may import what
// a test needs: internal/testutil anywhere, the SQL driver to inspect a
// database, cmd (the whole CLI) from a noun's end-to-end tests, and
// internal/importer in internal/sqlite's import benchmarks; cmd/cmdtest, the
// harness that runs the CLI, is such a test helper (it imports cmd and
// internal/testutil, and only _test.go files import it). The directions
// that keep the layers apart still hold for them: no noun imports another,
// nothing in internal/ imports cmd, internal/crm's tests stay on the standard
// library (plus testutil), and only internal/output touches tablewriter.
var rules = []rule{
	{"internal/crm imports only the standard library (its tests also internal/testutil)", func(e edge) bool {
		return e.from == "internal/crm" && !e.std && !(e.test && e.to == "internal/testutil")
	}},
	{"only cmd (root.go) imports internal/sqlite", func(e edge) bool {
		return e.ours && e.to == "internal/sqlite" && e.from != "cmd" && e.from != rqlite && !(e.test && e.from == "internal/sqlite")
	}},
	{"only cmd (root.go) imports internal/rqlite (the second store, built on internal/sqlite)", func(e edge) bool {
		return e.ours && under(e.to, rqlite) && e.from != "cmd" && !under(e.from, rqlite)
	}},
	{"only cmd (root.go) imports viper", func(e edge) bool {
		return under(e.to, "github.com/spf13/viper") && e.from != "cmd"
	}},
	{"only internal/output imports tablewriter", func(e edge) bool {
		return under(e.to, "github.com/olekukonko/tablewriter") && e.from != "internal/output"
	}},
	{"a cmd/<noun> never imports another cmd/<noun>", func(e edge) bool {
		return e.ours && noun(e.from) != "" && noun(e.to) != "" && noun(e.from) != noun(e.to)
	}},
	{"nothing in internal/ imports cmd/", func(e edge) bool {
		return under(e.from, "internal") && e.ours && under(e.to, "cmd")
	}},
	{"internal/sqlite imports no cmd, output, importer or cmdutil (its tests may use importer)", func(e edge) bool {
		if e.from != "internal/sqlite" || !e.ours {
			return false
		}
		switch {
		case under(e.to, "cmd"), e.to == "internal/output", e.to == "internal/cmdutil":
			return true
		case e.to == "internal/importer":
			return !e.test
		}
		return false
	}},
	{"only internal/sqlite speaks SQL: database/sql and modernc.org outside tests (and internal/rqlite, whose driver wraps modernc's)", func(e edge) bool {
		return !e.test && e.from != "internal/sqlite" && e.from != rqlite && (under(e.to, "database/sql") || under(e.to, "modernc.org"))
	}},
	{"internal/testutil is for tests: no production import (but cmd/cmdtest's and internal/flagtest's), and it imports only the standard library", func(e edge) bool {
		return (!e.test && e.ours && e.to == "internal/testutil" && e.from != cmdtest && e.from != flagtest) || (e.from == "internal/testutil" && !e.std)
	}},
	{"internal/flagtest is for tests: only _test.go files import it", func(e edge) bool {
		return !e.test && e.ours && e.to == flagtest
	}},
	{"cmd/cmdtest is for tests: only _test.go files import it", func(e edge) bool {
		return !e.test && e.ours && e.to == cmdtest
	}},
}

// rqlite is the second store: a team's book on an rqlite cluster, read on a
// local copy through internal/sqlite, its writes recorded by a driver that
// wraps modernc's.
const rqlite = "internal/rqlite"

// cmdtest is the test harness of the cmd tree: no noun, and for tests only.
const cmdtest = "cmd/cmdtest"

// flagtest builds a noun's verbs with a capturing runF for flag tests; it
// cannot be cmd/cmdtest (that imports cmd, which imports the nouns).
const flagtest = "internal/flagtest"

// under reports whether path is dir or inside it.
func under(path, dir string) bool { return path == dir || strings.HasPrefix(path, dir+"/") }

// noun is the command package a cmd/<noun>/… path belongs to, "" otherwise
// (cmd itself, the root, wires the nouns and is no noun; nor is cmd/cmdtest).
func noun(path string) string {
	rest, ok := strings.CutPrefix(path, "cmd/")
	if !ok || under(path, cmdtest) {
		return ""
	}
	n, _, _ := strings.Cut(rest, "/")
	return n
}

// violations are the edges that break a rule, one line each, sorted.
func violations(edges []edge) []string {
	var out []string
	for _, e := range edges {
		for _, r := range rules {
			if r.breaks(e) {
				where := ""
				if e.test {
					where = " (in _test.go)"
				}
				out = append(out, fmt.Sprintf("%s imports %s%s: %s", e.from, e.to, where, r.name))
			}
		}
	}
	sort.Strings(out)
	return out
}

// listed is what `go list -json` says of one package.
type listed struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	TestGoFiles  []string
	XTestGoFiles []string
	Module       *struct{ Path string }
}

// testedPackages are the packages with _test.go files, as importGraph last
// found them.
var testedPackages []string

// importGraph runs `go list` on the whole module, from its root, and returns
// its packages (module-relative) and every import edge.
func importGraph(t *testing.T) (pkgs []string, edges []edge) {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the architecture test needs the go command on PATH (go test puts it there): %v", err)
	}
	cmd := exec.Command(goTool, "list", "-json=ImportPath,Imports,TestImports,XTestImports,TestGoFiles,XTestGoFiles,Module", "./...")
	cmd.Dir = testutil.ModuleRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./...: %v\n%s", err, stderr.String())
	}
	var all []listed
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		all = append(all, p)
	}
	if len(all) == 0 || all[0].Module == nil {
		t.Fatalf("go list ./... listed no package of a module")
	}
	mod := all[0].Module.Path
	rel := func(path string) (string, bool) {
		if path == mod {
			return ".", true
		}
		if r, ok := strings.CutPrefix(path, mod+"/"); ok {
			return r, true
		}
		return path, false
	}
	testedPackages = nil
	for _, p := range all {
		from, _ := rel(p.ImportPath)
		pkgs = append(pkgs, from)
		if len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 {
			testedPackages = append(testedPackages, from)
		}
		prod := map[string]bool{}
		for _, imp := range p.Imports {
			prod[imp] = true
		}
		add := func(imps []string, test bool) {
			for _, imp := range imps {
				if test && prod[imp] {
					continue // already checked as a production import
				}
				to, ours := rel(imp)
				edges = append(edges, edge{from: from, to: to, ours: ours, std: !ours && isStd(imp), test: test})
			}
		}
		add(p.Imports, false)
		add(p.TestImports, true)
		add(p.XTestImports, true)
	}
	return pkgs, edges
}

// TestEveryTestPackageDefinesUpdate: `go test ./... -update` rewrites every
// golden file only if each test binary defines -update, which importing
// internal/testutil (directly or through cmd/cmdtest or internal/flagtest) does; a package whose
// tests import neither fails with "flag provided but not defined: -update".
func TestEveryTestPackageDefinesUpdate(t *testing.T) {
	_, edges := importGraph(t)
	tested, defines := map[string]bool{}, map[string]bool{"internal/testutil": true}
	for _, e := range edges {
		if e.to == "internal/testutil" || e.to == cmdtest || e.to == flagtest {
			defines[e.from] = true
		}
	}
	for _, p := range testedPackages {
		tested[p] = true
		if !defines[p] {
			t.Errorf("the tests of %s import neither internal/testutil nor cmd/cmdtest: go test ./... -update fails there (add import _ \"…/internal/testutil\" to a _test.go file)", p)
		}
	}
	if !tested["cmd"] || !tested["internal/crm"] {
		t.Fatalf("packages with tests: %v", testedPackages)
	}
}

// isStd reports whether an import path is in the standard library: as for
// the go command, its first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// TestImportGraph checks the module's import graph against the rules.
func TestImportGraph(t *testing.T) {
	pkgs, edges := importGraph(t)
	// The rules name these packages: if one is renamed, its rule would pass
	// on nothing, so the rules must be updated with it.
	have := map[string]bool{}
	for _, p := range pkgs {
		have[p] = true
	}
	for _, p := range []string{"cmd", "cmd/credit", "internal/crm", "internal/sqlite", "internal/output",
		"internal/importer", "internal/cmdutil", "internal/testutil", cmdtest} {
		if !have[p] {
			t.Errorf("go list found no package %s; the architecture rules name it (listed: %v)", p, pkgs)
		}
	}
	if len(edges) < 100 {
		t.Fatalf("only %d import edges found", len(edges))
	}
	for _, v := range violations(edges) {
		t.Error(v)
	}
}

// TestRules shows each rule failing on an edge that breaks it, and passing
// on the nearest edge that is allowed.
func TestRules(t *testing.T) {
	ours := func(from, to string) edge { return edge{from: from, to: to, ours: true} }
	ext := func(from, to string) edge { return edge{from: from, to: to, std: isStd(to)} }
	inTest := func(e edge) edge { e.test = true; return e }
	tests := []struct {
		e    edge
		want string // the start of the broken rule's name; "" when allowed
	}{
		{ext("internal/crm", "strings"), ""},
		{ext("internal/crm", "golang.org/x/text/encoding"), "internal/crm imports only"},
		{ours("internal/crm", "internal/output"), "internal/crm imports only"},
		{inTest(ours("internal/crm", "internal/testutil")), ""},
		{inTest(ours("internal/crm", "internal/demo")), "internal/crm imports only"},
		{ours("cmd", "internal/sqlite"), ""},
		{ours("cmd/credit", "internal/sqlite"), "only cmd (root.go) imports internal/sqlite"},
		{ours(".", "internal/sqlite"), "only cmd (root.go) imports internal/sqlite"},
		{ours("internal/rqlite", "internal/sqlite"), ""},
		{ours("cmd", "internal/rqlite"), ""},
		{ours("cmd/customer", "internal/rqlite"), "only cmd (root.go) imports internal/rqlite"},
		{inTest(ours("internal/sqlite", "internal/sqlite")), ""},
		{ext("cmd", "github.com/spf13/viper"), ""},
		{ext("internal/cmdutil", "github.com/spf13/viper"), "only cmd (root.go) imports viper"},
		{ext("internal/output", "github.com/olekukonko/tablewriter/tw"), ""},
		{ext("cmd/rfm", "github.com/olekukonko/tablewriter"), "only internal/output imports tablewriter"},
		{inTest(ext("cmd", "github.com/olekukonko/tablewriter/tw")), "only internal/output imports tablewriter"},
		{ours("cmd/rfm", "cmd/tier"), "a cmd/<noun> never imports"},
		{inTest(ours("cmd/rfm", "cmd/tier")), "a cmd/<noun> never imports"},
		{ours("cmd/rfm/sub", "cmd/rfm"), ""},
		{inTest(ours("cmd/credit", "cmd")), ""},
		{ours("cmd", "cmd/rfm"), ""},
		{ours("internal/views", "cmd"), "nothing in internal/ imports cmd/"},
		{inTest(ours("internal/importer", "cmd/importcmd")), "nothing in internal/ imports cmd/"},
		{ours("internal/sqlite", "internal/crm"), ""},
		{ours("internal/sqlite", "internal/output"), "internal/sqlite imports no"},
		{ours("internal/sqlite", "internal/cmdutil"), "internal/sqlite imports no"},
		{ours("internal/sqlite", "internal/importer"), "internal/sqlite imports no"},
		{inTest(ours("internal/sqlite", "internal/importer")), ""},
		{ext("internal/sqlite", "database/sql"), ""},
		{ext("internal/importer", "database/sql"), "only internal/sqlite speaks SQL"},
		{ext("cmd", "modernc.org/sqlite"), "only internal/sqlite speaks SQL"},
		{inTest(ext("cmd", "modernc.org/sqlite")), ""},
		{ours("internal/output", "internal/testutil"), "internal/testutil is for tests"},
		{inTest(ours("internal/output", "internal/testutil")), ""},
		{ext("internal/testutil", "github.com/spf13/cobra"), "internal/testutil is for tests"},
		{ours("cmd/cmdtest", "internal/testutil"), ""},
		{ours("cmd/cmdtest", "cmd"), ""},
		{inTest(ours("cmd/credit", "cmd/cmdtest")), ""},
		{inTest(ours("cmd", "cmd/cmdtest")), ""},
		{ours("cmd/credit", "cmd/cmdtest"), "cmd/cmdtest is for tests"},
		{ours("cmd", "cmd/cmdtest"), "cmd/cmdtest is for tests"},
	}
	for _, tt := range tests {
		got := violations([]edge{tt.e})
		switch {
		case tt.want == "" && len(got) != 0:
			t.Errorf("%+v: want allowed, got %q", tt.e, got)
		case tt.want != "" && (len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), ": "+tt.want)):
			t.Errorf("%+v: want it to break %q, got %q", tt.e, tt.want, got)
		}
	}
}
