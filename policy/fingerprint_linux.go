package policy

import (
	"io/fs"
	"syscall"
)

// changeStamp is what the fingerprint adds to size and mtime: the inode
// and the status-change time, which a write or a rename into place always
// moves and which, unlike the mtime, no one can set back.
func changeStamp(info fs.FileInfo) (ino uint64, ctime int64) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0
	}
	return st.Ino, st.Ctim.Nano()
}
