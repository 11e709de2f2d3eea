package importer

import (
	"strconv"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/crm"
)

// A header name that appears twice used to be read from its first column,
// silently, and --map could not pick the other: a field that would read an
// ambiguous name is now an error naming the columns, and --map FIELD=#N
// picks a column by position.
func TestDuplicateHeaders(t *testing.T) {
	tests := []struct {
		name, header string
		maps         map[string]string
		want         string // error, or the columns of the fields as "field=#N …"
		code         string
	}{
		{"ambiguous name", "code,name,city,Name", nil,
			`c.csv: 2 columns could be name: "name" (#2) and "Name" (#4); pick one with --map name=#2 (or #4)`, crm.EDATA},
		{"three of them", "name,code,name,name", nil,
			`c.csv: 3 columns could be name: "name" (#1), "name" (#3) and "name" (#4); pick one with --map name=#1 (or #3, #4)`, crm.EDATA},
		{"same after normalising", "code,Phone,phone (mobile)", nil,
			`c.csv: 2 columns could be phone: "Phone" (#2) and "phone (mobile)" (#3); pick one with --map phone=#2 (or #3)`, crm.EDATA},
		{"picked by position", "code,name,city,Name", map[string]string{"name": "#4"}, "code=#1 name=#4 city=#3", ""},
		{"the other by position", "code,name,city,Name", map[string]string{"name": "#2"}, "code=#1 name=#2 city=#3", ""},
		{"a map by name that is ambiguous", "code,Name,Name", map[string]string{"name": "Name"},
			`c.csv: --map name=Name: 2 columns are named so: "Name" (#2) and "Name" (#3); pick one with --map name=#2 (or #3)`, crm.EINVALID},
		{"an exact name wins over a normalised one", "code,Amount (USD),amount_usd,Phone,phone (mobile)",
			map[string]string{"phone": "phone (mobile)"}, "code=#1 phone=#5", ""},
		{"unused duplicates are fine", "code,name,x,x,X", nil, "code=#1 name=#2", ""},
		{"a better alias is not ambiguous", "code,name,customer_code,customer_code", nil, "code=#1 name=#2", ""},
		{"the best alias twice", "customer_code,name,code,code", nil,
			`c.csv: 2 columns could be code: "code" (#3) and "code" (#4); pick one with --map code=#3 (or #4)`, crm.EDATA},
		{"one taken by a map, the other found", "code,name,city,city", map[string]string{"region": "#3"}, "code=#1 name=#2 city=#4 region=#3", ""},
		{"position 0", "code,name", map[string]string{"name": "#0"},
			`c.csv: --map name=#0: no such column (the header has 2; the first is #1)`, crm.EINVALID},
		{"position past the end", "code,name", map[string]string{"name": "#3"},
			`c.csv: --map name=#3: no such column (the header has 2; the first is #1)`, crm.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.header+"\n"), Options{Kind: Customers, File: "c.csv", Map: tt.maps})
			if tt.code != "" {
				if err == nil || err.Error() != tt.want {
					t.Fatalf("error\n got %v\nwant %s", err, tt.want)
				}
				if c := crm.ErrorCode(err); c != tt.code {
					t.Errorf("code %q, want %q", c, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, c := range r.cols {
				if c >= 0 {
					got = append(got, r.sp.fields[i].name+"=#"+strconv.Itoa(c+1))
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("columns %s, want %s", g, tt.want)
			}
		})
	}
	// ParseMap takes the position form as it is.
	m, err := ParseMap([]string{"name=#4"}, Customers)
	if err != nil || m["name"] != "#4" {
		t.Errorf("ParseMap: %v %v", m, err)
	}
}
