package crm

// Texts are many short strings (a book's codes and names), the k-th At(k)
// once Flush has run, kept in blocks of about 256 KB (a string each) and an
// end offset a string: no string header, no pointer for the garbage
// collector to follow, and no doubling of one growing buffer (each block is
// copied once, when full).
type Texts struct {
	blocks []string
	first  []int    // the index of the first string of each block
	ends   []uint32 // the end of each string in its block
	cur    []byte   // the block being filled
	start  int      // the index of cur's first string
}

const textsBlock = 256 << 10

// Add appends s.
func (x *Texts) Add(s string) {
	if len(x.cur)+len(s) > textsBlock && len(x.cur) > 0 {
		x.Flush()
	}
	if x.cur == nil {
		x.cur = make([]byte, 0, max(textsBlock, len(s)))
	}
	x.cur = append(x.cur, s...)
	x.ends = append(x.ends, uint32(len(x.cur)))
}

// Flush closes the block being filled: At may be called after it.
func (x *Texts) Flush() {
	if len(x.ends) > x.start {
		x.blocks = append(x.blocks, string(x.cur))
		x.first = append(x.first, x.start)
	}
	x.cur, x.start = x.cur[:0], len(x.ends)
}

// At is the k-th string added (after Flush).
func (x *Texts) At(k int) string {
	b, lo := x.find(k)
	return x.blocks[b][lo:x.ends[k]]
}

// Pair is At(k) and At(k+1).
func (x *Texts) Pair(k int) (string, string) {
	b, lo := x.find(k)
	if b+1 < len(x.first) && x.first[b+1] == k+1 { // k+1 begins the next block
		return x.blocks[b][lo:x.ends[k]], x.blocks[b+1][:x.ends[k+1]]
	}
	return x.blocks[b][lo:x.ends[k]], x.blocks[b][x.ends[k]:x.ends[k+1]]
}

// find is the block of the k-th string and where in it the string starts.
// The block is searched without branches on the data (the step is masked
// by the sign of the difference): callers find strings in random order,
// and a mispredicted branch would throw away the loads fetched ahead of it.
func (x *Texts) find(k int) (b int, lo uint32) {
	f := x.first
	n := len(f)
	for n > 1 {
		half := n / 2
		b += half &^ ((k - f[b+half]) >> 63) // half if f[b+half] ≤ k
		n -= half
	}
	if k > f[b] {
		lo = x.ends[k-1]
	}
	return b, lo
}

// Touch reads the first byte of the k-th string (0 if it is empty) and
// the end of the next: a loop of Touch over strings about to be used in
// random order fetches their memory many at a time.
func (x *Texts) Touch(k int) byte {
	b, lo := x.find(k)
	var t byte
	if k+1 < len(x.ends) {
		t = byte(x.ends[k+1])
	}
	if lo < x.ends[k] {
		t += x.blocks[b][lo]
	}
	return t
}

// Len is the number of strings added.
func (x *Texts) Len() int { return len(x.ends) }
