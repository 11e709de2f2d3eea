package iostreams

import (
	"bytes"
	"io"
	"testing"
)

// TestWithErrOut: messages go to the new ErrOut; a progress bar still draws
// on the stderr given (its \r and erase-line must not be escaped), however
// often the streams are wrapped; the original streams are untouched.
func TestWithErrOut(t *testing.T) {
	s, _, _, errOut := Test()
	var wrapped bytes.Buffer
	c := s.WithErrOut(&wrapped)
	if c.ErrOut != io.Writer(&wrapped) || c.Progress() != io.Writer(errOut) {
		t.Fatalf("WithErrOut: ErrOut %p, Progress %p", c.ErrOut, c.Progress())
	}
	if s.ErrOut != io.Writer(errOut) || s.Progress() != io.Writer(errOut) {
		t.Fatal("WithErrOut changed the original streams")
	}
	if cc := c.WithErrOut(io.Discard); cc.Progress() != io.Writer(errOut) {
		t.Fatal("a second WithErrOut lost the terminal")
	}
}
