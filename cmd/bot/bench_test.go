package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkAskProcess times `bot ask` as a whole process: start, load and
// index faq.yaml, answer, exit. The binary is built once, outside the timer.
func BenchmarkAskProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "bot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	for b.Loop() {
		cmd := exec.Command(bin, "ask", "--json", "--faq", "../../data/faq.yaml", "c koi la paie pr un dev ?")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("bot ask: %v\n%s", err, out)
		}
	}
}
