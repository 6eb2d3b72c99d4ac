package subject

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
)

// secureURL refuses a key URL (a jwks_uri, a redirect target) anyone on
// the network path could answer for: it must be https, or http to a
// loopback host. Keys read otherwise could be replaced, and with them
// every token forged.
func secureURL(u *url.URL) error {
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%w: %s://%s is not https (plain http only on a loopback host)", ErrInsecureKeys, u.Scheme, u.Host)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secureClient is c refusing redirects to URLs secureURL refuses (and
// more than 10 redirects, as http.Client does by default).
func secureClient(c *http.Client) *http.Client {
	out := *c
	next := c.CheckRedirect
	out.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := secureURL(req.URL); err != nil {
			return err
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &out
}
