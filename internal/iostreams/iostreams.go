// Package iostreams carries a command's standard streams and whether each is a
// terminal, so commands never touch os.Stdout and tests can fake a TTY.
package iostreams

import (
	"bytes"
	"io"
	"os"
)

// IOStreams are the streams of one command run.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	InTTY, OutTTY, ErrTTY bool
	// Width is the terminal width for charts (0 = unknown, use 80).
	Width int

	// errRaw is stderr as given when ErrOut was replaced by a writer that
	// escapes control characters (WithErrOut); nil when it was not.
	errRaw io.Writer
}

// WithErrOut returns a copy of s whose ErrOut is w (crm makes it a writer that
// escapes control characters: everything on stderr is read by a person);
// Progress still writes to the stderr of s.
func (s *IOStreams) WithErrOut(w io.Writer) *IOStreams {
	c := *s
	c.errRaw = s.Progress()
	c.ErrOut = w
	return &c
}

// Progress is where a progress bar draws on a terminal's stderr: the stream
// as given, because the bar's carriage returns and erase-line sequence are
// the only control characters crm writes on purpose.
func (s *IOStreams) Progress() io.Writer {
	if s.errRaw != nil {
		return s.errRaw
	}
	return s.ErrOut
}

// System returns the process's streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Test returns streams backed by buffers: in, out, errOut.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// TermWidth is the width to draw charts in.
func (s *IOStreams) TermWidth() int {
	if s.Width > 0 {
		return s.Width
	}
	return 80
}
