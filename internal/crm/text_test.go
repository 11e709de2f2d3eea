package crm

import "testing"

func TestTextProblem(t *testing.T) {
	tests := []struct {
		s         string
		multiline bool
		want      string
	}{
		{"上海华联", false, ""},
		{"Acme, Inc. — 东区", false, ""},
		{"", false, ""},
		{"A\x00B", false, "has a control character U+0000 (character 2)"},
		{"A\x00B", true, "has a control character U+0000 (character 2)"},
		{"上海\x01", false, "has a control character U+0001 (character 3)"},
		{"x\x7f", false, "has a control character U+007F (character 2)"},
		{"x\u0085y", false, "has a control character U+0085 (character 2)"},
		{"x\u009fy", true, "has a control character U+009F (character 2)"},
		{"x\u00a0y", false, ""}, // no-break space is text
		{"two\nlines", false, "has a line break (character 4): must be one line"},
		{"two\r\nlines", false, "has a line break (character 4): must be one line"},
		{"a\tb", false, "has a tab (character 2)"},
		{"two\nlines\r\nand\ta tab", true, ""},
		{"form\ffeed", true, "has a control character U+000C (character 5)"},
		{"\x1b[31mred", true, "has a control character U+001B (character 1)"},
	}
	for _, tt := range tests {
		if got := TextProblem(tt.s, tt.multiline); got != tt.want {
			t.Errorf("TextProblem(%q, %v) = %q, want %q", tt.s, tt.multiline, got, tt.want)
		}
	}
}

// The rule holds wherever customers and contacts are validated (add, edit,
// import), for every text field: one-line ones refuse line breaks too.
func TestValidateControlCharacters(t *testing.T) {
	ok := func() Customer { return Customer{Code: "00042", Name: "上海华联", Type: Company, TermsDays: 30} }
	tests := []struct {
		edit func(*Customer)
		want string
	}{
		{func(c *Customer) {}, ""},
		{func(c *Customer) { c.Name = "A\x00B" }, `name "A\x00B": has a control character U+0000 (character 2)`},
		{func(c *Customer) { c.Code = "00\x0042" }, `code "00\x0042": has a control character U+0000 (character 3)`},
		{func(c *Customer) { c.Name = "Two\nLines" }, `name "Two\nLines": has a line break (character 4): must be one line`},
		{func(c *Customer) { c.City = "上海\r" + "x" }, `city "上海\rx": has a line break (character 3): must be one line`},
		{func(c *Customer) { c.BankAccount = "6222\t0001" }, `bank-account "6222\t0001": has a tab (character 5)`},
		{func(c *Customer) { c.Phone = "021\x1b" }, `phone "021\x1b": has a control character U+001B (character 4)`},
		{func(c *Customer) { c.Address = "1 Road\nFloor 2"; c.Note = "line 1\r\nline\t2" }, ""},
		{func(c *Customer) { c.Note = "bell\a" }, `note "bell\a": has a control character U+0007 (character 5)`},
	}
	for _, tt := range tests {
		c := ok()
		tt.edit(&c)
		err := c.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%+v: %v", c, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("error %v, want %s", err, tt.want)
		case tt.want != "" && ErrorCode(err) != EINVALID:
			t.Errorf("%v: code %s", err, ErrorCode(err))
		}
	}
	k := Contact{Name: "王建国", Role: RoleDecision, Title: "总经理\n", Note: "a\nb"}
	if err := k.Validate(); err == nil || err.Error() != `title "总经理\n": has a line break (character 4): must be one line` {
		t.Errorf("contact: %v", err)
	}
	k.Title, k.Name = "总经理", "王\x00建国"
	if err := k.Validate(); err == nil || err.Error() != `name "王\x00建国": has a control character U+0000 (character 2)` {
		t.Errorf("contact: %v", err)
	}
	if err := ValidateOrderID("order", "A\x001"); err == nil || err.Error() != `order id "A\x001": has a control character U+0000 (character 2)` {
		t.Errorf("order id: %v", err)
	}
}
