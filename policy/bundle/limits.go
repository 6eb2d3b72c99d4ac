package bundle

import (
	"fmt"
	"io"
)

// Default limits.
const (
	DefaultMaxFiles        = 1000
	DefaultMaxTotalBytes   = 64 << 20
	DefaultMaxArchiveBytes = 16 << 20
)

// Limits bound what Open extracts and what a Fetcher downloads. Zero fields
// take the defaults.
type Limits struct {
	// MaxFiles bounds the number of files, not counting the manifest.
	MaxFiles int
	// MaxTotalBytes bounds the total uncompressed size of all files.
	MaxTotalBytes int64
	// MaxArchiveBytes bounds the compressed archive size (checked by Open
	// and while downloading).
	MaxArchiveBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxFiles <= 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if l.MaxArchiveBytes <= 0 {
		l.MaxArchiveBytes = DefaultMaxArchiveBytes
	}
	return l
}

// streamLimit bounds the decompressed tar stream: file content plus generous
// room for headers (tar caps extended headers itself) and padding.
func (l Limits) streamLimit() int64 {
	return l.MaxTotalBytes + int64(l.MaxFiles+2)*8192 + 4096
}

// limitedReader fails with ErrTooLarge once more than n bytes were read.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("%w: decompressed archive is too large", ErrTooLarge)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// readAllLimited reads r to the end, failing with ErrTooLarge past max bytes.
func readAllLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return data, nil
}

var _ io.Reader = (*limitedReader)(nil)
