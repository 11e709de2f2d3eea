package importer

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/crm-course/crm/internal/crm"
)

// input turns the file's bytes into the UTF-8 text the CSV reader reads:
//
//	file → BOM / encoding → (old Mac) CR line ends → record guard → CSV
//
// A UTF-8 BOM is dropped, UTF-16 with a BOM is decoded, GBK or GB18030 is
// decoded when asked. A file asked to be read as GBK or GB18030 that is in
// fact UTF-8 is refused (see utf8Watch): its first 64 KiB are looked at
// before anything is read, and, when they do not settle it, the whole file
// as it streams, with the verdict at its end (before anything is committed).
// A file whose first line ends in a lone CR (Excel 2011 for Mac's "CSV
// (Mac)") has its lone CRs read as line ends.
func (r *Reader) input(in io.Reader) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(in, bufSize)
	head, _ := br.Peek(4)
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		r.enc = "utf-8"
	case bytes.HasPrefix(head, []byte("\xff\xfe")), bytes.HasPrefix(head, []byte("\xfe\xff")):
		dec = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		r.enc = "utf-16"
	case r.enc == "gbk":
		dec = simplifiedchinese.GBK.NewDecoder()
	case r.enc == "gb18030":
		dec = simplifiedchinese.GB18030.NewDecoder()
	}
	src := br
	if r.enc == "gbk" || r.enc == "gb18030" {
		first, err := br.Peek(bufSize)
		var w utf8Watch
		w.feed(first)
		if err != nil { // the whole file is in first
			w.end()
		}
		switch {
		case w.looksUTF8():
			return nil, r.notUTF8Error()
		case !w.invalid && err == nil:
			// Not settled yet: watch the whole file, from its start.
			r.watch = &utf8Watch{r: br}
		}
		var in io.Reader = br
		if r.watch != nil {
			in = r.watch
		}
		src = bufio.NewReaderSize(transform.NewReader(in, dec), bufSize)
	} else if dec != nil {
		src = bufio.NewReaderSize(transform.NewReader(br, dec), bufSize)
	}

	var text io.Reader = src
	if b, err := src.Peek(bufSize); crLineEnds(b, err != nil) {
		text = transform.NewReader(src, crToLF{})
	}
	r.guard = &recordGuard{r: text}
	return bufio.NewReaderSize(r.guard, bufSize), nil
}

// notUTF8Error is the refusal of a UTF-8 file read as GBK or GB18030.
func (r *Reader) notUTF8Error() error {
	return crm.Errorf(crm.EDATA, "%s: looks like UTF-8, not %s: drop --encoding %s",
		r.file, strings.ToUpper(r.enc), strings.TrimSpace(r.opts.Encoding))
}

// endOfInput is the check made when the CSV reader reaches the end of the
// file: a file watched as it streamed may turn out to be UTF-8.
func (r *Reader) endOfInput() error {
	if r.watch != nil && r.watch.looksUTF8() {
		return r.notUTF8Error()
	}
	return nil
}

// utf8Watch reads bytes as UTF-8 (strictly: no overlong forms, surrogates
// or values past U+10FFFF), counting the multibyte characters, until it
// meets a byte sequence that is not UTF-8. Used as an io.Reader it watches
// what it passes on.
//
// Chinese text in GBK is almost never valid UTF-8: each hanzi is two bytes
// from 0x81–0xFE, and only some pairs happen to form a UTF-8 sequence (小 is
// D0 A1, also U+0421). Measured on the Chinese text of SPEC.md encoded as
// GBK: a file with 1 hanzi is valid UTF-8 16 % of the time, with 2 hanzi
// 2.2 %, 3 hanzi 0.16 %, 4 hanzi 0.02 %, 6 or more never (in 200,000
// samples each). Those valid readings have only two-byte sequences. So
// looksUTF8 asks for all of the bytes to be valid UTF-8, and for at least
// one three- or four-byte character (any Chinese character in UTF-8) or
// three two-byte ones (é, ü, Cyrillic …): a real GBK file is refused only
// if it has three to five hanzi in all and they happen to read as UTF-8.
type utf8Watch struct {
	r         io.Reader
	pend      [utf8.UTFMax]byte // an incomplete sequence at the end of what was fed
	np        int
	invalid   bool
	two, long int // multibyte characters seen: two bytes; three or four bytes
}

func (w *utf8Watch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	w.feed(p[:n])
	if err == io.EOF {
		w.end()
	}
	return n, err
}

// looksUTF8 is the verdict (see utf8Watch) on what was fed so far.
func (w *utf8Watch) looksUTF8() bool {
	return !w.invalid && (w.long > 0 || w.two >= 3)
}

// seqLen is the length of the UTF-8 sequence lead byte c starts, 0 if c
// cannot start one.
func seqLen(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c >= 0xc2 && c <= 0xdf:
		return 2
	case c >= 0xe0 && c <= 0xef:
		return 3
	case c >= 0xf0 && c <= 0xf4:
		return 4
	}
	return 0
}

// feed reads the next bytes; a sequence cut at the end of b is completed by
// the next call.
func (w *utf8Watch) feed(b []byte) {
	if w.invalid {
		return
	}
	if w.np > 0 {
		n := seqLen(w.pend[0])
		k := min(n-w.np, len(b))
		w.np += copy(w.pend[w.np:n], b[:k])
		b = b[k:]
		if w.np < n {
			return
		}
		if !utf8.Valid(w.pend[:n]) {
			w.invalid = true
			return
		}
		w.count(w.pend[:n])
		w.np = 0
	}
	cut := len(b)
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax+1; i-- {
		if c := b[i]; c >= 0xc0 {
			if len(b)-i < seqLen(c) {
				cut = i
			}
			break
		} else if c < 0x80 {
			break
		}
	}
	if !utf8.Valid(b[:cut]) {
		w.invalid = true
		return
	}
	w.count(b[:cut])
	w.np = copy(w.pend[:], b[cut:])
}

func (w *utf8Watch) count(b []byte) {
	for _, c := range b {
		switch {
		case c >= 0xe0:
			w.long++
		case c >= 0xc0:
			w.two++
		}
	}
}

// end says the input ended: a sequence left incomplete is not UTF-8.
func (w *utf8Watch) end() {
	if w.np > 0 {
		w.invalid = true
	}
}

// crLineEnds reports whether the first line of b (text that starts a file)
// ends in a lone CR: the line ends of old Mac files. eof says b is the
// whole file. Quoted fields are skipped, so a line break inside a quoted
// header cell does not count.
func crLineEnds(b []byte, eof bool) bool {
	quoted := false
	for i, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			return false
		case c == '\r':
			if i+1 < len(b) {
				return b[i+1] != '\n'
			}
			return eof
		}
	}
	return false
}

// crToLF turns every CR not followed by LF into LF, so that the CSV reader
// sees the rows of a file with CR line ends (inside a quoted field the CR
// becomes LF too, as the CSV reader does with CRLF).
type crToLF struct{ transform.NopResetter }

func (crToLF) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if nDst == len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		c := src[nSrc]
		if c == '\r' {
			if nSrc+1 == len(src) && !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if nSrc+1 == len(src) || src[nSrc+1] != '\n' {
				c = '\n'
			}
		}
		dst[nDst] = c
		nDst++
		nSrc++
	}
	return nDst, nSrc, nil
}
