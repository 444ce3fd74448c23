package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// botSetup is how every `bot serve` of one run is started: the same
// binary, settings and database, so that replicas share the work and a
// restart resumes where the last process stopped.
type botSetup struct {
	bin, faq string
	// env is the environment of a process listening on addr; proc names
	// it in its token, so that the fake Slack tells who posted.
	env   func(addr, proc string) []string
	log   io.Writer
	addrs []string // one loopback listen address per replica
}

// botProc is a running `bot serve`.
type botProc struct {
	name    string // "r0.1": replica 0, its second process
	base    string // http://127.0.0.1:port
	cmd     *exec.Cmd
	started time.Time     // before exec: no post of this process can be earlier
	exited  chan struct{} // closed when it has exited
}

// buildBot builds ./cmd/bot into dir.
func buildBot(ctx context.Context, dir string, log io.Writer) (string, error) {
	bin := filepath.Join(dir, "bot")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/bot")
	build.Stdout, build.Stderr = log, log
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build bot: %w", err)
	}
	return bin, nil
}

// start runs process gen of replica slot and waits until it answers
// /healthz.
func (b botSetup) start(ctx context.Context, slot, gen int) (*botProc, error) {
	name := fmt.Sprintf("r%d.%d", slot, gen)
	cmd := exec.Command(b.bin, "serve", "--faq", b.faq)
	cmd.Env, cmd.Stdout, cmd.Stderr = b.env(b.addrs[slot], name), b.log, b.log
	p := &botProc{name: name, base: "http://" + b.addrs[slot], cmd: cmd, started: time.Now(), exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start bot %s: %w", name, err)
	}
	go func() { cmd.Wait(); close(p.exited) }()
	if err := waitHealthy(ctx, p.base, p.exited); err != nil {
		p.kill()
		return nil, err
	}
	return p, nil
}

// stop sends SIGTERM and waits; a bot still running after 20s is killed.
func (p *botProc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(20 * time.Second):
		p.kill()
	}
}

// kill is kill -9: the bot gets no chance to finish anything.
func (p *botProc) kill() {
	p.cmd.Process.Kill()
	<-p.exited
}

func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitHealthy(ctx context.Context, base string, exited <-chan struct{}) error {
	// No Proxy, and a short timeout: a bot that hangs is retried.
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	deadline := time.After(30 * time.Second)
	for {
		req, err := http.NewRequestWithContext(ctx, "GET", base+"/healthz", nil)
		if err != nil {
			return fmt.Errorf("health check: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("bot exited before it was healthy (see bot.log)")
		case <-deadline:
			return errors.New("bot not healthy after 30s")
		case <-ctx.Done():
			return fmt.Errorf("wait for the bot: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
