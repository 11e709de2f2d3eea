package output

import (
	"io"
	"sync"
	"unicode/utf8"
)

// Text that people read — table cells, record views, letters, confirmations,
// warnings and error messages — must not carry terminal control sequences: a
// customer named "Evil \x1b]0;pwned\a\x1b[2J Co" would retitle and clear the
// terminal of whoever lists customers (or pipes the table to `less -R`). One
// rule decides what is escaped, used by Escape for table cells and by
// Escaper for whole streams:
//
//   - C0 controls (U+0000–U+001F) and DEL (U+007F) become \xNN; Escape turns
//     line breaks and TAB into spaces and "⏎" instead so a row stays one line,
//     Escaper keeps LF, TAB and CR before LF (its text has lines of its own);
//   - C1 controls (U+0080–U+009F, 8-bit CSI/OSC on some terminals) and the
//     bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//     U+2066–U+2069, which reorder what is shown: "Trojan Source") become
//     \uNNNN;
//   - a byte that is not valid UTF-8 becomes \xNN (a raw 0x9B is CSI to a
//     terminal that is not in UTF-8 mode).
//
// Everything else, including backslashes, Chinese text and emoji, is kept as
// is. CSV and JSON are data for programs and are never escaped.

const hexDigits = "0123456789abcdef"

// cleanPrefix returns the length of the longest prefix of s that needs no
// escaping (len(s) when none does), without decoding runes: the escaped
// characters other than C0 and DEL are C2 80–C2 9F (C1) and E2 80 AA–E2 80 AE,
// E2 81 A6–E2 81 A9 (bidi) in UTF-8, and utf8.Valid finds invalid bytes. With
// lines, LF, TAB and CR before LF are clean (streams); without, they are not
// (cells). The prefix ends on a character boundary.
func cleanPrefix[T string | []byte](s T, lines bool, valid func(T) bool, decode func(T) (rune, int)) int {
	n, stop := len(s), len(s)
	ascii := true // then valid UTF-8, no need to check
scan:
	for i := 0; i < n; i++ {
		for i+8 <= n && printable8(word(s, i)) {
			i += 8
		}
		if i == n {
			break
		}
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f:
		case c >= utf8.RuneSelf:
			ascii = false
			if c == 0xc2 {
				if i+1 < n && s[i+1] < 0xa0 {
					stop = i
					break scan
				}
			} else if c == 0xe2 {
				if i+2 < n && ((s[i+1] == 0x80 && s[i+2] >= 0xaa && s[i+2] <= 0xae) || (s[i+1] == 0x81 && s[i+2] >= 0xa6 && s[i+2] <= 0xa9)) {
					stop = i
					break scan
				}
			}
		case c < 0x20 || c == 0x7f:
			if !lines || !(c == '\n' || c == '\t' || (c == '\r' && i+1 < n && s[i+1] == '\n')) {
				stop = i
				break scan
			}
		}
	}
	if ascii || valid(s[:stop]) {
		return stop
	}
	// An invalid byte comes first: find it the slow way.
	for i := 0; i < stop; {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := decode(s[i:stop])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return stop
}

func cleanString(s string, lines bool) int {
	return cleanPrefix(s, lines, utf8.ValidString, utf8.DecodeRuneInString)
}

func cleanBytes(b []byte, lines bool) int { return cleanPrefix(b, lines, utf8.Valid, utf8.DecodeRune) }

// escapedRune reports whether a valid rune r (not a C0 control) is shown as
// \uNNNN.
func escapedRune(r rune) bool {
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

func appendByteEscape(b []byte, c byte) []byte {
	return append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
}

func appendRuneEscape(b []byte, r rune) []byte {
	if r < 0x80 {
		return appendByteEscape(b, byte(r))
	}
	return append(b, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
}

// Escape makes s safe to show in one table cell: line breaks become " ⏎ "
// (CR alone and TAB a space), other control characters, bidi overrides and
// invalid bytes visible escapes such as \x1b and \u202e. Clean text is
// returned unchanged without copying.
func Escape(s string) string {
	i := cleanString(s, false)
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		switch {
		case c == '\r' && i+1 < len(s) && s[i+1] == '\n':
			b = append(b, " ⏎ "...)
			i += 2
			continue
		case c == '\n':
			b = append(b, " ⏎ "...)
		case c == '\r' || c == '\t':
			b = append(b, ' ')
		case c < 0x20 || c == 0x7f:
			b = appendByteEscape(b, c)
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = appendByteEscape(b, c)
			case escapedRune(r):
				b = appendRuneEscape(b, r)
			default:
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		default:
			b = append(b, c)
		}
		i++
	}
	return string(b)
}

// Escaper is a writer for text meant for a person (stderr always, stdout in
// table format): it passes the text through with control characters,
// bidi overrides and invalid bytes escaped as in Escape, keeping LF, TAB and
// CRLF. A character split between two writes is held back until the next
// write or Flush. It is safe for concurrent use.
type Escaper struct {
	mu   sync.Mutex
	w    io.Writer
	held []byte // an unfinished UTF-8 sequence or a CR that may precede LF
	buf  []byte
}

// NewEscaper returns an Escaper writing to w.
func NewEscaper(w io.Writer) *Escaper { return &Escaper{w: w} }

// Write writes p escaped; it reports len(p) on success.
func (e *Escaper) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	data := p
	if len(e.held) > 0 {
		data = append(e.held, p...)
		e.held = nil
	}
	out, rest := escapeStream(e.buf[:0], data, false)
	if rest < len(data) {
		e.held = append([]byte(nil), data[rest:]...)
	}
	if out == nil {
		// Nothing to escape: write through without copying.
		out = data[:rest]
	} else {
		e.buf = out
	}
	if len(out) > 0 {
		if _, err := e.w.Write(out); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what was held back (an unfinished character at the end of the
// text is shown as \xNN).
func (e *Escaper) Flush() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.held) == 0 {
		return nil
	}
	out, _ := escapeStream(nil, e.held, true)
	if out == nil {
		out = e.held
	}
	e.held = nil
	_, err := e.w.Write(out)
	return err
}

// escapeStream escapes data for Escaper. It returns the escaped text in dst,
// or nil when data[:rest] needs no escaping, and rest, the length of the
// prefix that was consumed: unless final, an unfinished UTF-8 sequence or a
// CR at the end is left for the next call.
func escapeStream(dst, data []byte, final bool) ([]byte, int) {
	// The common case: nothing to escape, perhaps a character cut at the end.
	end := len(data)
	if !final {
		end = completeLen(data)
	}
	if cleanBytes(data[:end], true) == end {
		return nil, end
	}
	var out []byte // nil until the first escape
	start := 0
	flush := func(i int) {
		if out == nil {
			out = append(dst, data[:i]...)
		} else {
			out = append(out, data[start:i]...)
		}
	}
	// holdBack ends the text at data[:i]; the rest (an unfinished CRLF or
	// UTF-8 sequence, unless final) is left for the next call.
	holdBack := func(i int) ([]byte, int) {
		if out == nil {
			return nil, i
		}
		flush(i)
		return out, i
	}
	for i := 0; i < len(data); {
		c := data[i]
		switch {
		case c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f):
			i++
		case c == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i += 2
				continue
			}
			if i+1 == len(data) && !final {
				return holdBack(i)
			}
			flush(i)
			out = appendByteEscape(out, c)
			i++
			start = i
		case c < 0x20 || c == 0x7f:
			flush(i)
			out = appendByteEscape(out, c)
			i++
			start = i
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				if !final && !utf8.FullRune(data[i:]) {
					return holdBack(i)
				}
				flush(i)
				out = appendByteEscape(out, c)
				i++
				start = i
				continue
			}
			if escapedRune(r) {
				flush(i)
				out = appendRuneEscape(out, r)
				i += size
				start = i
				continue
			}
			i += size
		}
	}
	return holdBack(len(data))
}

// completeLen is the length of data without a character cut at its end (the
// first bytes of a UTF-8 sequence) or a final CR that may precede an LF.
func completeLen(data []byte) int {
	n := len(data)
	if n > 0 && data[n-1] == '\r' {
		return n - 1
	}
	for k := 1; k <= utf8.UTFMax-1 && k <= n; k++ {
		c := data[n-k]
		if c < utf8.RuneSelf {
			return n
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(data[n-k:]) {
				return n - k
			}
			return n
		}
	}
	return n
}
