package crm

// The agenda's texts (why, action, explain) are made by the rules for every
// line: a big book's agenda has 100,000s of them. They are formatted here
// without fmt (fmt.Sprintf made every argument escape to the heap and every
// text its own allocation) into blocks of text that the lines' strings
// share, so a line's texts cost no allocation of their own and the
// collector finds a few large blocks instead of 100,000s of small strings.

import (
	"strconv"
	"strings"
	"unsafe"
)

// appendText appends format with args as fmt.Sprintf(format, args...)
// would, for the verbs the agenda uses: %s of a string, Level, Date or
// Money (their String form), %d of an int or int64, and %%. Any other verb
// or argument type panics: agenda_text_test.go runs every rule's texts.
func appendText(b []byte, format string, args []any) []byte {
	k := 0
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			// Copy up to the next verb at once.
			j := strings.IndexByte(format[i:], '%')
			if j < 0 {
				return append(b, format[i:]...)
			}
			b = append(b, format[i:i+j]...)
			i += j - 1
			continue
		}
		i++
		if i == len(format) {
			panic("agenda text: a lone % at the end of " + strconv.Quote(format))
		}
		verb := format[i]
		if verb == '%' {
			b = append(b, '%')
			continue
		}
		if k >= len(args) {
			panic("agenda text: too few arguments for " + strconv.Quote(format))
		}
		arg := args[k]
		k++
		switch verb {
		case 's':
			switch x := arg.(type) {
			case string:
				b = append(b, x...)
			case Level:
				b = append(b, x...)
			case Date:
				b = appendDate(b, x)
			case Money:
				b = appendMoneyText(b, x)
			default:
				panic("agenda text: %s of an unexpected type in " + strconv.Quote(format))
			}
		case 'd':
			switch x := arg.(type) {
			case int:
				b = strconv.AppendInt(b, int64(x), 10)
			case int64:
				b = strconv.AppendInt(b, x, 10)
			default:
				panic("agenda text: %d of an unexpected type in " + strconv.Quote(format))
			}
		default:
			panic("agenda text: verb %" + string(verb) + " in " + strconv.Quote(format))
		}
	}
	if k != len(args) {
		panic("agenda text: too many arguments for " + strconv.Quote(format))
	}
	return b
}

// appendDate appends d.String().
func appendDate(b []byte, d Date) []byte {
	if d == NoDate {
		return b
	}
	y, m, dd := d.civil()
	return append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// appendMoneyText appends m.String().
func appendMoneyText(b []byte, m Money) []byte {
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/100, 10)
	return append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
}

// textBlock is where the texts of one goroutine's lines are kept: a string
// made by str shares a block with the others (a block is never written
// again where a string already points). A block that reuses (a transient
// maker's) is written again from its start at every line (rewind): its
// strings are views, valid until the next line is made.
type textBlock struct {
	sb    strings.Builder
	reuse bool
	buf   []byte // reuse's bytes
}

const textBlockSize = 64 << 10

// str returns b as a string kept in the block.
func (t *textBlock) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if t.reuse {
		if cap(t.buf)-len(t.buf) < len(b) {
			// The line's strings made so far keep the old bytes.
			t.buf = make([]byte, 0, max(1<<10, 2*cap(t.buf), len(b))) // a line's texts: a few hundred bytes
		}
		n := len(t.buf)
		t.buf = append(t.buf, b...)
		return unsafe.String(&t.buf[n], len(b)) // not written again before rewind
	}
	if t.sb.Cap()-t.sb.Len() < len(b) {
		t.sb = strings.Builder{}
		t.sb.Grow(max(textBlockSize, len(b)))
	}
	n := t.sb.Len()
	t.sb.Write(b)
	return t.sb.String()[n:]
}

// rewind lets a block that reuses write over the last line's texts.
func (t *textBlock) rewind() { t.buf = t.buf[:0] }
