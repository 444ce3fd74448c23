package answers

import (
	"os"
	"runtime/pprof"
	"testing"
	"time"
)

func TestProfileLoad(t *testing.T) {
	f, _ := os.Create("/tmp/cpu.prof")
	pprof.StartCPUProfile(f)
	start := time.Now()
	_, err := Load("../../data/faq.yaml")
	t.Log(time.Since(start), err)
	pprof.StopCPUProfile()
}
