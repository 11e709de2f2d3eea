package fileio

import (
	"context"
	"io"
	"io/fs"
	"os"
	"time"
)

// Open opens path with flag (os.O_RDONLY or os.O_WRONLY; never creating
// it), giving way to ctx: opening a FIFO blocks until the other end is
// opened, and a cancelled ctx then returns ctx.Err() at once. The blocked
// open is released by opening the FIFO's other end for a moment, so no
// thread is left behind.
func Open(ctx context.Context, path string, flag int) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		return os.OpenFile(path, flag, 0)
	}
	type result struct {
		f   *os.File
		err error
	}
	done := make(chan result, 1)
	go func() {
		f, err := os.OpenFile(path, flag, 0)
		done <- result{f, err}
	}()
	select {
	case r := <-done:
		return r.f, r.err
	case <-ctx.Done():
	}
	// Release the blocked open in the background by becoming, for a
	// moment, the partner it waits for: a reader for a writer, a writer for
	// a reader (non-blocking). Retried, as the open may not have started.
	peer := os.O_RDONLY
	if flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		peer = os.O_WRONLY
	}
	go func() {
		for try := 0; ; try++ {
			if p, err := openNonBlock(path, peer); err == nil {
				closeFd(p)
			}
			select {
			case r := <-done:
				if r.f != nil {
					r.f.Close()
				}
				return
			case <-time.After(10 * time.Millisecond):
			}
			if try == 1000 {
				return // leave it: the process is about to exit anyway
			}
		}
	}()
	return nil, ctx.Err()
}

// NewReader returns a reader of r that gives way to ctx: a Read blocked on a
// terminal or a pipe returns ctx.Err() as soon as ctx is cancelled. The
// first error of r (io.EOF included) is final: r is never read again after
// it, so a terminal's single Ctrl-D ends the input.
func NewReader(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r}
}

type readResult struct {
	n   int
	err error
}

type ctxReader struct {
	ctx     context.Context
	r       io.Reader
	buf     []byte
	req     chan []byte
	res     chan readResult
	pending bool
	err     error
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if err := c.ctx.Err(); err != nil {
		c.fail(err)
		return 0, err
	}
	if c.req == nil {
		// One goroutine does the reads, into a buffer of its own: after a
		// cancel it may still be blocked in r.Read, and must not write
		// into a buffer the caller has got back.
		c.req, c.res = make(chan []byte), make(chan readResult, 1)
		go func(r io.Reader, req <-chan []byte, res chan<- readResult) {
			for b := range req {
				n, err := r.Read(b)
				res <- readResult{n, err}
			}
		}(c.r, c.req, c.res)
	}
	if !c.pending {
		if cap(c.buf) < len(p) {
			c.buf = make([]byte, len(p))
		}
		c.req <- c.buf[:len(p)]
		c.pending = true
	}
	select {
	case r := <-c.res:
		c.pending = false
		n := copy(p, c.buf[:r.n])
		if r.err != nil {
			c.fail(r.err)
		}
		return n, r.err
	case <-c.ctx.Done():
		// Unblock a pollable file (a FIFO, a pipe) at once; a terminal's
		// read stays blocked in its goroutine until the process exits.
		if d, ok := c.r.(interface{ SetReadDeadline(time.Time) error }); ok {
			d.SetReadDeadline(time.Unix(1, 0))
		}
		c.fail(c.ctx.Err())
		return 0, c.err
	}
}

// fail makes err final and lets the reading goroutine end.
func (c *ctxReader) fail(err error) {
	c.err = err
	if c.req != nil {
		close(c.req)
	}
}
