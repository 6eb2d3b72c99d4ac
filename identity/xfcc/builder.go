package xfcc

import "net/url"

// builder accumulates one element and enforces per-key rules.
type builder struct {
	e    Element
	seen [numKeys]bool
}

func (b *builder) set(k key, v string, keyAt, valueAt int, p *parser) error {
	name := k.String()
	if b.seen[k] && !k.repeatable() {
		return p.fail(keyAt, "duplicate key %s", name)
	}
	b.seen[k] = true
	if v == "" && k != keySubject {
		return p.fail(valueAt, "empty value for key %s", name)
	}
	switch k {
	case keyBy:
		b.e.By = append(b.e.By, v)
	case keyHash:
		if !isSHA256Hex(v) {
			return p.fail(valueAt, "Hash is not 64 hex digits (SHA-256)")
		}
		b.e.Hash = v
	case keyCert, keyChain:
		pem, err := url.PathUnescape(v)
		if err != nil {
			return p.fail(valueAt, "invalid URL encoding in %s", name)
		}
		if k == keyCert {
			b.e.Cert = pem
		} else {
			b.e.Chain = pem
		}
	case keySubject:
		b.e.Subject = v
	case keyURI:
		b.e.URI = append(b.e.URI, v)
	case keyDNS:
		b.e.DNS = append(b.e.DNS, v)
	}
	return nil
}
