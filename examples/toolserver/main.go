// Command toolserver is the upstream of the nginx, Caddy and MCP examples: a
// small MCP tool server (the "github" tools of examples/mcp/manifest.yaml,
// built with the official Go SDK, Streamable HTTP on /mcp) and GET /health.
// It is a demo: its tools only echo what they were asked.
//
//	go run ./examples/toolserver -listen 127.0.0.1:9300
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9300", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *listen, slog.New(slog.NewTextHandler(os.Stderr, nil))); err != nil {
		fmt.Fprintln(os.Stderr, "toolserver:", err)
		os.Exit(1)
	}
}

// run serves on addr until ctx ends.
func run(ctx context.Context, addr string, log *slog.Logger) error {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newHandler(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		// ctx is over: the drain gets a fresh deadline of its own.
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	log.Info("tool server listening", "addr", lis.Addr().String())
	if err := srv.Serve(lis); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler is the MCP endpoint on /mcp and GET /health.
func newHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/mcp", mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return newMCPServer() }, nil))
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		// X-Spiffe-Id is set by the proxy from Tollgate's answer; quoted, as plain text.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		_, _ = io.WriteString(w, "ok: tool server reached by "+strconv.Quote(r.Header.Get("X-Spiffe-Id"))+"\n") //nolint:gosec // text/plain, nosniff: no HTML to inject into
	})
	return mux
}

// toolArgs are the arguments every demo tool takes.
type toolArgs struct {
	Query string `json:"query,omitempty"`
	Repo  string `json:"repo,omitempty"`
	Path  string `json:"path,omitempty"`
	Title string `json:"title,omitempty"`
}

// newMCPServer is the "github" MCP server: each tool answers with its name
// and arguments.
func newMCPServer() *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "github", Version: "1.0.0"}, nil)
	for _, name := range []string{"search_issues", "get_file", "create_issue", "delete_repository"} {
		mcp.AddTool(s, &mcp.Tool{Name: name, Description: "demo " + name},
			func(_ context.Context, _ *mcp.CallToolRequest, in toolArgs) (*mcp.CallToolResult, any, error) {
				text := fmt.Sprintf("%s(query=%q repo=%q path=%q title=%q)", name, in.Query, in.Repo, in.Path, in.Title)
				return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: text}}}, nil, nil
			})
	}
	return s
}
