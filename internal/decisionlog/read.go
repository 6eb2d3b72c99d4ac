package decisionlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// MaxLineBytes bounds one line. Tollgate's own lines are a few KiB (the
// host is capped at 255 bytes, paths and contexts are bounded by the proxy).
const MaxLineBytes = 1 << 20

// ErrLine is the sentinel of every problem with one line.
var ErrLine = errors.New("decisionlog: bad line")

// Filter selects lines; nil keeps every decision line.
type Filter func(*Line) bool

// Since keeps the lines at or after t.
func Since(t time.Time) Filter { return func(l *Line) bool { return !l.Time.Before(t) } }

// ReadFile reads the decision lines of the file at path, in order, and
// calls fn for each one that keep accepts. Blank lines and slog lines whose
// msg is not "decision" are skipped; any other problem stops the read with
// an error naming path:line.
func ReadFile(path string, keep Filter, fn func(*Line) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("decisionlog: %w", err)
	}
	defer f.Close()
	return Read(f, path, keep, fn)
}

// Read is ReadFile over r; name is the file name for errors.
func Read(r io.Reader, name string, keep Filter, fn func(*Line) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLineBytes)
	n := 0
	for sc.Scan() {
		n++
		l, err := Parse(sc.Bytes())
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrLine, where(name, n), err)
		}
		if l == nil || keep != nil && !keep(l) {
			continue
		}
		l.File, l.Number = name, n
		if err := fn(l); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", MaxLineBytes)
		}
		return fmt.Errorf("%w: %s: %w", ErrLine, where(name, n+1), err)
	}
	return nil
}

// Parse reads one line. It returns nil, nil for a blank line or a log line
// that is not a decision.
func Parse(b []byte) (*Line, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, nil
	}
	if b[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	b, err := unwrap(b)
	if err != nil {
		return nil, err
	}
	var l Line
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("not a decision line: %w", err)
	}
	if l.Msg != "decision" {
		return nil, nil
	}
	if l.Time.IsZero() {
		return nil, errors.New(`decision line without "time"`)
	}
	if l.SchemaVersion < 0 {
		return nil, fmt.Errorf("schema_version %d is negative", l.SchemaVersion)
	}
	return &l, nil
}

func where(file string, n int) string { return fmt.Sprintf("%s:%d", file, n) }
