// Package rqlitetest helps the tests that run crm against an rqlite
// cluster: the cluster CI started (CRM_RQLITE), wiped for each test, or a
// cluster of the test's own (cluster.sh in internal/rqlite/testdata).
// Only _test.go files import it.
package rqlitetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/crm-course/crm/internal/rqlite"
)

// Env names the cluster the tests use: rqlite://host:port,…
const Env = "CRM_RQLITE"

// URL is the cluster of $CRM_RQLITE, wiped (every table, view and trigger
// dropped, the schema version and mark reset: an empty cluster), with the
// test's own cache folder for crm's local copies. Without CRM_RQLITE the
// test skips, saying so. Tests using it must not run in parallel.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(Env)
	if u == "" {
		t.Skip("CRM_RQLITE not set: no rqlite cluster to test against (start one with internal/rqlite/testdata/cluster.sh start DIR and set CRM_RQLITE=$(cat DIR/url))")
	}
	Wipe(t, u)
	t.Setenv(rqlite.CacheDirEnv, t.TempDir())
	return u
}

// Client is a client of the cluster url names.
func Client(t testing.TB, url string) *rqlite.Client {
	t.Helper()
	cfg, err := rqlite.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.User, cfg.Password = os.Getenv("CRM_RQLITE_USER"), os.Getenv("CRM_RQLITE_PASSWORD")
	return rqlite.NewClient(cfg)
}

// Wipe drops everything in the cluster's database, in one request.
func Wipe(t testing.TB, url string) {
	t.Helper()
	c := Client(t, url)
	ctx := context.Background()
	res, err := c.Query(ctx, "strong", []rqlite.Stmt{{SQL: `SELECT type, name, coalesce(sql, '') FROM sqlite_master
		WHERE name NOT LIKE 'sqlite_%' ORDER BY CASE type WHEN 'trigger' THEN 0 WHEN 'view' THEN 1 ELSE 2 END,
		sql LIKE 'CREATE VIRTUAL%' DESC, rowid DESC`}})
	if err != nil {
		t.Fatalf("wipe %s: %v", url, err)
	}
	stmts := []rqlite.Stmt{}
	for _, row := range res[0].Values {
		typ, name := row[0].(string), row[1].(string)
		switch typ {
		case "trigger", "view", "table":
			stmts = append(stmts, rqlite.Stmt{SQL: fmt.Sprintf("DROP %s IF EXISTS %q", strings.ToUpper(typ), name)})
		}
	}
	stmts = append(stmts, rqlite.Stmt{SQL: "PRAGMA user_version = 0"}, rqlite.Stmt{SQL: "PRAGMA application_id = 0"})
	if _, err := c.Execute(ctx, stmts); err != nil {
		t.Fatalf("wipe %s: %v", url, err)
	}
}

// Query runs one query at level strong and returns its rows.
func Query(t testing.TB, url, q string, args ...any) [][]any {
	t.Helper()
	res, err := Client(t, url).Query(context.Background(), "strong", []rqlite.Stmt{{SQL: q, Args: args}})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if res[0].Error != "" {
		t.Fatalf("%s: %s", q, res[0].Error)
	}
	return res[0].Values
}

// Exec runs one statement on the cluster.
func Exec(t testing.TB, url, q string, args ...any) {
	t.Helper()
	if _, err := Client(t, url).Execute(context.Background(), []rqlite.Stmt{{SQL: q, Args: args}}); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// Cluster is a three-node cluster of a test's own.
type Cluster struct {
	Dir  string
	URL  string
	PIDs []int
	HTTP []string // host:port of each node, PIDs' order
}

// Script is the path of cluster.sh.
func Script() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "cluster.sh")
}

// Start starts a cluster of the test's own with cluster.sh (stopped when
// the test ends). It skips when rqlited is not built and CRM_RQLITE is not
// set (CI builds it; so does `cluster.sh build`).
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin := os.Getenv("RQLITED")
	if bin == "" {
		bin = filepath.Join(filepath.Dir(Script()), "bin", "rqlited")
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv(Env) == "" {
			t.Skip("CRM_RQLITE not set and rqlited not built: run internal/rqlite/testdata/cluster.sh build")
		}
	}
	dir := t.TempDir()
	out, err := exec.Command("bash", Script(), "start", dir).CombinedOutput()
	t.Cleanup(func() { exec.Command("bash", Script(), "stop", dir).Run() })
	if err != nil {
		t.Fatalf("cluster.sh start: %v\n%s", err, out)
	}
	c := &Cluster{Dir: dir}
	b, _ := os.ReadFile(filepath.Join(dir, "url"))
	c.URL = strings.TrimSpace(string(b))
	b, _ = os.ReadFile(filepath.Join(dir, "pids"))
	for _, f := range strings.Fields(string(b)) {
		pid, _ := strconv.Atoi(f)
		c.PIDs = append(c.PIDs, pid)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "http"))
	c.HTTP = strings.Fields(string(b))
	if c.URL == "" || len(c.PIDs) != 3 {
		t.Fatalf("cluster.sh start: no url or pids in %s", dir)
	}
	t.Setenv(rqlite.CacheDirEnv, t.TempDir())
	return c
}

// Leader is the index of the node that is the leader now (-1: none).
func (c *Cluster) Leader(t testing.TB) int {
	t.Helper()
	for i, h := range c.HTTP {
		resp, err := http.Get("http://" + h + "/status")
		if err != nil {
			continue
		}
		var st struct {
			Store struct {
				Raft struct {
					State string `json:"state"`
				} `json:"raft"`
			} `json:"store"`
		}
		err = json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if err == nil && st.Store.Raft.State == "Leader" {
			return i
		}
	}
	return -1
}

// Node is the URL of node i alone (for reading one node's copy with level
// none).
func (c *Cluster) Node(i int) string { return "rqlite://" + c.HTTP[i] }

// QueryNode runs q on node i alone (level none: its own copy).
func QueryNode(t testing.TB, url, q string) ([][]any, error) {
	t.Helper()
	res, err := Client(t, url).Query(context.Background(), "none", []rqlite.Stmt{{SQL: q}})
	if err != nil {
		return nil, err
	}
	if res[0].Error != "" {
		return nil, fmt.Errorf("%s", res[0].Error)
	}
	return res[0].Values, nil
}

// Kill kills node i (SIGKILL) and waits for it to be gone.
func (c *Cluster) Kill(t testing.TB, i int) {
	t.Helper()
	p, err := os.FindProcess(c.PIDs[i])
	if err != nil {
		t.Fatal(err)
	}
	p.Kill()
	p.Wait()
	for range 50 {
		if p.Signal(syscall.Signal(0)) != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
}
