package importer

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// What one row or header may cost. A file past these is refused with the
// line of the row; memory then stays near MaxRecordBytes whatever the file.
const (
	// MaxColumns is the most header columns a file may have (up to its last
	// named one: empty header cells at the end do not count).
	MaxColumns = 4096
	// MaxRecordBytes is the most bytes one row (or the header) may take in
	// the file, line breaks inside quoted fields included.
	MaxRecordBytes = 1 << 20
)

var errRecordTooLong = errors.New("record too long")

// recordGuard stands between the text and the CSV reader and refuses to
// hand out more than MaxRecordBytes past the start of the record being
// read: encoding/csv would otherwise gather a row of any length in memory
// (a 19 MB header of a million columns, or the rest of the file after an
// unclosed quote). The Reader moves start to the CSV reader's offset after
// each record. The CSV reader asks for more bytes only while the record it
// reads is unfinished, so everything handed out since start then belongs to
// that record (and to blank lines before it).
type recordGuard struct {
	r        io.Reader
	n, start int64
}

func (g *recordGuard) Read(p []byte) (int, error) {
	room := g.start + MaxRecordBytes - g.n
	if room <= 0 {
		return 0, errRecordTooLong
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// Listings of the header in messages are cut to this many names, each to
// this many characters.
const (
	listNames   = 20
	listNameLen = 200
)

// headerList is the header for a message: "a, b, c", the first listNames
// names (each cut to listNameLen characters), then "… (N more)". Empty
// names at the end are left out.
func headerList(h []string) string {
	for len(h) > 0 && h[len(h)-1] == "" {
		h = h[:len(h)-1]
	}
	var b strings.Builder
	for i, s := range h {
		if i == listNames {
			b.WriteString(", … (" + strconv.Itoa(len(h)-listNames) + " more)")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(cutText(s, listNameLen))
	}
	return b.String()
}

// cutText cuts s to n characters, marking the cut with "…".
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// columnList names columns by position for a message: `"Name" (#2) and
// "name" (#5)`.
func columnList(header []string, cols []int) string {
	var b strings.Builder
	for i, c := range cols {
		switch {
		case i == listNames:
			b.WriteString(" … (" + strconv.Itoa(len(cols)-listNames) + " more)")
			return b.String()
		case i > 0 && i == len(cols)-1:
			b.WriteString(" and ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(cutText(header[c], listNameLen)) + " (#" + strconv.Itoa(c+1) + ")")
	}
	return b.String()
}
