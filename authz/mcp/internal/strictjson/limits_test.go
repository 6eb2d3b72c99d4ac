package strictjson

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// parse is Parse with no context and a value limit tests never reach.
func parse(data []byte, maxDepth int) (Value, error) {
	return Parse(context.Background(), data, Limits{MaxDepth: maxDepth, MaxValues: 1 << 22})
}

func TestParseLimitsAndKeys(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	many := "[" + strings.Repeat("0,", 2*ctxEvery) + "0]"
	tests := []struct {
		name string
		ctx  context.Context
		in   string
		max  int
		want error
	}{
		{"nul in key", context.Background(), `{"name\u0000":1}`, 10, ErrBadKey},
		{"unit separator in nested key", context.Background(), `[{"a":{"\u001f":1}}]`, 10, ErrBadKey},
		{"del in key", context.Background(), `{"a\u007f":1}`, 10, ErrBadKey},
		{"c1 in key", context.Background(), "{\"a\u0085\":1}", 10, ErrBadKey},
		{"over value limit", context.Background(), `[1,2,3]`, 3, ErrTooMany},
		{"over value limit nested", context.Background(), `{"a":{"b":[true]}}`, 3, ErrTooMany},
		{"canceled before", canceled, `{}`, 10, ErrCanceled},
		{"canceled while parsing", &countdown{Context: context.Background(), n: 1}, many, 1 << 20, ErrCanceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.ctx, []byte(tt.in), Limits{MaxDepth: 8, MaxValues: tt.max})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
	for _, ok := range []string{`[1,2,3]`, `{"a":{"b":true}}`, `{"a\u00e9\u0020":"\u0000"}`} {
		if _, err := Parse(context.Background(), []byte(ok), Limits{MaxDepth: 8, MaxValues: 4}); err != nil {
			t.Errorf("Parse(%s) = %v", ok, err)
		}
	}
}

// countdown is a context that ends after n checks.
type countdown struct {
	context.Context
	n int
}

func (c *countdown) Err() error {
	if c.n--; c.n < 0 {
		return context.Canceled
	}
	return nil
}
