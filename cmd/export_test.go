package cmd

// ReaderPaths lists the commands that only read the book (access.go), for
// the end-to-end tests of package cmd_test.
func ReaderPaths() []string {
	out := make([]string, 0, len(readers))
	for p := range readers {
		out = append(out, p)
	}
	return out
}
