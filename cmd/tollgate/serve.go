package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/server"
)

const serveUsage = `usage: tollgate serve [--config tollgate.yaml]

Runs the ext_authz gRPC server (and the HTTP mode and admin listeners the
config names) until SIGTERM or SIGINT. The config is checked as
'tollgate validate --config' checks it before anything listens.`

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("tollgate serve", serveUsage)
	path := fs.String("config", "tollgate.yaml", "configuration file")
	pos, code, done := parseCLI(fs, args, stdout, stderr)
	if done {
		return code
	}
	if len(pos) != 0 {
		return wantArgs(stderr, fs.Name(), "0", len(pos))
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate:", err)
		return exitError
	}
	server.TuneGC(cfg.Runtime.GCPercent, cfg.Runtime.MemoryLimitMiB<<20)
	logger := newLogger(stderr, cfg.Log.Level)
	for _, w := range cfg.Warnings {
		logger.Warn("configuration warning", "warning", w)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if cfg.Runtime.AutoMemoryLimit() {
		// From the start: the first load's peak is the largest (10k mixed:
		// 95 MiB against 109 MiB when started after New; docs/benchmarks.md).
		go server.RunAutoMemoryLimit(ctx, cfg.Runtime.MemoryHeadroom())
	}
	srv, err := server.New(ctx, cfg, logger)
	if err != nil {
		logger.Error("startup failed", "error", err.Error())
		fmt.Fprintln(stderr, "tollgate:", err)
		return exitError
	}
	defer srv.Close()
	if err := srv.Run(ctx); err != nil {
		logger.Error("server failed", "error", err.Error())
		return exitError
	}
	logger.Info("stopped")
	return exitOK
}

// newLogger is the operational log: JSON on stderr. Decisions go to their
// own log (see log.decisions).
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}
