package config

import "fmt"

// at formats "FILE:LINE: path: message", as add does for an error, for an
// entry of Config.Warnings.
func (f *fileErrs) at(path, format string, args ...any) string {
	return fmt.Sprintf("%s:%d: %s: %s", f.name, lineOf(f.root, path), path, fmt.Sprintf(format, args...))
}
