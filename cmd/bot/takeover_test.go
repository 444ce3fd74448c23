package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/slackfake"
	"github.com/betagouv/bin-bot/internal/store"
	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// holderEnv, when set, makes this test binary a bot process that holds a
// question for its own queue (as an acknowledged question is) and waits
// to be killed: see TestHolderProcess.
const holderEnv = "BOT_TEST_HOLDER_DB"

// TestHolderProcess is the process TestServeTakesOverFromAKilledProcess
// kills; it does nothing in a normal run.
func TestHolderProcess(t *testing.T) {
	dbURL := os.Getenv(holderEnv)
	if dbURL == "" {
		t.Skip("helper process only")
	}
	st, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := store.Question{EventID: "Ev1", Text: "Quel est le salaire ?", UserID: "U1", Channel: "D1", ChannelType: "im",
		TS: "1.1", ThreadTS: "1.1", AskedAt: time.Now(), HeldUntil: time.Now().Add(5 * time.Minute)}
	if _, fresh, err := st.RecordQuestion(context.Background(), q); err != nil || !fresh {
		t.Fatal(fresh, err)
	}
	fmt.Println("held")
	io.Copy(io.Discard, os.Stdin) // until killed
}

// A bot process killed (SIGKILL) while it holds an acknowledged question
// for the 5-minute lease: the next `bot serve` on the same database
// answers it at once, on PostgreSQL as on SQLite.
func TestServeTakesOverFromAKilledProcess(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			dbURL := b.URL(t)
			killHolder(t, dbURL)
			posts := serveAgainstFakeSlack(t, dbURL)
			select {
			case p := <-posts:
				if p.Get("channel") != "D1" || p.Get("thread_ts") != "1.1" {
					t.Errorf("posted %v, want the killed process's question", p)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("the killed process's question was not answered within 15s")
			}
		})
	}
}

// killHolder runs TestHolderProcess in a child process, waits until it
// holds its question, and kills it with SIGKILL.
func killHolder(t *testing.T, dbURL string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHolderProcess$")
	cmd.Env = append(os.Environ(), holderEnv+"="+dbURL)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "held\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("holder process said %q, %v", line, err)
	}
	cmd.Process.Kill()
	cmd.Wait()
}

// serveAgainstFakeSlack runs `bot serve` on dbURL until the test ends and
// returns the messages it posts.
func serveAgainstFakeSlack(t *testing.T, dbURL string) <-chan url.Values {
	t.Helper()
	fake := slackfake.New(t)
	addr := freeAddr(t)
	env := map[string]string{
		"BOT_FAQ":              "../../internal/slackapp/testdata/faq.yaml",
		"SLACK_BOT_TOKEN":      "xoxb-test",
		"SLACK_SIGNING_SECRET": "secret",
		"SLACK_API_URL":        strings.TrimSuffix(fake.URL, "/"), // serve adds it
		"DATABASE_URL":         dbURL,
		"BOT_ADDR":             addr,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, t.Output())
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return fake.Posts
}
