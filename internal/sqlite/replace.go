package sqlite

import (
	"context"
	"errors"

	"github.com/crm-course/crm/internal/crm"
	"modernc.org/sqlite"
)

// restorer is what modernc.org/sqlite's connection offers for running the
// online backup API backwards (pages of another file into this book).
type restorer interface {
	NewRestore(srcURI string) (*sqlite.Backup, error)
}

// Replace puts the book at src in place of everything this book holds, in
// one write transaction: SQLite's online backup API copying every page of
// src at once (sqlite3_backup_step(-1)) into this file, under its write lock
// and through its journal. Other connections see the old book or the new,
// and a process killed at any moment leaves one of them whole. src must be a
// crm book of this schema version (both made by this crm: same page size).
// The file itself stays (a symbolic link, its mode, its folder's other
// files), unlike a rename over it.
func (d *DB) Replace(ctx context.Context, src string) error {
	if d.readOnly {
		return crm.Errorf(crm.EINVALID, "database %s is open read-only", d.Path)
	}
	s, err := OpenReadOnly(ctx, src)
	if err != nil {
		return err
	}
	s.Close()
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return d.openError(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(restorer)
		if !ok {
			return errors.New("the SQLite driver has no online backup")
		}
		b, err := r.NewRestore(FileURI(src, "mode=ro"))
		if err != nil {
			return err
		}
		_, err = b.Step(-1)
		if ferr := b.Finish(); err == nil {
			err = ferr
		}
		return err
	})
	if err != nil {
		return crm.Errorf(crm.EINTERNAL, "database %s: replacing it with %s: %v", d.Path, src, err)
	}
	return nil
}
