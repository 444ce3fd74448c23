package answers

import (
	"os"
	"runtime/pprof"
	"testing"
	"time"
)

func TestProfileCached(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load("../../data/faq.yaml", WithCache(dir)); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Create("/tmp/cached.prof")
	pprof.StartCPUProfile(f)
	start := time.Now()
	for range 10 {
		if _, err := Load("../../data/faq.yaml", WithCache(dir)); err != nil {
			t.Fatal(err)
		}
	}
	pprof.StopCPUProfile()
	t.Log(time.Since(start) / 10)
	fi, _ := os.ReadDir(dir)
	for _, e := range fi {
		info, _ := e.Info()
		t.Log(e.Name(), info.Size())
	}
}
