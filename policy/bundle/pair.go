package bundle

import (
	"context"
	"time"
)

// pairRetryDelay is how long the fetcher waits before fetching an archive
// and signature pair again when they did not match: long enough for a
// publisher to rename the second file into place.
const pairRetryDelay = 250 * time.Millisecond

// refetchPair downloads the archive (unconditionally) and its signature
// again after pairRetryDelay. A publisher replaces the two files one after
// the other, so a poll between the two renames sees a new archive with the
// old signature (or the reverse); the second fetch sees the new pair. A pair
// that still does not match is refused by accept and counted as a bad
// signature.
func (h *httpSource) refetchPair(ctx context.Context) (archive []byte, etag string, sig []byte, err error) {
	h.logger.Debug("policy bundle and signature do not match; fetching the pair again", "url", h.String())
	select {
	case <-ctx.Done():
		return nil, "", nil, fail(resultNetwork, "refetch", ctx.Err())
	case <-time.After(pairRetryDelay):
	}
	archive, etag, _, err = h.download(ctx, "")
	if err != nil {
		return nil, "", nil, err
	}
	sig, err = h.downloadSignature(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	return archive, etag, sig, nil
}
