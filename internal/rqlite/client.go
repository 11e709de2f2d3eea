package rqlite

// A small client of rqlite's HTTP API (net/http and encoding/json, no other
// dependency): /db/execute?transaction with parameterised statements,
// /db/query at a read level, /db/backup, /readyz.
//
// Several hosts: a request goes to the first host that answers; on a
// connection error it is tried on the next one (the node that answers
// forwards it to the leader; a redirect to the leader is followed too).
// Every request has a short deadline, so a cluster without a quorum fails
// within seconds with a message that says so, instead of hanging.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/crm-course/crm/internal/crm"
)

// Config is how to reach a cluster.
type Config struct {
	Hosts    []string // host:port, the order they are tried in
	HTTPS    bool
	User     string // basic auth; "" for none
	Password string
	// Timeout bounds one request to one host (default 3 s); a write whose
	// outcome is unknown after it is sent again (the guard makes that safe).
	Timeout time.Duration
}

// ParseURL reads a --db value: rqlite://h1:4001,h2:4003,h3:4005 (http),
// rqlites://… or rqlite+https://… (https). A host without a port gets
// rqlite's 4001. Credentials never come from the URL (they would show in
// the shell's history and in `ps`): user:password@ is refused.
func ParseURL(s string) (Config, error) {
	var c Config
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return c, crm.Errorf(crm.EINVALID, "--db %s: not an rqlite URL (rqlite://host:port,host:port,…)", s)
	}
	switch strings.ToLower(scheme) {
	case "rqlite", "rqlite+http":
	case "rqlites", "rqlite+https":
		c.HTTPS = true
	default:
		return c, crm.Errorf(crm.EINVALID, "--db %s: unknown scheme %q (rqlite://, rqlites:// or rqlite+https://)", s, scheme)
	}
	rest = strings.TrimSuffix(rest, "/")
	if strings.Contains(rest, "@") {
		return c, crm.Errorf(crm.EINVALID, "--db %s: credentials do not belong in the URL; set rqlite.user and rqlite.password in the config file, or CRM_RQLITE_USER and CRM_RQLITE_PASSWORD", Redact(s))
	}
	if strings.ContainsAny(rest, "/?#") {
		return c, crm.Errorf(crm.EINVALID, "--db %s: an rqlite URL names hosts only (rqlite://host:port,host:port,…)", s)
	}
	for _, h := range strings.Split(rest, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(h, "4001")
		}
		c.Hosts = append(c.Hosts, h)
	}
	if len(c.Hosts) == 0 {
		return c, crm.Errorf(crm.EINVALID, "--db %s: no hosts", s)
	}
	return c, nil
}

// IsURL reports whether a --db value names a cluster rather than a file.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	for _, p := range []string{"rqlite://", "rqlites://", "rqlite+http://", "rqlite+https://"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// Redact hides anything before an @ in a URL (for messages).
func Redact(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = "…@" + rest[i+1:]
	}
	return scheme + "://" + rest
}

// Client talks to one cluster.
type Client struct {
	cfg  Config
	http *http.Client
	name string // for messages: rqlite://hosts
}

// NewClient returns a client of the cluster cfg names.
func NewClient(cfg Config) *Client {
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	// No ResponseHeaderTimeout: each request's deadline is its context's
	// (eachWithin), longer for the final request of an import; a transport
	// bound of cfg.Timeout cut that one after 3 s whatever its deadline (an
	// import of 1,000,000 rows failed so, nothing applied). Backup bounds
	// only the wait for its answer's start itself.
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
	scheme := "rqlite"
	if cfg.HTTPS {
		scheme = "rqlites"
	}
	return &Client{cfg: cfg, name: scheme + "://" + strings.Join(cfg.Hosts, ","),
		http: &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			return nil
		}}}
}

// Name is the cluster's URL (without credentials), for messages.
func (c *Client) Name() string { return c.name }

// Stmt is one statement with its positional arguments (int64, float64,
// string, bool or nil).
type Stmt struct {
	SQL  string
	Args []any
}

func (s Stmt) MarshalJSON() ([]byte, error) {
	a := make([]any, 0, 1+len(s.Args))
	a = append(a, s.SQL)
	a = append(a, s.Args...)
	return json.Marshal(a)
}

// Result is one statement's answer.
type Result struct {
	Columns      []string `json:"columns"`
	Values       [][]any  `json:"values"`
	LastInsertID int64    `json:"last_insert_id"`
	RowsAffected int64    `json:"rows_affected"`
	Error        string   `json:"error"`
}

type response struct {
	Results []Result `json:"results"`
	Error   string   `json:"error"`
}

// StmtError is a statement that the cluster refused; its message is
// SQLite's text (rqlite returns no result codes).
type StmtError struct {
	Index int // of the statement in its request
	Msg   string
}

func (e *StmtError) Error() string { return e.Msg }

// UnavailableError is a request no node answered (down, no leader, no
// quorum): its outcome is unknown if it was a write.
type UnavailableError struct {
	Cluster string
	Err     error
}

func (e *UnavailableError) Error() string {
	var se *statusError
	if errors.As(e.Err, &se) && !strings.Contains(strings.ToLower(se.body), "leader") {
		return fmt.Sprintf("the cluster %s failed the request (%v); nothing is known to be written; try again", e.Cluster, e.Err)
	}
	return fmt.Sprintf("the cluster %s does not answer (%v): are enough of its nodes up (two of three)? nothing is known to be written; try again", e.Cluster, e.Err)
}

// statusError is a node's answer other than 200 OK.
type statusError struct {
	what, status, body string
}

func (e *statusError) Error() string {
	return strings.TrimPrefix(e.what+": ", ": ") + e.status + ": " + e.body
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Execute runs stmts as one transaction (one Raft entry): all or nothing.
// A statement's error is a *StmtError; no answer is an *UnavailableError.
func (c *Client) Execute(ctx context.Context, stmts []Stmt) ([]Result, error) {
	return c.ExecuteWithin(ctx, 0, stmts)
}

// ExecuteWithin is Execute with a deadline of d for each node tried (0:
// the client's).
func (c *Client) ExecuteWithin(ctx context.Context, d time.Duration, stmts []Stmt) ([]Result, error) {
	body, err := json.Marshal(stmts)
	if err != nil {
		return nil, err
	}
	return c.doWithin(ctx, d, "/db/execute?transaction&timings=false", body)
}

// Query runs read statements at level (weak, linearizable, strong, none).
// Each result carries its own error (a missing table is an answer).
func (c *Client) Query(ctx context.Context, level string, stmts []Stmt) ([]Result, error) {
	body, err := json.Marshal(stmts)
	if err != nil {
		return nil, err
	}
	return c.doAll(ctx, "/db/query?level="+url.QueryEscape(level), body)
}

func (c *Client) doWithin(ctx context.Context, d time.Duration, path string, body []byte) ([]Result, error) {
	res, err := c.doAllWithin(ctx, d, path, body)
	if err != nil {
		return nil, err
	}
	for i, r := range res {
		if r.Error != "" {
			return res, &StmtError{Index: i, Msg: r.Error}
		}
	}
	return res, nil
}

func (c *Client) doAll(ctx context.Context, path string, body []byte) ([]Result, error) {
	return c.doAllWithin(ctx, 0, path, body)
}

func (c *Client) doAllWithin(ctx context.Context, d time.Duration, path string, body []byte) ([]Result, error) {
	var out response
	err := c.eachWithin(ctx, d, func(ctx context.Context, base string) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
		if err != nil {
			return false, err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.send(req)
		if err != nil {
			return true, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return true, err
		}
		if resp.StatusCode == http.StatusServiceUnavailable {
			return true, &statusError{status: resp.Status, body: strings.TrimSpace(string(b))}
		}
		if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
			return false, crm.Errorf(crm.EINTERNAL, "the cluster %s refused crm's credentials (%s): set rqlite.user and rqlite.password in the config file, or CRM_RQLITE_USER and CRM_RQLITE_PASSWORD", c.name, resp.Status)
		}
		if resp.StatusCode != http.StatusOK {
			return true, &statusError{status: resp.Status, body: strings.TrimSpace(string(b))}
		}
		out = response{}
		if err := json.Unmarshal(b, &out); err != nil {
			return false, fmt.Errorf("the cluster %s: unreadable answer: %v", c.name, err)
		}
		if out.Error != "" {
			// A request-level error (e.g. "leadership lost while committing
			// log"): another node may do better.
			return true, errors.New(out.Error)
		}
		return false, nil
	})
	return out.Results, err
}

func (c *Client) send(req *http.Request) (*http.Response, error) {
	if c.cfg.User != "" {
		req.SetBasicAuth(c.cfg.User, c.cfg.Password)
	}
	return c.http.Do(req)
}

// each runs try against each host in turn until one gives an answer that is
// not worth trying elsewhere (next false), within the request's deadline.
func (c *Client) each(ctx context.Context, try func(ctx context.Context, base string) (next bool, err error)) error {
	return c.eachWithin(ctx, 0, try)
}

// eachBounded is each without a deadline (false) or with the client's.
func (c *Client) eachBounded(ctx context.Context, bounded bool, try func(ctx context.Context, base string) (next bool, err error)) error {
	if !bounded {
		return c.eachWithin(ctx, -1, try)
	}
	return c.eachWithin(ctx, 0, try)
}

// eachWithin is each with a deadline of d for each node (0: the client's;
// negative: none).
func (c *Client) eachWithin(ctx context.Context, d time.Duration, try func(ctx context.Context, base string) (next bool, err error)) error {
	if d == 0 {
		d = c.cfg.Timeout
	}
	scheme := "http"
	if c.cfg.HTTPS {
		scheme = "https"
	}
	var last error
	for _, h := range c.cfg.Hosts {
		if err := ctx.Err(); err != nil {
			return err
		}
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if d > 0 {
			rctx, cancel = context.WithTimeout(ctx, d)
		}
		next, err := try(rctx, scheme+"://"+h)
		cancel()
		if err == nil {
			return nil
		}
		if !next || ctx.Err() != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		last = err
	}
	return &UnavailableError{Cluster: c.name, Err: last}
}

// Backup writes a consistent copy of the cluster's database (an SQLite
// file) to w. A large book takes longer than one request's deadline: only
// the wait for the answer's start is bounded (the client's timeout).
//
// A follower forwarding many backups at once to the leader fails some of
// them (500, "broken pipe"): ?redirect has it send crm to the leader
// instead. A failed backup is tried again for a few seconds.
func (c *Client) Backup(ctx context.Context, w io.Writer) error {
	// rqlite makes one backup at a time ("CAS conflict: currently held by
	// owner backup"): twenty crm processes fetching at once wait their turn.
	var err error
	deadline := time.Now().Add(failoverWait + 4*time.Second)
	for attempt, wait := 0, 20*time.Millisecond; ; attempt, wait = attempt+1, min(2*wait, 500*time.Millisecond) {
		if attempt > 0 {
			if time.Now().After(deadline) {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait/2 + time.Duration(rand.Int64N(int64(wait)))):
			}
		}
		if err = c.backup(ctx, w); err == nil {
			return nil
		}
		if sk, ok := w.(io.Seeker); !ok {
			return err
		} else if _, serr := sk.Seek(0, io.SeekStart); serr != nil {
			return err
		}
		if t, ok := w.(interface{ Truncate(int64) error }); ok {
			t.Truncate(0)
		}
	}
}

func (c *Client) backup(ctx context.Context, w io.Writer) error {
	return c.eachBounded(ctx, false, func(ctx context.Context, base string) (bool, error) {
		// The answer must start within the client's timeout; the copy
		// then takes as long as it takes.
		hctx, cancel := context.WithCancel(ctx)
		defer cancel()
		late := time.AfterFunc(c.cfg.Timeout, cancel)
		req, err := http.NewRequestWithContext(hctx, http.MethodGet, base+"/db/backup?redirect", nil)
		if err != nil {
			return false, err
		}
		resp, err := c.send(req)
		if !late.Stop() && err != nil {
			return true, fmt.Errorf("no answer within %v: %w", c.cfg.Timeout, err)
		}
		if err != nil {
			return true, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			return true, &statusError{what: "backup", status: resp.Status, body: strings.TrimSpace(string(b))}
		}
		_, err = io.Copy(w, resp.Body)
		return false, err
	})
}

// Ready reports whether some node of the cluster is ready (it has a leader).
func (c *Client) Ready(ctx context.Context) error {
	return c.each(ctx, func(ctx context.Context, base string) (bool, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if err != nil {
			return false, err
		}
		resp, err := c.send(req)
		if err != nil {
			return true, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		if resp.StatusCode != http.StatusOK {
			return true, fmt.Errorf("%s: %s", resp.Status, strings.TrimSpace(string(b)))
		}
		return false, nil
	})
}
