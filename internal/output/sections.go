package output

import (
	"bufio"
	"fmt"
	"io"

	"github.com/crm-course/crm/internal/crm"
)

// A report of several parts (crm brief) prints as sections: for people, a
// heading per section with a key/value block and small captioned tables
// (WriteSections); for scripts, one JSON object of section objects
// (WriteJSON on an Object) and, in CSV, the same object flattened into long
// rows (LongResult).

// Section is one titled part of a report in tables.
type Section struct {
	En, Zh string  // the heading
	Record *Record // the key/value block; nil: none
	// Notes are short facts printed as "Label: value" lines under the
	// block, without a box.
	Notes  []Field
	Tables []Captioned
	// None is printed under the heading when the section has no field and
	// no table (en, zh); "" prints "none" / "无".
	NoneEn, NoneZh string
}

// Captioned is a small table under a caption. A table without rows prints
// "caption: none" (its None text when set) instead of vanishing.
type Captioned struct {
	En, Zh         string
	Result         *Result
	NoneEn, NoneZh string
}

// WriteSections prints the sections in order, a blank line between them:
// the heading, the record as a two-column table, then each table under its
// caption.
func WriteSections(w io.Writer, lang string, secs []Section) error {
	bw := bufio.NewWriter(w)
	o := Options{Format: Table, Lang: lang}
	zh := crm.IsZh(lang)
	colon := func(s string) string {
		if zh {
			return s + "："
		}
		return s + ":"
	}
	sep := " "
	if zh {
		sep = ""
	}
	none := func(en, zh string) string {
		return crm.Pick(lang, orDefault(en, "none"), orDefault(zh, "无"))
	}
	for i, s := range secs {
		if i > 0 {
			bw.WriteByte('\n')
		}
		fmt.Fprintln(bw, Escape(crm.Pick(lang, s.En, s.Zh)))
		empty := true
		if s.Record != nil && len(s.Record.Fields) > 0 {
			empty = false
			if err := WriteRecord(bw, o, s.Record); err != nil {
				return err
			}
		}
		for _, n := range s.Notes {
			empty = false
			title := Column{Key: n.Key, En: n.En, Zh: n.Zh}.Title(lang)
			fmt.Fprintln(bw, colon(Escape(title))+sep+Escape(cellText(n.Value, lang, true)))
		}
		for _, t := range s.Tables {
			empty = false
			caption := Escape(crm.Pick(lang, t.En, t.Zh))
			if t.Result == nil || len(t.Result.Rows) == 0 {
				if caption == "" {
					fmt.Fprintln(bw, "  "+none(t.NoneEn, t.NoneZh))
				} else {
					fmt.Fprintln(bw, colon(caption)+sep+none(t.NoneEn, t.NoneZh))
				}
				continue
			}
			if caption != "" {
				fmt.Fprintln(bw, colon(caption))
			}
			if err := Write(bw, o, t.Result); err != nil {
				return err
			}
		}
		if empty {
			fmt.Fprintln(bw, "  "+none(s.NoneEn, s.NoneZh))
		}
	}
	return bw.Flush()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// LongColumns are the columns of LongResult: the section (a key of the
// root object), the list within it ("" for the section's own fields), the
// item's number in the list (1, 2, …; 0 for an empty list; "" for a field),
// the field and its value.
var LongColumns = []Column{Col("section", "", ""), Col("list", "", ""), NumCol("n", "", ""),
	Col("field", "", ""), Col("value", "", "")}

// LongResult flattens root — an object whose values are section objects —
// into one row per value, in key order (the long form of CSV):
//
//	section,list,n,field,value
//	header,,,code,C0001
//	deals,open,1,level,H
//	deals,lost,0,,            an empty list: one row, n 0
//
// A scalar at the root is a row of section "" (field its key); a scalar
// list (Labels) is one value, as in CSV elsewhere ("a,b"); an object within
// a section is flattened with dotted field names (check.decision).
func LongResult(root Object) *Result {
	r := &Result{Columns: LongColumns, Rows: [][]any{}}
	for i, k := range root.Keys {
		sec, ok := root.Values[i].(Object)
		if !ok {
			r.Rows = append(r.Rows, []any{"", "", nil, k, root.Values[i]})
			continue
		}
		longFields(r, k, "", nil, "", sec)
	}
	return r
}

func longFields(r *Result, section, list string, n any, prefix string, o Object) {
	for i, k := range o.Keys {
		switch v := o.Values[i].(type) {
		case Object:
			longFields(r, section, list, n, prefix+k+".", v)
		case []Object:
			if list != "" { // a list within a list item: flattened as text
				r.Rows = append(r.Rows, []any{section, list, n, prefix + k, fmt.Sprint(len(v))})
				continue
			}
			if len(v) == 0 {
				r.Rows = append(r.Rows, []any{section, prefix + k, 0, nil, nil})
			}
			for j, item := range v {
				longFields(r, section, prefix+k, j+1, "", item)
			}
		default:
			r.Rows = append(r.Rows, []any{section, list, n, prefix + k, v})
		}
	}
}
