package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	corev3 "github.com/envoyproxy/go-control-plane/envoy/config/core/v3"
	authv3 "github.com/envoyproxy/go-control-plane/envoy/service/auth/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

type checkFlags struct {
	addr, spiffeID, certFile, bearer, method, path, host, scheme, source, body string
	headers, exts                                                              multiFlag
	timeout                                                                    time.Duration
	offline                                                                    offlineFlags
	output                                                                     outputFlag
}

// parseCheckFlags parses check's flags; when done, the command ends with code.
func parseCheckFlags(name string, args []string, stdout, stderr io.Writer) (f *checkFlags, code int, done bool) {
	f = &checkFlags{}
	fs := newFlagSet(name, checkUsage)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:9191", "Tollgate's gRPC address (host:port or unix:///path)")
	fs.StringVar(&f.spiffeID, "spiffe-id", "", "caller SPIFFE ID, sent as source.principal (as if Envoy terminated mTLS)")
	fs.StringVar(&f.certFile, "cert", "", "PEM file of the caller's X.509-SVID leaf, sent as source.certificate")
	fs.StringVar(&f.bearer, "bearer", "", "JWT-SVID sent as Authorization: Bearer (or @file)")
	fs.StringVar(&f.method, "method", "GET", "HTTP method")
	fs.StringVar(&f.path, "path", "/", "request :path, query included")
	fs.StringVar(&f.host, "host", "app.internal", "request host")
	fs.StringVar(&f.scheme, "scheme", "https", "request scheme")
	fs.StringVar(&f.source, "source", "10.0.0.7", "caller source address")
	fs.StringVar(&f.body, "body", "", "request body (or @file)")
	fs.Var(&f.headers, "H", "request header 'name: value' (repeatable)")
	fs.Var(&f.exts, "ext", "context extension key=value (repeatable)")
	fs.DurationVar(&f.timeout, "timeout", 5*time.Second, "timeout")
	f.offline.register(fs)
	f.output = "text"
	fs.Var(&f.output, "output", "text or json (one JSON object with the decision, for scripts)")
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	switch {
	case done:
	case len(pos) != 0:
		return nil, usageError(stderr, name, fmt.Sprintf("unexpected argument %q: check takes only flags", pos[0])), true
	case f.output.json() && f.offline.explain:
		return nil, usageError(stderr, name, "--explain prints text; leave out --output json"), true
	}
	return f, code, done
}

const checkUsage = `usage: tollgate check [--addr A] --spiffe-id ID [--method M] [--path P] [--ext k=v]... [-H 'k: v']...
       tollgate check --offline [--explain] [--policies DIR|BUNDLE] --config tollgate.yaml [request flags]
       tollgate explain [--policies DIR|BUNDLE] --config tollgate.yaml [request flags]

--offline decides locally with serve's engine, against --policies or the config's policy.dir;
--explain (and explain) also says why: near-miss permits with the failing condition and its
values (secret signals redacted), the principal's ancestors, the nearest routes of a no_route,
the error kind and attribute of a forbid_error. Offline, an --ext no signal reads is an error.
--output json prints the decision as one JSON object.
Exit status: 0 allowed, 3 denied, 1 error, 2 bad usage.`

func runCheck(args []string, stdout, stderr io.Writer) int {
	f, code, done := parseCheckFlags("tollgate check", args, stdout, stderr)
	if done {
		return code
	}
	if f.offline.enabled {
		return runOfflineCheck(f, stdout, stderr)
	}
	req, err := f.checkRequest()
	if err != nil {
		fmt.Fprintln(stderr, "tollgate check:", err)
		return exitError
	}
	resp, err := sendCheck(f.addr, f.timeout, req)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate check:", err)
		return exitError
	}
	if f.output.json() {
		r := responseResult(resp)
		printJSON(stdout, r)
		return r.exit()
	}
	return printCheckResponse(stdout, resp)
}

// readArg returns s, or the content of file F when s is "@F".
func readArg(s string) (string, error) {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(name)
		return strings.TrimRight(string(b), "\n"), err
	}
	return s, nil
}

func (f *checkFlags) checkRequest() (*authv3.CheckRequest, error) {
	headers := map[string]string{}
	for _, h := range f.headers {
		k, v, ok := strings.Cut(h, ":")
		if !ok {
			return nil, fmt.Errorf("header %q: want 'name: value'", h)
		}
		headers[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if f.bearer != "" {
		tok, err := readArg(f.bearer)
		if err != nil {
			return nil, err
		}
		headers["authorization"] = "Bearer " + tok
	}
	body, err := readArg(f.body)
	if err != nil {
		return nil, err
	}
	if body != "" {
		// As Envoy would forward it: the body with its type and length.
		if _, ok := headers["content-type"]; !ok {
			headers["content-type"] = "application/json"
		}
		headers["content-length"] = strconv.Itoa(len(body))
	}
	src := &authv3.AttributeContext_Peer{
		Principal: f.spiffeID,
		Address:   socketAddress(f.source),
	}
	if f.certFile != "" {
		pem, err := os.ReadFile(f.certFile)
		if err != nil {
			return nil, err
		}
		src.Certificate = url.QueryEscape(string(pem))
	}
	exts := map[string]string{}
	for _, e := range f.exts {
		k, v, ok := strings.Cut(e, "=")
		if !ok {
			return nil, fmt.Errorf("context extension %q: want key=value", e)
		}
		exts[k] = v
	}
	return &authv3.CheckRequest{Attributes: &authv3.AttributeContext{
		Source:            src,
		ContextExtensions: exts,
		Request: &authv3.AttributeContext_Request{Http: &authv3.AttributeContext_HttpRequest{
			Id: "tollgate-check", Method: f.method, Path: f.path, Host: f.host,
			Scheme: f.scheme, Headers: headers, Body: body, Size: int64(len(body)),
		}},
	}}, nil
}

func socketAddress(ip string) *corev3.Address {
	return &corev3.Address{Address: &corev3.Address_SocketAddress{SocketAddress: &corev3.SocketAddress{
		Address: ip, PortSpecifier: &corev3.SocketAddress_PortValue{PortValue: 40000},
	}}}
}

func sendCheck(addr string, timeout time.Duration, req *authv3.CheckRequest) (*authv3.CheckResponse, error) {
	target := addr
	if strings.HasPrefix(addr, "unix://") {
		target = "unix:" + strings.TrimPrefix(addr, "unix://")
	}
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return authv3.NewAuthorizationClient(conn).Check(ctx, req)
}

func printCheckResponse(w io.Writer, resp *authv3.CheckResponse) int {
	md := resp.GetDynamicMetadata().GetFields()
	str := func(k string) string { return md[k].GetStringValue() }
	if ok := resp.GetOkResponse(); ok != nil && resp.GetStatus().GetCode() == 0 {
		fmt.Fprintf(w, "ALLOW decision=%s principal=%s action=%s policies=%s version=%s\n",
			str("decision_id"), str("principal"), str("action"), listString(md["policies"].GetListValue().GetValues()), str("policy_version"))
		for _, h := range ok.GetHeaders() {
			fmt.Fprintf(w, "  upstream header %s: %s\n", h.GetHeader().GetKey(), h.GetHeader().GetValue())
		}
		return exitOK
	}
	d := resp.GetDeniedResponse()
	fmt.Fprintf(w, "DENY %d decision=%s code=%s principal=%s action=%s policies=%s version=%s\n",
		d.GetStatus().GetCode(), str("decision_id"), str("code"), str("principal"), str("action"),
		listString(md["policies"].GetListValue().GetValues()), str("policy_version"))
	if b := d.GetBody(); b != "" {
		fmt.Fprintf(w, "  body: %s\n", b)
	}
	return exitDenied
}
