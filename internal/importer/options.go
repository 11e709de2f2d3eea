package importer

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/crm-course/crm/internal/crm"
)

// Kind is what a file holds: crm's import kinds.
type Kind = crm.ImportKind

// The kinds of file `crm import` reads.
const (
	Customers  = crm.ImportCustomers
	Contacts   = crm.ImportContacts
	Orders     = crm.ImportOrders
	Payments   = crm.ImportPayments
	Complaints = crm.ImportComplaints
	// Interactions and Tasks: interactions.go, tasks.go.
	Interactions = crm.ImportInteractions
	Tasks        = crm.ImportTasks
	Deals        = crm.ImportDeals
)

// Kinds lists the kinds in the order `crm import --help` shows them.
var Kinds = crm.ImportKinds

// ParseKind checks a kind named on the command line (crm.ParseImportKind).
func ParseKind(s string) (Kind, error) { return crm.ParseImportKind(s) }

// Options says how to read one file.
type Options struct {
	Kind       Kind
	File       string            // name for messages ("-" is shown as "stdin")
	Delimiter  rune              // 0: ',' (or ';' / tab when the header line has no comma but those)
	Encoding   string            // "", "utf-8", "gbk", "gb18030" (a UTF-8 or UTF-16 BOM wins)
	DateFormat string            // "" or "auto", or one of crm.DateFormats
	Map        map[string]string // field -> header as written in the file
	Lines      bool              // orders: one row per order line
}

// FieldNames lists the field names of a kind, as --map takes them.
func FieldNames(kind Kind) []string {
	sp, ok := specs[kind]
	if !ok {
		return nil
	}
	out := make([]string, len(sp.fields))
	for i, f := range sp.fields {
		out[i] = f.name
	}
	return out
}

// ParseMap reads repeated --map FIELD=COLUMN flags. Field names are matched
// case-insensitively ("unit-price" and "UnitPrice" mean unit_price); the
// column is kept as written and later matched against the header with the
// header normalisation (case, spaces, underscores and hyphens ignored).
func ParseMap(pairs []string, kind Kind) (map[string]string, error) {
	sp, ok := specs[kind]
	if !ok {
		_, err := ParseKind(string(kind))
		return nil, err
	}
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		f, col, ok := strings.Cut(p, "=")
		f, col = strings.TrimSpace(f), strings.TrimSpace(col)
		if !ok || f == "" || col == "" {
			return nil, crm.Errorf(crm.EINVALID, "--map %q: want FIELD=COLUMN", p)
		}
		i := sp.index(f)
		if i < 0 {
			return nil, crm.Errorf(crm.EINVALID, "--map %q: unknown field %q for %s (valid fields: %s)",
				p, f, kind, strings.Join(FieldNames(kind), ", "))
		}
		name := sp.fields[i].name
		if old, dup := m[name]; dup {
			return nil, crm.Errorf(crm.EINVALID, "--map %q: field %s is already mapped to %q", p, name, old)
		}
		m[name] = col
	}
	return m, nil
}

// ParseDelimiter reads --delimiter: a single character, or one of the names
// "comma", "tab" (also `\t`), "semicolon", "pipe", "space". "" means ','.
func ParseDelimiter(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "", "comma", ",":
		return ',', nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case "semicolon", ";":
		return ';', nil
	case "pipe", "|":
		return '|', nil
	case "space", " ":
		return ' ', nil
	}
	r, n := utf8.DecodeRuneInString(s)
	if n != len(s) || !validDelim(r) {
		return 0, crm.Errorf(crm.EINVALID, "--delimiter %q: want one character, or tab, comma, semicolon, pipe", s)
	}
	return r, nil
}

func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && r != utf8.RuneError && utf8.ValidRune(r)
}

// encodings maps accepted --encoding names to the canonical one.
var encodings = map[string]string{
	"": "utf-8", "utf-8": "utf-8", "utf8": "utf-8",
	"gbk": "gbk", "gb2312": "gbk", "cp936": "gbk",
	"gb18030": "gb18030",
}

func normEncoding(s string) (string, error) {
	if e, ok := encodings[strings.ToLower(strings.TrimSpace(s))]; ok {
		return e, nil
	}
	return "", crm.Errorf(crm.EINVALID, "unknown encoding %q (want utf-8, gbk or gb18030)", s)
}

func normDateFormat(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "auto", nil
	}
	for _, f := range crm.DateFormats {
		if strings.EqualFold(s, f) {
			return f, nil
		}
	}
	for _, alias := range [][2]string{{"YYYY/MM/DD", "YYYY-MM-DD"}, {"MM/DD/YYYY", "M/D/YYYY"}, {"DD/MM/YYYY", "D/M/YYYY"}, {"DD.MM.YYYY", "D.M.YYYY"}} {
		if strings.EqualFold(s, alias[0]) {
			return alias[1], nil
		}
	}
	return "", crm.Errorf(crm.EINVALID, "unknown date format %q (want %s)", s, strings.Join(crm.DateFormats, ", "))
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
