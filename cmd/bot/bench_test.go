package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkAskProcess times `bot ask` as a whole process: start, load
// faq.yaml and the cached model, answer, exit. The binary is built, and the
// model learned into the cache, once, outside the timer.
func BenchmarkAskProcess(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "bot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	ask := func() {
		cmd := exec.Command(bin, "ask", "--json", "--faq", "../../data/faq.yaml", "c koi la paie pr un dev ?")
		cmd.Env = append(os.Environ(), "BOT_CACHE="+filepath.Join(dir, "cache"))
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("bot ask: %v\n%s", err, out)
		}
	}
	ask() // learns the model into the cache
	for b.Loop() {
		ask()
	}
}
