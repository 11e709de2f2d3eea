package customer

// Flag parsing of the customer verbs apart from behaviour (the cli/cli way):
// each verb is built with a runF that captures its options; no database is opened.

import (
	"reflect"
	"strings"
	"testing"

	"github.com/crm-course/crm/internal/cmdutil"
	"github.com/crm-course/crm/internal/crm"
	"github.com/crm-course/crm/internal/flagtest"
)

func TestEditOptions(t *testing.T) {
	f := flagtest.Factory(nil)
	var got *EditOptions
	if err := flagtest.Execute(newEditCmd(f, func(o *EditOptions) error { got = o; return nil }),
		"00042", "--phone", "021-5555-0199", "--terms-days", "45", "--city", ""); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"phone": "021-5555-0199", "terms-days": "45", "city": ""}
	if got.Ref != "00042" || !reflect.DeepEqual(got.Changed, want) {
		t.Errorf("edit options = %+v, want changed %v", got, want)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"00042"}, "nothing to change"},
		{[]string{}, "missing REF"},
		{[]string{"00042", "00043", "--phone", "1"}, "too many arguments"},
		{[]string{"00042", "--colour", "red"}, "unknown flag"},
		{[]string{"00042", "--contact-every", "bogus"}, `--contact-every: cadence "bogus"`},
		{[]string{"00042", "--contact-every", "30d", "--channel", "fax"}, `--channel: channel "fax": must be one of phone, email, visit, message, letter`},
	} {
		called := false
		err := flagtest.Execute(newEditCmd(f, func(*EditOptions) error { called = true; return nil }), tc.args...)
		if called || !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("edit %q: err %v (runF called: %v), want a usage error with %q", tc.args, err, called, tc.msg)
		}
	}
}

func TestEditWishOptions(t *testing.T) {
	f := flagtest.Factory(nil)
	for _, tc := range []struct {
		args []string
		want *crm.WishChange
	}{
		{[]string{"--phone", "1"}, nil},
		{[]string{"--contact-every", "30d"}, &crm.WishChange{Contact: true, ContactSet: true, ContactEvery: 30}},
		{[]string{"--contact-every", "none", "--channel", "Email"}, &crm.WishChange{Contact: true, ContactSet: true, Channel: true, ChannelTo: "email"}},
		{[]string{"--contact-every", "tier"}, &crm.WishChange{Contact: true}},
		{[]string{"--channel", "none"}, &crm.WishChange{Channel: true}},
	} {
		var got *EditOptions
		if err := flagtest.Execute(newEditCmd(f, func(o *EditOptions) error { got = o; return nil }), append([]string{"00042"}, tc.args...)...); err != nil {
			t.Fatalf("%q: %v", tc.args, err)
		}
		if !reflect.DeepEqual(got.Wish, tc.want) {
			t.Errorf("%q: wish %+v, want %+v", tc.args, got.Wish, tc.want)
		}
	}
}

func TestListOptions(t *testing.T) {
	f := flagtest.Factory(nil)
	var got *ListOptions
	if err := flagtest.Execute(newListCmd(f, func(o *ListOptions) error { got = o; return nil }),
		"--sort", "-name", "--limit", "20", "--type", "person", "--tier", "A", "-s", "上海"); err != nil {
		t.Fatal(err)
	}
	if flt := got.Filter; flt.Sort != "name" || !flt.Desc || flt.Limit != 20 || flt.Type != crm.Person ||
		flt.Tier != "A" || flt.Search != "上海" {
		t.Errorf("list filter = %+v", flt)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--sort", "phone"}, `--sort "phone": must be one of code, name, created, city, owner, type`},
		{[]string{"--limit", "-1"}, "--limit -1: must be 0 (no limit) or more"},
		{[]string{"--tier", "D"}, `--tier "D": must be A, B or C`},
	} {
		called := false
		err := flagtest.Execute(newListCmd(f, func(*ListOptions) error { called = true; return nil }), tc.args...)
		if called || !cmdutil.IsUsage(err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("list %q: err %v (runF called: %v), want a usage error with %q", tc.args, err, called, tc.msg)
		}
	}
}

func TestRmOptions(t *testing.T) {
	var got *RmOptions
	if err := flagtest.Execute(newRmCmd(flagtest.Factory(nil), func(o *RmOptions) error { got = o; return nil }), "00042", "--force"); err != nil {
		t.Fatal(err)
	}
	if got.Ref != "00042" || !got.Force {
		t.Errorf("rm options = %+v", got)
	}
}
