package sqlite

import "hash/maphash"

// codeIndex maps customer codes to ids for an import. It keeps every code in
// one byte arena with an open-addressing table of int32 slots: about 30 bytes
// a customer and no pointers for the garbage collector to follow, against
// about 75 for a map[string]int64 — an import that meets a million customers
// stays small.
type codeIndex struct {
	seed  maphash.Seed
	arena []byte
	ends  []uint32 // ends[i]: end of code i in arena (start: ends[i-1], or 0)
	ids   []int64  // id of code i
	slots []int32  // entry index + 1; 0 = empty; len is a power of two
}

func newCodeIndex() *codeIndex {
	return &codeIndex{seed: maphash.MakeSeed(), slots: make([]int32, 1024)}
}

func (x *codeIndex) code(i int) string {
	start := uint32(0)
	if i > 0 {
		start = x.ends[i-1]
	}
	return string(x.arena[start:x.ends[i]])
}

func (x *codeIndex) equal(i int, code string) bool {
	start := uint32(0)
	if i > 0 {
		start = x.ends[i-1]
	}
	return string(x.arena[start:x.ends[i]]) == code // no allocation: compiler optimises the conversion
}

// find returns the slot where code is or would go, and its entry (-1 if absent).
func (x *codeIndex) find(code string) (slot int, entry int) {
	mask := len(x.slots) - 1
	slot = int(maphash.String(x.seed, code)) & mask
	for {
		e := x.slots[slot]
		if e == 0 {
			return slot, -1
		}
		if x.equal(int(e-1), code) {
			return slot, int(e - 1)
		}
		slot = (slot + 1) & mask
	}
}

// get returns the id of code and whether it is known.
func (x *codeIndex) get(code string) (int64, bool) {
	_, e := x.find(code)
	if e < 0 {
		return 0, false
	}
	return x.ids[e], true
}

// set records code → id (adding or replacing).
func (x *codeIndex) set(code string, id int64) {
	slot, e := x.find(code)
	if e >= 0 {
		x.ids[e] = id
		return
	}
	x.arena = append(x.arena, code...)
	x.ends = append(x.ends, uint32(len(x.arena)))
	x.ids = append(x.ids, id)
	x.slots[slot] = int32(len(x.ids))
	if len(x.ids)*2 > len(x.slots) {
		x.grow()
	}
}

func (x *codeIndex) grow() {
	x.slots = make([]int32, len(x.slots)*2)
	mask := len(x.slots) - 1
	for i := range x.ids {
		slot := int(maphash.String(x.seed, x.code(i))) & mask
		for x.slots[slot] != 0 {
			slot = (slot + 1) & mask
		}
		x.slots[slot] = int32(i + 1)
	}
}

// len is the number of codes.
func (x *codeIndex) len() int { return len(x.ids) }
