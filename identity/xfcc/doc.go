// Package xfcc parses Envoy's x-forwarded-client-cert (XFCC) header and picks
// the element that describes the client.
//
// # Grammar
//
// The header is a comma-separated list of elements; each element is a
// semicolon-separated list of key=value pairs. Keys are By, Hash, Cert, Chain,
// Subject, URI and DNS, matched case-insensitively. By, URI and DNS may
// repeat within an element; Hash, Cert, Chain and Subject may not. A value is
// either unquoted (no control characters, spaces, '"', ',' or ';') or
// double-quoted; inside quotes ',', ';' and '=' are literal, \" is a quote,
// \\ is a backslash and any other backslash is kept as is. Cert and Chain are
// URL-encoded PEM and are decoded by Parse ('+' stays '+').
//
// Parse is strict, because a header it misreads could hand a request someone
// else's identity. It rejects: an empty header; a header over MaxHeaderBytes
// or with more than MaxElements elements; empty elements and empty pairs
// (",,", a trailing ';'); empty keys; unknown keys (a key we do not know might
// carry meaning we would silently drop, so it is an error rather than
// ignored); a repeated Hash, Cert, Chain or Subject; empty values (except
// Subject="", which Envoy writes for an empty subject); a Hash that is not 64
// hex digits; invalid URL encoding in Cert or Chain; unterminated quotes;
// anything but ';', ',' or the end after a closing quote; whitespace outside
// quotes and control characters anywhere.
//
// Errors wrap ErrMalformed and say where parsing stopped, for example
// "xfcc: malformed header: element 2: unterminated quote at offset 57".
// Elements are counted from 1, offsets are byte offsets from 0, and the
// header's content is never echoed.
//
// # Choosing an element
//
// Each proxy configured to append adds its element at the end, so the last
// element was written by the proxy closest to us; Select takes the last one
// unless told otherwise. TrustedBy additionally requires the selected element
// (and every element after it) to name a trusted proxy in By. By is itself
// part of the header, so it only means something once the caller has
// authenticated the hop that sent the request.
//
// Element.Certificates and Element.SPIFFEID extract the client's certificates
// and SPIFFE ID. Neither verifies anything cryptographically: the caller must
// verify the chain against a trust bundle before trusting the ID.
package xfcc
