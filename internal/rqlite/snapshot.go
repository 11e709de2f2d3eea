package rqlite

// The local snapshot: a copy of the cluster's book in the user's cache
// folder, one file per cluster (named by a hash of its URL), fetched with
// GET /db/backup when missing or stale, and brought up to date in place
// with SQLite's backup API (other crm processes may have the file open; a
// file renamed over an open WAL database would be read with the old log).

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/sqlite"
	modernc "modernc.org/sqlite"
)

// CacheDirEnv overrides the folder of the snapshots (tests; a team member
// whose cache folder is on a slow disk).
const CacheDirEnv = "CRM_RQLITE_CACHE"

// snapshotPath is the local copy's file for the cluster c names.
func snapshotPath(c *Client) (string, error) {
	dir := os.Getenv(CacheDirEnv)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", crm.Errorf(crm.EINTERNAL, "the cluster %s: no cache folder for its local copy (%v): set %s", c.Name(), err, CacheDirEnv)
		}
		dir = filepath.Join(base, "crm", "rqlite")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", crm.Errorf(crm.EINTERNAL, "the cluster %s: cannot make the folder of its local copy: %v", c.Name(), err)
	}
	h := sha256.Sum256([]byte(c.Name()))
	return filepath.Join(dir, hex.EncodeToString(h[:8])+".db"), nil
}

// localRev is the revision of the snapshot at path (-1: none, or not a
// snapshot of a cluster).
func localRev(ctx context.Context, path string) int64 {
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

// fetch brings the snapshot at path to the cluster's current state.
func fetch(ctx context.Context, c *Client, path string) error {
	tmp := fmt.Sprintf("%s.fetch-%d", path, os.Getpid())
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "the cluster %s: local copy: %v", c.Name(), err)
	}
	defer os.Remove(tmp)
	err = c.Backup(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("the cluster %s: fetching its book: %w", c.Name(), err)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		// The first copy: put in place whole (a link fails if another crm
		// was quicker; then restore into its file as below).
		if err := os.Link(tmp, path); err == nil {
			return nil
		}
	}
	return restore(ctx, path, tmp)
}

// restore copies the database src into the database at path, in place,
// under SQLite's locks.
func restore(ctx context.Context, path, src string) error {
	db, err := sql.Open("sqlite", sqlite.FileURI(path, "_pragma=busy_timeout(5000)"))
	if err != nil {
		return err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err = conn.Raw(func(dc any) error {
			r, ok := dc.(interface {
				NewRestore(string) (*modernc.Backup, error)
			})
			if !ok {
				return errors.New("the SQLite driver cannot restore")
			}
			b, err := r.NewRestore(sqlite.FileURI(src, "mode=ro"))
			if err != nil {
				return err
			}
			_, err = b.Step(-1)
			if ferr := b.Finish(); err == nil {
				err = ferr
			}
			return err
		})
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(20 * time.Millisecond) // busy: another crm writes its copy
	}
	if err != nil {
		return fmt.Errorf("local copy %s: %w", path, err)
	}
	return nil
}
