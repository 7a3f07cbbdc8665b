//go:build !(js && wasm)

// Command proxy runs the workbench's LLM proxy natively on 127.0.0.1 (make proxy). Configure it
// with environment variables (see proxy.ConfigFromEnv); PROXY_ADDR sets the address
// (default 127.0.0.1:8787). The key is read from OPENAI_API_KEY and never printed.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"

	"hyperagents/proxy"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "proxy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := proxy.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	logger := log.New(os.Stderr, "proxy: ", log.LstdFlags)
	cfg.Logf = logger.Printf
	addr := os.Getenv("PROXY_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8787"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	upstream := cfg.Upstream
	if upstream == "" {
		upstream = proxy.DefaultUpstream
	}
	fmt.Printf("hyperagents LLM proxy: http://%s%s → %s (key configured: %t)\n", ln.Addr(), proxy.ChatPath, upstream, cfg.APIKey != "")
	srv := proxy.NewServer(proxy.New(cfg))
	ln = proxy.LimitListener(ln, proxy.ServerMaxConns)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
