package forwardauth

import (
	"bytes"
	"net"
	"strconv"
)

// net/http answers a few malformed requests itself, before any handler
// runs, with a plain-text answer and "Connection: close": 400, 431, 501
// for an unknown Transfer-Encoding, 505 for an HTTP version it does not
// serve. A proxy set to fail open (Envoy failure_mode_allow, Istio
// failOpen) reads a 5xx from an authorization service as an allow, so on
// the forward-auth listener every such answer is replaced by a refusal
// with the same status and code header as the handler's own (400, or 403
// for nginx, with X-Tollgate-Code: bad_request). The handler never writes
// text/plain, so its answers are never touched. The guard reads the
// plaintext net/http writes: it wraps the raw connection of the plain-TCP
// listener; a TLS listener would need it around the tls.Conn instead.
var (
	serverErrorPrefix  = []byte("HTTP/1.1 ")
	serverErrorHeaders = []byte("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")
)

// Guard wraps the forward-auth listener l so that net/http's own answers
// to malformed requests become refusals in style (see above).
func Guard(l net.Listener, style string) net.Listener {
	return guardListener{Listener: l, answer: refusalAnswer(style)}
}

// refusalAnswer is the answer that replaces net/http's own: 400, or 403
// for nginx, which turns any other auth_request status into a 500.
func refusalAnswer(style string) []byte {
	status := 400
	if style == StyleNginx {
		status = 403
	}
	body := `{"code":"bad_request","reason":"malformed check request"}`
	return []byte("HTTP/1.1 " + strconv.Itoa(status) + " Refused\r\n" +
		"Content-Type: application/json\r\nX-Tollgate-Code: bad_request\r\nConnection: close\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body)
}

// guardListener wraps each accepted connection in a guardConn.
type guardListener struct {
	net.Listener
	answer []byte
}

func (l guardListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &guardConn{Conn: c, answer: l.answer}, nil
}

// guardConn replaces net/http's own error answers; see above.
type guardConn struct {
	net.Conn
	answer []byte
}

func (c *guardConn) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, serverErrorPrefix) || !bytes.Contains(p, serverErrorHeaders) {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(c.answer); err != nil {
		return 0, err
	}
	return len(p), nil
}
