package sqlite

import (
	"fmt"
	"testing"
)

func TestCodeIndex(t *testing.T) {
	x := newCodeIndex()
	want := map[string]int64{}
	for i := 0; i < 50000; i++ {
		code := fmt.Sprintf("%05d", i*7%100000)
		if i%3 == 0 {
			code = "C-" + code
		}
		want[code] = int64(i + 1)
		x.set(code, int64(i+1))
	}
	x.set("", 99) // an empty code is a key like any other
	want[""] = 99
	if x.len() != len(want) {
		t.Fatalf("len %d, want %d", x.len(), len(want))
	}
	for code, id := range want {
		if got, ok := x.get(code); !ok || got != id {
			t.Fatalf("get(%q) = %d, %v; want %d", code, got, ok, id)
		}
	}
	for _, absent := range []string{"100000", "C-", "0000", "x"} {
		if _, ok := x.get(absent); ok {
			t.Errorf("get(%q) found a code never set", absent)
		}
	}
	x.set("00007", 5)
	if got, _ := x.get("00007"); got != 5 {
		t.Errorf("replace: got %d", got)
	}
}
