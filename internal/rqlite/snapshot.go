package rqlite

// The local snapshot: a copy of the cluster's book in the user's cache
// folder, fetched with GET /db/backup when missing or stale.
//
// A cluster's copies are generations, files named HASH-GEN.db (HASH of the
// cluster's URL, GEN when fetched), with a pointer file HASH.current that
// names the current one. A stale copy is never changed in place (other crm
// processes may be reading or writing it; copying a book into an open WAL
// database page by page cost an rfm on 1,000,000 orders 1.3 s): a new
// generation is written beside it and the pointer renamed over the old one.
// A crm process keeps the generation it opened; its writes commit there too,
// so its copy stays current for its next command. Generations that are
// neither current nor the one before and unchanged for a minute are
// removed when a new one is fetched.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/sqlite"
)

// CacheDirEnv overrides the folder of the snapshots (tests; a team member
// whose cache folder is on a slow disk).
const CacheDirEnv = "CRM_RQLITE_CACHE"

// snapshots are the local copies of one cluster.
type snapshots struct {
	dir, hash string
}

func newSnapshots(c *Client) (snapshots, error) {
	dir := os.Getenv(CacheDirEnv)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return snapshots{}, crm.Errorf(crm.EINTERNAL, "the cluster %s: no cache folder for its local copy (%v): set %s", c.Name(), err, CacheDirEnv)
		}
		dir = filepath.Join(base, "crm", "rqlite")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return snapshots{}, crm.Errorf(crm.EINTERNAL, "the cluster %s: cannot make the folder of its local copy: %v", c.Name(), err)
	}
	h := sha256.Sum256([]byte(c.Name()))
	return snapshots{dir: dir, hash: hex.EncodeToString(h[:8])}, nil
}

func (s snapshots) pointer() string { return filepath.Join(s.dir, s.hash+".current") }

// current is the path of the current generation ("" if none).
func (s snapshots) current() string {
	b, err := os.ReadFile(s.pointer())
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(b))
	if name == "" || strings.ContainsAny(name, `/\`) {
		return ""
	}
	return filepath.Join(s.dir, name)
}

// localRev is the revision of the copy at path (-1: none, or not a copy of
// a cluster).
func localRev(ctx context.Context, path string) int64 {
	if path == "" {
		return -1
	}
	if _, err := os.Stat(path); err != nil {
		return -1
	}
	db, err := sql.Open("sqlite", sqlite.FileURI(path, "mode=ro&_pragma=busy_timeout(5000)"))
	if err != nil {
		return -1
	}
	defer db.Close()
	var rev int64
	if err := db.QueryRowContext(ctx, "SELECT rev FROM book_revision").Scan(&rev); err != nil {
		return -1
	}
	return rev
}

// fetch writes a new generation from the cluster's backup, makes it
// current and returns its path.
func (s snapshots) fetch(ctx context.Context, c *Client) (string, error) {
	name := fmt.Sprintf("%s-%d-%d.db", s.hash, time.Now().UnixNano(), os.Getpid())
	path := filepath.Join(s.dir, name)
	f, err := os.OpenFile(path+".part", os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", crm.Errorf(crm.EINTERNAL, "the cluster %s: local copy: %v", c.Name(), err)
	}
	defer os.Remove(path + ".part")
	err = c.Backup(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("the cluster %s: fetching its book: %w", c.Name(), err)
	}
	if err := os.Rename(path+".part", path); err != nil {
		return "", crm.Errorf(crm.EINTERNAL, "the cluster %s: local copy: %v", c.Name(), err)
	}
	prev := s.current()
	tmp := fmt.Sprintf("%s.%d", s.pointer(), os.Getpid())
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o600); err != nil {
		return "", crm.Errorf(crm.EINTERNAL, "the cluster %s: local copy: %v", c.Name(), err)
	}
	if err := os.Rename(tmp, s.pointer()); err != nil {
		os.Remove(tmp)
		return "", crm.Errorf(crm.EINTERNAL, "the cluster %s: local copy: %v", c.Name(), err)
	}
	s.clean(path, prev)
	return path, nil
}

// clean removes the generations (and their -wal and -shm) other than keep
// that were last changed more than a minute ago.
func (s snapshots) clean(keep ...string) {
	old, _ := filepath.Glob(filepath.Join(s.dir, s.hash+"-*.db"))
	for _, p := range old {
		if kept(p, keep) {
			continue
		}
		if recent(p) || recent(p+"-wal") {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(p + suffix)
			}
		}
	}
}

// recent reports a file changed in the last minute (a crm process may
// still be using it).
func recent(p string) bool {
	st, err := os.Stat(p)
	return err == nil && time.Since(st.ModTime()) < time.Minute
}

func kept(p string, keep []string) bool {
	for _, k := range keep {
		if p == k {
			return true
		}
	}
	return false
}
