package cmdutil

import (
	"slices"
	"strings"
	"testing"

	_ "github.com/crm-course/crm/internal/testutil" // defines -update, so go test ./... -update runs here too
)

func TestParseSort(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Sort
		msg  string
	}{
		{"code", Sort{Key: "code"}, ""},
		{"-name", Sort{Key: "name", Desc: true}, ""},
		{" -name ", Sort{Key: "name", Desc: true}, ""},
		{"city", Sort{}, `--sort "city": must be one of code, name`},
		{"--name", Sort{}, `--sort "-name"`},
	} {
		got, err := ParseSort(tc.in, "code", "name")
		if tc.msg != "" {
			if !IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("ParseSort(%q) = %v, want a usage error with %q", tc.in, err, tc.msg)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSort(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestCheckLimit(t *testing.T) {
	if err := CheckLimit(0); err != nil {
		t.Error(err)
	}
	if err := CheckLimit(5); err != nil {
		t.Error(err)
	}
	err := CheckLimit(-1)
	if !IsUsage(err) || err.Error() != "--limit -1: must be 0 (no limit) or more" {
		t.Errorf("CheckLimit(-1) = %v", err)
	}
}

func TestOrder(t *testing.T) {
	type row struct {
		code string
		n    int
	}
	rows := []row{{"B", 1}, {"A", 2}, {"D", 1}, {"C", 2}}
	byCode := func(a, b row) int { return strings.Compare(a.code, b.code) }
	byN := func(a, b row) int { return a.n - b.n }
	for _, tc := range []struct {
		sort Sort
		by   func(a, b row) int
		want string
	}{
		{Sort{Key: "code"}, nil, "ABCD"},
		{Sort{Key: "code", Desc: true}, nil, "DCBA"},
		{Sort{Key: "n"}, byN, "BDAC"},
		{Sort{Key: "n", Desc: true}, byN, "ACBD"}, // ties by code, ascending
	} {
		got := slices.Clone(rows)
		slices.SortFunc(got, Order(tc.sort, tc.by, byCode))
		var codes string
		for _, r := range got {
			codes += r.code
		}
		if codes != tc.want {
			t.Errorf("%+v: %s, want %s", tc.sort, codes, tc.want)
		}
	}
}
