package importer

import (
	"strings"
	"testing"
)

// Control characters in a field a kind reads are refused at FILE:LINE and
// the column, by crm.TextProblem's rule: none in one-line fields, TAB, LF
// and CR allowed in notes, addresses and complaint text.
func TestControlCharacters(t *testing.T) {
	tests := []struct {
		name string
		kind Kind
		in   string
		want string // "" = read
	}{
		{"nul in a name", Customers, "code,name\n00044,A\x00B\n", `t.csv:2: name "A\x00B": has a control character U+0000 (character 2)`},
		{"nul in a code", Customers, "客户编号,名称\n000\x0044,Acme\n", `t.csv:2: 客户编号 "000\x0044": has a control character U+0000 (character 4)`},
		{"line break in a quoted name", Customers, "code,name\n1,\"Two\nLines\"\n", `t.csv:2: name "Two\nLines": has a line break (character 4): must be one line`},
		{"tab in a city", Customers, "code,name,city\n1,A,\"Shang\thai\"\n", `t.csv:2: city "Shang\thai": has a tab (character 6)`},
		{"escape in a phone", Customers, "code,name,phone\n1,A,021\x1b[0m\n", `t.csv:2: phone "021\x1b[0m": has a control character U+001B (character 4)`},
		{"line breaks in an address and a note", Customers, "code,name,address,note\n1,A,\"1 Road\nFloor 2\",\"a\r\nb\tc\"\n", ""},
		{"surrounding white space is trimmed, not refused", Customers, "code,name\n1,\"\tAcme\n\"\n", ""},
		{"order customer", Orders, "customer,date,amount\nC\x001,2024-01-01,5\n", `t.csv:2: customer "C\x001": has a control character U+0000 (character 2)`},
		{"order id", Orders, "order_id,customer,date,amount\nA\x7f,C1,2024-01-01,5\n", `t.csv:2: order_id "A\x7f": has a control character U+007F (character 2)`},
		{"order customer name", Orders, "customer,customer_name,date,amount\nC1,\"A\rB\",2024-01-01,5\n", `t.csv:2: customer_name "A\rB": has a line break (character 2): must be one line`},
		{"order note", Orders, "customer,date,amount,note\nC1,2024-01-01,5,\"a\nb\"\n", ""},
		{"payment method", Payments, "customer,date,amount,method\nC1,2024-01-01,5,ca\x00sh\n", `t.csv:2: method "ca\x00sh": has a control character U+0000 (character 3)`},
		{"contact title", Contacts, "customer,name,title\nC1,Wang,\"CEO\nCTO\"\n", `t.csv:2: title "CEO\nCTO": has a line break (character 4): must be one line`},
		{"complaint text", Complaints, "customer,date,text\nC1,2024-01-01,\"line 1\nline 2\"\n", ""},
		{"complaint text, form feed", Complaints, "customer,date,text\nC1,2024-01-01,page\f2\n", `t.csv:2: text "page\f2": has a control character U+000C (character 5)`},
		{"complaint category", Complaints, "customer,date,text,category\nC1,2024-01-01,x,\"Bank\naccount\"\n", `t.csv:2: category "Bank\naccount": has a line break (character 5): must be one line`},
		{"unread columns are not checked", Customers, "code,name,other\n1,A,\x00\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.in), Options{Kind: tt.kind, File: "t.csv"})
			if err != nil {
				t.Fatal(err)
			}
			switch tt.kind {
			case Customers:
				_, err = r.Customers(func(*CustomerRec) error { return nil }, nil)
			case Contacts:
				_, err = r.Contacts(func(*ContactRec) error { return nil }, nil)
			case Orders:
				_, err = r.Orders(func(*OrderRec) error { return nil }, nil)
			case Payments:
				_, err = r.Payments(func(*PaymentRec) error { return nil }, nil)
			case Complaints:
				_, err = r.Complaints(func(*ComplaintRec) error { return nil }, nil)
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
		})
	}
}

func TestPrintableASCII(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c <= 0x7e
		for _, pos := range []int{0, 3, 7, 8, 12, 16} {
			b := []byte(strings.Repeat("a", 17))
			b[pos] = byte(c)
			if got := printableASCII(string(b)); got != want {
				t.Fatalf("byte %#x at %d: %v, want %v", c, pos, got, want)
			}
		}
	}
	if !printableASCII("") || !printableASCII("2024-01-01 08:26") || printableASCII("上海") {
		t.Error("printableASCII")
	}
}
