package crm

import (
	"fmt"
	"unicode/utf8"
)

// TextProblem says what is wrong with s as the value of a text field, ""
// when nothing is. Control characters — C0 (U+0000–U+001F), DEL (U+007F)
// and C1 (U+0080–U+009F) — are not text: a NUL in a code, an escape
// sequence in a name or a line break in a table cell breaks listings,
// terminals and exports. A one-line field (codes, names, phone, email,
// city …) may hold none of them; a multi-line field (notes, addresses,
// complaint text) may hold TAB, LF and CR.
func TextProblem(s string, multiline bool) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != 0x7f && !(c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] < 0xa0) {
			continue
		}
		if multiline && (c == '\t' || c == '\n' || c == '\r') {
			continue
		}
		r, _ := utf8.DecodeRuneInString(s[i:])
		at := utf8.RuneCountInString(s[:i]) + 1
		switch r {
		case '\n', '\r':
			return fmt.Sprintf("has a line break (character %d): must be one line", at)
		case '\t':
			return fmt.Sprintf("has a tab (character %d)", at)
		}
		return fmt.Sprintf("has a control character U+%04X (character %d)", r, at)
	}
	return ""
}

// CheckText is TextProblem as the EINVALID error about field (named as its
// flag, e.g. "bank-account"; imports report it as the column).
func CheckText(field, value string, multiline bool) error {
	if why := TextProblem(value, multiline); why != "" {
		return FieldErrorf(EINVALID, field, value, "%s", why)
	}
	return nil
}
