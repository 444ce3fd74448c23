// Command bot answers candidates' questions about the BIN, in Slack or offline.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		if !isQuietExit(err) {
			fmt.Fprintln(os.Stderr, "bot:", err)
		}
		os.Exit(exitCode(err))
	}
}
