package sqlite

// Scanning rows of the C API (rawconn.go) into the destinations of
// database/sql, so one scan function (scanTask, …) serves both paths. A read
// of many rows through database/sql converts every column twice (into a
// driver.Value, then into the destination) under the connection's lock:
// ≈ 13 µs a row for the 25 columns of a task on a loaded machine. Here a
// column goes once from SQLite's memory into its destination.

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strconv"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// rawRows is the current row of s as a scanner.
type rawRows struct{ s *rawStmt }

// Scan fills dest in column order as database/sql would: *int64, *int,
// *string (and string kinds, from text), *bool, *sql.NullString and *sql.NullInt64; NULL
// into a destination that cannot hold it is an error naming the column.
func (r rawRows) Scan(dest ...any) error {
	s := r.s
	for i, d := range dest {
		typ := sqlite3.Xsqlite3_column_type(s.c.tls, s.p, int32(i))
		switch d := d.(type) {
		case *sql.NullString:
			*d = sql.NullString{}
			if typ != sqlite3.SQLITE_NULL {
				*d = sql.NullString{String: string(s.bytes(i)), Valid: true}
			}
			continue
		case *sql.NullInt64:
			*d = sql.NullInt64{}
			if typ != sqlite3.SQLITE_NULL {
				n, err := r.integer(i, typ)
				if err != nil {
					return err
				}
				*d = sql.NullInt64{Int64: n, Valid: true}
			}
			continue
		}
		if typ == sqlite3.SQLITE_NULL {
			return fmt.Errorf("sqlite: column %d (%s): NULL into %T", i, r.name(i), d)
		}
		switch d := d.(type) {
		case *string:
			*d = string(s.bytes(i))
		case *int64:
			n, err := r.integer(i, typ)
			if err != nil {
				return err
			}
			*d = n
		case *int:
			n, err := r.integer(i, typ)
			if err != nil {
				return err
			}
			*d = int(n)
		case *bool:
			var err error
			if typ == sqlite3.SQLITE_INTEGER {
				n := s.int64(i)
				*d = n != 0
				if n != 0 && n != 1 {
					err = fmt.Errorf("%d", n)
				}
			} else {
				*d, err = strconv.ParseBool(string(s.bytes(i)))
			}
			if err != nil {
				return fmt.Errorf("sqlite: column %d (%s): not a boolean: %v", i, r.name(i), err)
			}
		default:
			v := reflect.ValueOf(d)
			if v.Kind() != reflect.Pointer || v.IsNil() {
				return fmt.Errorf("sqlite: column %d (%s): cannot scan into %T", i, r.name(i), d)
			}
			switch e := v.Elem(); e.Kind() {
			case reflect.String:
				if typ != sqlite3.SQLITE_TEXT && typ != sqlite3.SQLITE_BLOB {
					return fmt.Errorf("sqlite: column %d (%s): a number into %T", i, r.name(i), d)
				}
				e.SetString(string(s.bytes(i)))
			case reflect.Int, reflect.Int64, reflect.Int32:
				n, err := r.integer(i, typ)
				if err != nil {
					return err
				}
				e.SetInt(n)
			default:
				return fmt.Errorf("sqlite: column %d (%s): cannot scan into %T", i, r.name(i), d)
			}
		}
	}
	return nil
}

// integer is column i (of SQLite type typ, not NULL) as an integer: text
// must spell one, as database/sql requires.
func (r rawRows) integer(i int, typ int32) (int64, error) {
	if typ == sqlite3.SQLITE_INTEGER {
		return r.s.int64(i), nil
	}
	b := r.s.bytes(i)
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("sqlite: column %d (%s): %q is not an integer", i, r.name(i), b)
	}
	return n, nil
}

func (r rawRows) name(i int) string {
	p := sqlite3.Xsqlite3_column_name(r.s.c.tls, r.s.p, int32(i))
	if p == 0 {
		return "?"
	}
	return libc.GoString(p)
}

// bind binds args (string, int64, int or nil) to s's parameters 1, 2, ….
func (s *rawStmt) bind(args ...any) error {
	for i, a := range args {
		var err error
		switch v := a.(type) {
		case string:
			err = s.bindText(i+1, v)
		case int64:
			err = s.bindInt64(i+1, v)
		case int:
			err = s.bindInt64(i+1, int64(v))
		case nil:
			if rc := sqlite3.Xsqlite3_bind_null(s.c.tls, s.p, int32(i+1)); rc != sqlite3.SQLITE_OK {
				err = s.c.err(rc)
			}
		default:
			err = fmt.Errorf("sqlite: cannot bind %T", a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// eachRaw runs query with args on c and calls row with every row it returns.
func eachRaw(ctx context.Context, c *rawConn, query string, row func(scanner) error, args ...any) error {
	s, err := c.prepare(query)
	if err != nil {
		return err
	}
	defer s.close()
	if err := s.bind(args...); err != nil {
		return err
	}
	for k := 0; ; k++ {
		ok, err := s.stepCtx(ctx, k)
		if err != nil || !ok {
			return err
		}
		if err := row(rawRows{s}); err != nil {
			return err
		}
	}
}

// queryAllRaw is queryAll on c.
func queryAllRaw[T any](ctx context.Context, c *rawConn, query string, scan func(scanner) (*T, error), args ...any) ([]T, error) {
	out := []T{}
	err := eachRaw(ctx, c, query, func(s scanner) error {
		v, err := scan(s)
		if err == nil {
			out = append(out, *v)
		}
		return err
	}, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// rawRead runs f on the C handle of a pooled connection (a connection of its
// own when the driver hides it) in one read transaction. own asks for a
// connection of its own always, for a long scan: modernc opens its
// connections with SQLITE_OPEN_FULLMUTEX, a mutex taken at every call of
// the C API (every column of every row), where a raw connection has none.
func (d *DB) rawRead(ctx context.Context, own bool, f func(c *rawConn) error) error {
	var c *rawConn
	if !own {
		conn, err := d.db.Conn(ctx)
		if err != nil {
			return d.openError(err)
		}
		defer conn.Close()
		c = rawHandle(conn, d.Path)
	}
	if c == nil {
		var err error
		if c, err = d.openRaw(); err != nil {
			return err
		}
		// The pool's page cache: the default (2 MiB) read a page from the
		// file at every seek of a join (a third of Tasks' time on 14,625
		// tasks of 100,000 customers).
		if err := c.exec("PRAGMA cache_size = " + cacheSize); err != nil {
			c.Close()
			return err
		}
	}
	defer c.Close()
	if err := c.exec("BEGIN"); err != nil {
		return err
	}
	defer c.exec("ROLLBACK") //nolint:errcheck // a read: nothing to keep
	return f(c)
}
