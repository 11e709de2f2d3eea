package rqlite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/crm-course/crm/internal/testutil" // go test ./... -update: the flag is defined here too
)

// deadHost is an address nothing listens on.
func deadHost(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func host(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

// TestNextHost: a host that refuses the connection is skipped; the request
// goes to the next one.
func TestNextHost(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"results":[{"columns":["rev"],"values":[[7]]}]}`)
	}))
	defer srv.Close()
	c := NewClient(Config{Hosts: []string{deadHost(t), host(srv)}})
	res, err := c.Query(context.Background(), "strong", []Stmt{{SQL: "SELECT rev FROM book_revision"}})
	if err != nil || num(res[0].Values[0][0]) != 7 {
		t.Fatalf("Query = %v, %v; want rev 7 from the second host", res, err)
	}
}

// TestAllDown: no host answers: an UnavailableError at once, saying so.
func TestAllDown(t *testing.T) {
	c := NewClient(Config{Hosts: []string{deadHost(t), deadHost(t)}})
	start := time.Now()
	_, err := c.Execute(context.Background(), []Stmt{{SQL: "INSERT INTO t VALUES (1)"}})
	var ue *UnavailableError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "does not answer") {
		t.Fatalf("err = %v, want an UnavailableError", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestRedirect: a node that redirects to the leader is followed.
func TestRedirect(t *testing.T) {
	leader := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"results":[{"rows_affected":1}]}`)
	}))
	defer leader.Close()
	follower := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, leader.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	defer follower.Close()
	c := NewClient(Config{Hosts: []string{host(follower)}})
	res, err := c.Execute(context.Background(), []Stmt{{SQL: "INSERT INTO t VALUES (?)", Args: []any{int64(1)}}})
	if err != nil || res[0].RowsAffected != 1 {
		t.Fatalf("Execute = %v, %v", res, err)
	}
}

// TestCredentials: basic auth from the config; a refusal names where to
// set them.
func TestCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ann" || p != "pw" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		io.WriteString(w, `{"results":[{}]}`)
	}))
	defer srv.Close()
	if _, err := NewClient(Config{Hosts: []string{host(srv)}, User: "ann", Password: "pw"}).Execute(context.Background(), []Stmt{{SQL: "x"}}); err != nil {
		t.Errorf("with credentials: %v", err)
	}
	_, err := NewClient(Config{Hosts: []string{host(srv)}}).Execute(context.Background(), []Stmt{{SQL: "x"}})
	if err == nil || !strings.Contains(err.Error(), "CRM_RQLITE_USER") {
		t.Errorf("without credentials: %v", err)
	}
}

// TestResendApplied: the first attempt of a guarded request is applied but
// its answer lost (a timeout); the resend's guard fails; the revision log
// shows the token, so the write counts as done, not as a conflict.
func TestResendApplied(t *testing.T) {
	var executes atomic.Int32
	var token atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var stmts [][]any
		json.NewDecoder(r.Body).Decode(&stmts)
		if strings.HasPrefix(r.URL.Path, "/db/query") {
			n := 0
			if len(stmts[0]) > 1 && stmts[0][1] == token.Load() {
				n = 1
			}
			json.NewEncoder(w).Encode(map[string]any{"results": []any{map[string]any{"values": [][]any{{n}}}}})
			return
		}
		if executes.Add(1) == 1 {
			token.Store(stmts[0][2]) // applied …
			time.Sleep(300 * time.Millisecond)
			return // … but the answer comes too late
		}
		io.WriteString(w, `{"results":[{"error":"crm: changed by someone else"}]}`)
	}))
	defer srv.Close()
	r := &recorder{client: NewClient(Config{Hosts: []string{host(srv)}, Timeout: 100 * time.Millisecond})}
	err := r.send(context.Background(), []Stmt{{SQL: guardSQL, Args: []any{int64(3), "tok-1"}}}, 3, "tok-1")
	if err != nil {
		t.Fatalf("send = %v, want nil (applied by the first attempt)", err)
	}
	// Without the token in the log, the same story is a conflict.
	token.Store("someone else")
	executes.Store(1)
	err = r.send(context.Background(), []Stmt{{SQL: guardSQL, Args: []any{int64(3), "tok-2"}}}, 3, "tok-2")
	if !errors.Is(err, errConflict) {
		t.Fatalf("send = %v, want a conflict", err)
	}
}

// TestStmtErrors: the cluster's texts become crm's errors.
func TestStmtErrors(t *testing.T) {
	for msg, want := range map[string]string{
		"UNIQUE constraint failed: customers.code": "already there",
		"FOREIGN KEY constraint failed":            "is gone",
		"no such table: x":                         "no such table",
	} {
		if err := stmtError(&StmtError{Index: 0, Msg: msg}, []Stmt{{SQL: "INSERT"}}); !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", msg, err, want)
		}
	}
}

// TestNextHostApplied: the first node applies a guarded request and dies
// before answering (a leader killed mid-request); the client tries the next
// node at once, whose guard fails. The token is in the revision log: done,
// not "changed by someone else" (TestRqliteLeaderKilled saw this on CI).
func TestNextHostApplied(t *testing.T) {
	var token atomic.Value
	var apply atomic.Bool
	token.Store("")
	apply.Store(true)
	dying := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var stmts [][]any
		json.NewDecoder(r.Body).Decode(&stmts)
		if strings.HasPrefix(r.URL.Path, "/db/execute") && apply.Load() && len(stmts) > 0 && len(stmts[0]) > 2 {
			token.Store(stmts[0][2]) // applied …
		}
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close() // … and the connection cut: no answer
			}
		}
	}))
	defer dying.Close()
	next := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var stmts [][]any
		json.NewDecoder(r.Body).Decode(&stmts)
		if strings.HasPrefix(r.URL.Path, "/db/query") {
			n := 0
			if len(stmts[0]) > 1 && stmts[0][1] == token.Load() {
				n = 1
			}
			json.NewEncoder(w).Encode(map[string]any{"results": []any{map[string]any{"values": [][]any{{n}}}}})
			return
		}
		io.WriteString(w, `{"results":[{"error":"crm: changed by someone else"}]}`)
	}))
	defer next.Close()
	r := &recorder{client: NewClient(Config{Hosts: []string{host(dying), host(next)}})}
	if err := r.send(context.Background(), []Stmt{{SQL: guardSQL, Args: []any{int64(3), "tok-1"}}}, 3, "tok-1"); err != nil {
		t.Fatalf("send = %v, want nil (applied on the node that died)", err)
	}
	// Not applied there: the same story is a conflict.
	token.Store("someone else")
	apply.Store(false)
	if err := r.send(context.Background(), []Stmt{{SQL: guardSQL, Args: []any{int64(3), "tok-2"}}}, 3, "tok-2"); !errors.Is(err, errConflict) {
		t.Fatalf("send = %v, want a conflict", err)
	}
}

// TestSlowAnswerWithin: a request given a longer deadline than the client's
// timeout (an import's final request) waits for a slow answer; one of the
// client's own deadline does not; a backup whose answer starts late is cut,
// one that starts in time may take longer to finish. (The transport's
// ResponseHeaderTimeout cut the first after the client's timeout: the
// cluster applied a 1,000,000-row import crm had given up on.)
func TestSlowAnswerWithin(t *testing.T) {
	const timeout = 100 * time.Millisecond
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/db/backup") {
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			time.Sleep(3 * timeout) // the copy takes long once started
			io.WriteString(w, "SQLite format 3")
			return
		}
		time.Sleep(3 * timeout)
		io.WriteString(w, `{"results":[{"rows_affected":1}]}`)
	}))
	defer srv.Close()
	c := NewClient(Config{Hosts: []string{host(srv)}, Timeout: timeout})
	if _, err := c.ExecuteWithin(context.Background(), 10*timeout, []Stmt{{SQL: "INSERT INTO t VALUES (1)"}}); err != nil {
		t.Fatalf("a deadline of 10× the timeout, an answer after 3×: %v", err)
	}
	if _, err := c.ExecuteWithin(context.Background(), 0, []Stmt{{SQL: "INSERT INTO t VALUES (1)"}}); err == nil {
		t.Fatal("the client's deadline, an answer after 3× it: no error")
	}
	var buf bytes.Buffer
	if err := c.backup(context.Background(), &buf); err != nil || buf.String() != "SQLite format 3" {
		t.Fatalf("a backup that starts at once and takes 3× the timeout: %q, %v", buf.String(), err)
	}
	late := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(3 * timeout)
		io.WriteString(w, "SQLite format 3")
	}))
	defer late.Close()
	if err := NewClient(Config{Hosts: []string{host(late)}, Timeout: timeout}).backup(context.Background(), &buf); err == nil {
		t.Fatal("a backup whose answer starts after 3× the timeout: no error")
	}
}
