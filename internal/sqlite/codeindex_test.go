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

// BenchmarkCodeIndexGet looks up codes at random among a million, as an
// import of ten million orders does: ns/op is per lookup.
func BenchmarkCodeIndexGet(b *testing.B) {
	const n = 1000000
	x := newCodeIndex()
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("CUST-%07d", (i*7919)%n)
		x.set(codes[i], int64(i+1))
	}
	r := uint64(88172645463325252)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		if _, ok := x.get(codes[r%n]); !ok {
			b.Fatal("lost a code")
		}
	}
}
