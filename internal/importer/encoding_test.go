package importer

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/transform"

	"github.com/crm-course/crm/internal/crm"
)

// A UTF-8 file read with --encoding gbk would be imported as mojibake
// (上海华联 → 涓婃捣鍗庤仈): it is refused, naming the option to drop.
func TestUTF8ReadAsGBK(t *testing.T) {
	big := strings.Repeat("00001,Smith\n", 70000/12) // more than the 64 KiB looked at first
	tests := []struct {
		name, input, enc string
		want             string // "" = the file is read
	}{
		{"chinese name", "code,name\n00042,上海华联\n", "gbk", "cust.csv: looks like UTF-8, not GBK: drop --encoding gbk"},
		{"chinese header", "客户编号,名称\n00042,Acme\n", "gb18030", "cust.csv: looks like UTF-8, not GB18030: drop --encoding gb18030"},
		{"alias spelled by the user", "code,name\n00042,上海华联\n", "CP936", "cust.csv: looks like UTF-8, not GBK: drop --encoding CP936"},
		{"one CJK character is enough", "code,name\n00042,华\n", "gbk", "cust.csv: looks like UTF-8, not GBK: drop --encoding gbk"},
		{"three accented letters", "code,name\n1,José\n2,Zoë\n3,Çelik\n", "gbk", "cust.csv: looks like UTF-8, not GBK: drop --encoding gbk"},
		{"after the first 64 KiB", "code,name\n" + big + "00042,上海华联\n", "gbk", "cust.csv: looks like UTF-8, not GBK: drop --encoding gbk"},
		{"ascii only is fine", "code,name\n00042,Acme\n", "gbk", ""},
		{"a GBK file", "code,name\n" + gbk(t, "00042,上海华联\n"), "gbk", ""},
		{"a GBK file, Chinese after 64 KiB", "code,name\n" + big + gbk(t, "00042,上海华联\n"), "gbk", ""},
		// 小 in GBK is D0 A1, which is also valid UTF-8 (U+0421): one or two
		// such characters are too little evidence to refuse a GBK file.
		{"a GBK file that is valid UTF-8", "code,name\n" + gbk(t, "00042,小\n"), "gbk", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.input), Options{Kind: Customers, File: "cust.csv", Encoding: tt.enc})
			if err == nil {
				_, err = r.Customers(func(*CustomerRec) error { return nil }, nil)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error\n got %v\nwant %s", err, tt.want)
			}
			if crm.ErrorCode(err) != crm.EDATA {
				t.Errorf("code %q, want %q", crm.ErrorCode(err), crm.EDATA)
			}
		})
	}
}

// The late verdict (evidence only after the first 64 KiB) stops the read
// even when bad rows go to a rejects list.
func TestUTF8ReadAsGBKWithRejects(t *testing.T) {
	in := "code,name\n" + strings.Repeat("00001,Smith\n", 7000) + "00042,上海华联\n"
	r, err := NewReader(strings.NewReader(in), Options{Kind: Customers, File: "cust.csv", Encoding: "gbk"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Customers(func(*CustomerRec) error { return nil }, func(*RowError) error { return nil })
	var re *RowError
	if err == nil || errors.As(err, &re) || !strings.Contains(err.Error(), "drop --encoding gbk") {
		t.Fatalf("error %v, want the encoding error", err)
	}
}

func TestUTF8Evidence(t *testing.T) {
	tests := []struct {
		in        string
		full      bool // more of the file follows
		valid     bool
		two, long int
	}{
		{"abc", false, true, 0, 0},
		{"é", false, true, 1, 0},
		{"华", false, true, 0, 1},
		{"😀", false, true, 0, 1},
		{"\xff", false, false, 0, 0},
		{"\xe5\x8d", false, false, 0, 0},         // cut at the end of the file
		{"a\xe5\x8d", true, true, 0, 0},          // cut at the end of the window: not held against it
		{"\xc0\x80", false, false, 0, 0},         // overlong
		{"\xed\xa0\x80", false, false, 0, 0},     // surrogate
		{"\xd0\xa1,\xd0\xa1", false, true, 2, 0}, // 小,小 in GBK
	}
	for _, tt := range tests {
		var w utf8Watch
		w.feed([]byte(tt.in))
		if !tt.full {
			w.end()
		}
		if w.invalid == tt.valid || (tt.valid && (w.two != tt.two || w.long != tt.long)) {
			t.Errorf("%q: invalid %v two %d long %d; want valid %v two %d long %d", tt.in, w.invalid, w.two, w.long, tt.valid, tt.two, tt.long)
		}
	}
	// Fed in pieces, split inside characters, the verdict is the same.
	s := []byte("客户,José,😀 ok")
	for cut := 1; cut < len(s); cut++ {
		var w utf8Watch
		w.feed(s[:cut])
		w.feed(s[cut:])
		w.end()
		if w.invalid || w.two != 1 || w.long != 3 {
			t.Errorf("cut at %d: invalid %v two %d long %d", cut, w.invalid, w.two, w.long)
		}
	}
}

// Excel 2011 for Mac saves "CSV (Mac)" with a lone CR at each line end:
// it was read as one header line of odd names (and 0 rows, exit 0).
func TestCRLineEnds(t *testing.T) {
	read := func(t *testing.T, in string, opts Options) ([]CustomerRec, error) {
		t.Helper()
		opts.Kind, opts.File = Customers, "mac.csv"
		r, err := NewReader(strings.NewReader(in), opts)
		if err != nil {
			return nil, err
		}
		var got []CustomerRec
		_, err = r.Customers(func(c *CustomerRec) error { got = append(got, *c); return nil }, nil)
		return got, err
	}
	type rec struct {
		line             int
		code, name, note string
	}
	tests := []struct {
		name, in string
		opts     Options
		want     []rec
	}{
		{"cr", "code,name\r00045,Mac\r00046,Mac 2\r", Options{}, []rec{{2, "00045", "Mac", ""}, {3, "00046", "Mac 2", ""}}},
		{"cr, no final line end", "code,name\r00045,Mac", Options{}, []rec{{2, "00045", "Mac", ""}}},
		{"quoted line break", "code,name,note\r1,A,\"x\ry\"\r2,B,z\r", Options{}, []rec{{2, "1", "A", "x\ny"}, {4, "2", "B", "z"}}},
		{"blank lines", "code,name\r\r1,A\r", Options{}, []rec{{3, "1", "A", ""}}},
		{"semicolons", "code;name\r1;A\r", Options{}, []rec{{2, "1", "A", ""}}},
		{"gbk", gbk(t, "客户编号,名称\r1,上海华联\r"), Options{Encoding: "gbk"}, []rec{{2, "1", "上海华联", ""}}},
		// A CR inside a quoted header cell is no line end: LF files are
		// read as before.
		{"lf with a CR in a quoted header cell", "code,name,\"no\rte\"\n1,A,x\r\n", Options{Map: map[string]string{"note": "no\rte"}},
			[]rec{{2, "1", "A", "x"}}},
		{"crlf", "code,name\r\n1,A\r\n", Options{}, []rec{{2, "1", "A", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := read(t, tt.in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var g []rec
			for _, c := range got {
				g = append(g, rec{c.Line, c.Code, c.Name, c.Note})
			}
			if len(g) != len(tt.want) {
				t.Fatalf("records %+v, want %+v", g, tt.want)
			}
			for i := range g {
				if g[i] != tt.want[i] {
					t.Errorf("record %d = %+v, want %+v", i, g[i], tt.want[i])
				}
			}
		})
	}
	_, err := read(t, "code,name,email\r1,A,x@y.cn\r2,B,bad\r", Options{})
	if want := `mac.csv:3: email "bad": not an email address`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestCRToLF(t *testing.T) {
	// Split anywhere, the transform gives the same text.
	in := "a\rb\r\nc\r\rd\r"
	want := "a\nb\r\nc\n\nd\n"
	for _, size := range []int{1, 2, 3, 64} {
		r := transform.NewReader(iotest.OneByteReader(strings.NewReader(in)), crToLF{})
		b := make([]byte, 0, len(want))
		buf := make([]byte, size)
		for {
			n, err := r.Read(buf)
			b = append(b, buf[:n]...)
			if err != nil {
				break
			}
		}
		if string(b) != want {
			t.Errorf("read %d at a time: %q, want %q", size, b, want)
		}
	}
}
