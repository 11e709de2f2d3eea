package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestRawRowsScan: a row of the C API scans into each destination as
// database/sql scans the same row (the same values, an error where it
// errs), on both kinds of raw connection.
func TestRawRowsScan(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	type kind string
	newDest := map[string]func() any{
		"string": func() any { return new(string) }, "int64": func() any { return new(int64) },
		"int": func() any { return new(int) }, "bool": func() any { return new(bool) },
		"nullstring": func() any { return new(sql.NullString) }, "nullint": func() any { return new(sql.NullInt64) },
		"kind": func() any { return new(kind) },
	}
	deref := func(d any) string {
		switch d := d.(type) {
		case *string:
			return *d
		case *int64:
			return fmt.Sprint(*d)
		case *int:
			return fmt.Sprint(*d)
		case *bool:
			return fmt.Sprint(*d)
		case *sql.NullString:
			return fmt.Sprint(*d)
		case *sql.NullInt64:
			return fmt.Sprint(*d)
		case *kind:
			return string(*d)
		}
		return "?"
	}
	for _, expr := range []string{"'text'", "''", "42", "-7", "'12'", "'1x'", "NULL", "0", "'é中'"} {
		for name, mk := range newDest {
			t.Run(expr+"/"+name, func(t *testing.T) {
				q := "SELECT " + expr
				want := mk()
				werr := db.SQL().QueryRowContext(ctx, q).Scan(want)
				for _, own := range []bool{false, true} {
					got := mk()
					err := db.rawRead(ctx, own, func(c *rawConn) error {
						n := 0
						err := eachRaw(ctx, c, q, func(s scanner) error { n++; return s.Scan(got) })
						if err == nil && n != 1 {
							err = fmt.Errorf("%d rows", n)
						}
						return err
					})
					if (err != nil) != (werr != nil) {
						t.Fatalf("own %v: error %v, database/sql %v", own, err, werr)
					}
					if err == nil && deref(got) != deref(want) {
						t.Errorf("own %v: %q, database/sql %q", own, deref(got), deref(want))
					}
					if err != nil && !strings.Contains(err.Error(), "column 0") {
						t.Errorf("own %v: error %q does not name the column", own, err)
					}
				}
			})
		}
	}
}

// TestRawBind: parameters bind as database/sql binds them.
func TestRawBind(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got []string
	err = db.rawRead(ctx, true, func(c *rawConn) error {
		return eachRaw(ctx, c, "SELECT typeof(?1), typeof(?2), typeof(?3), typeof(?4), ?1 || ?2 || ?3", func(s scanner) error {
			var a, b, c, d, all string
			err := s.Scan(&a, &b, &c, &d, &all)
			got = []string{a, b, c, d, all}
			return err
		}, "x", int64(2), 3, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := []string{"text", "integer", "integer", "null", "x23"}; fmt.Sprint(got) != fmt.Sprint(w) {
		t.Fatalf("%q, want %q", got, w)
	}
	if err := db.rawRead(ctx, true, func(c *rawConn) error {
		return eachRaw(ctx, c, "SELECT ?1", func(scanner) error { return nil }, 1.5)
	}); err == nil {
		t.Fatal("a float bound: no error")
	}
}
