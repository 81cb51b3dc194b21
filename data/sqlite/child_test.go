package sqlite_test

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The crash and two-process tests need real separate processes on one
// database. The test binary is run again with -test.run naming one child
// test, which does its part only when its environment variable is set and
// is skipped in an ordinary run.

// child is the test binary running one child test.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string // the child's stdout, line by line; closed at its end
	stderr *bytes.Buffer
}

// startChild runs the child test named test with env added to this
// process's environment.
func startChild(t *testing.T, test string, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, stdin: stdin, lines: make(chan string, 1024), stderr: &bytes.Buffer{}}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
	}()
	return c
}

// expect reads lines until one starts with prefix and returns it; the
// child's end before that fails the test.
func (c *child) expect(t *testing.T, prefix string) string {
	t.Helper()
	for line := range c.lines {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	err := c.cmd.Wait()
	t.Fatalf("the child ended (%v) before saying %q; its errors:\n%s", err, prefix, c.stderr)
	return ""
}

// finish waits for a child that should end by itself and fails the test
// unless it exited with status 0.
func (c *child) finish(t *testing.T) []string {
	t.Helper()
	var rest []string
	for line := range c.lines {
		rest = append(rest, line)
	}
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("child %v: %v; its output:\n%s\n%s", c.cmd.Args[1:], err, strings.Join(rest, "\n"), c.stderr)
	}
	return rest
}

// childEnv reads a child test's variable, skipping the test in an
// ordinary run where it is not set.
func childEnv(t *testing.T, name string) string {
	v := os.Getenv(name)
	if v == "" {
		t.Skip("runs only as a child process of another test")
	}
	return v
}
