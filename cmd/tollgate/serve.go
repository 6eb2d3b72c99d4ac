package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/tollgate-authz/tollgate/internal/config"
	"github.com/tollgate-authz/tollgate/internal/server"
)

func runServe(args []string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("tollgate serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "tollgate.yaml", "configuration file")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, "tollgate:", err)
		return exitError
	}
	server.TuneGC(cfg.Runtime.GCPercent, cfg.Runtime.MemoryLimitMiB<<20)
	logger := newLogger(stderr, cfg.Log.Level)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
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
