package answers

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestACachedModelAnswersAsTheLearnedOne reads the model back from the
// cache and asks it what the learned one was asked: every field the cache
// forgets, or matching computes from it, shows here.
func TestACachedModelAnswersAsTheLearnedOne(t *testing.T) {
	learned := realMatcher(t, dayOpen)
	cached, err := Load("../../data/faq.yaml", WithCache(real.cache), WithClock(func() time.Time { return dayOpen }))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(benchQuestions, "salaire ? télétravail ?", "- salaire ?\n- télétravail ?", "c quoi le smic ?") {
		if a, b := learned.Match(q), cached.Match(q); !reflect.DeepEqual(a, b) {
			t.Errorf("%q: learned %s %s %.3f, cached %s %s %.3f", q, a.Decision, a.EntryID, a.Score, b.Decision, b.EntryID, b.Score)
		}
	}
}

// TestADamagedCacheIsRefused cuts the stored blocks short, corrupts their
// lengths, and makes the snapshot disagree with them: restoring says so,
// never panics nor keeps half a model.
func TestADamagedCacheIsRefused(t *testing.T) {
	realMatcher(t, dayOpen)
	paths, err := filepath.Glob(filepath.Join(real.cache, "*.gob"))
	if err != nil || len(paths) != 1 {
		t.Fatalf("cache files %v (%v)", paths, err)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(data)
	var s snapshot
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		t.Fatal(err)
	}
	blocks := data[len(data)-r.Len():]
	if err := new(Matcher).restore(s, blocks); err != nil {
		t.Fatalf("the intact cache: %v", err)
	}
	huge := bytes.Clone(blocks)
	binary.LittleEndian.PutUint64(huge, 1<<40)
	cases := map[string][]byte{
		"empty":           nil,
		"cut in a length": blocks[:4],
		"cut in a block":  blocks[:len(blocks)/2],
		"one byte short":  blocks[:len(blocks)-1],
		"a huge length":   huge,
	}
	cases["a byte after the last block"] = append(bytes.Clone(blocks), 0)
	for name, b := range cases {
		m := new(Matcher)
		if err := m.restore(s, b); err == nil {
			t.Errorf("%s: restored", name)
		} else if m.memory != nil {
			t.Errorf("%s: %v, yet a model was kept", name, err)
		}
	}
	// Counts that no learning gives: restoring would tabulate logarithms
	// up to them (a NaN, a count beyond the phrasings).
	br := blockReader{rest: blocks}
	cIDF, cPost, wIDF, wPost := br.float32s(), br.postings(), br.float32s(), br.postings()
	_, wsIn, wsOut, csIn, csOut, scope := br.float32s(), br.float32s(), br.float32s(), br.float32s(), br.float32s(), br.float64s()
	if br.err != nil {
		t.Fatal(br.err)
	}
	for name, bad := range map[string]float32{"NaN": float32(math.NaN()), "3e9": 3e9, "-1": -1, "0.5": 0.5} {
		saved := csIn[0]
		csIn[0] = bad
		if err := s.consistent(cIDF, wIDF, cPost, wPost, [][]float32{wsIn, wsOut}, [][]float32{csIn, csOut}, scope); err == nil {
			t.Errorf("a scope count of %s: consistent", name)
		}
		csIn[0] = saved
	}
	if err := s.consistent(cIDF, wIDF, cPost, wPost, [][]float32{wsIn, wsOut}, [][]float32{csIn, csOut}, scope); err != nil {
		t.Errorf("the intact arrays: %v", err)
	}
	fewerDocs := s
	fewerDocs.DocClass, fewerDocs.DocGroup = s.DocClass[:10], s.DocGroup[:10]
	fewerGroups := s
	fewerGroups.Groups = s.Groups[:1]
	for name, snap := range map[string]snapshot{"postings past the documents": fewerDocs, "a group id past the groups": fewerGroups} {
		if err := new(Matcher).restore(snap, blocks); err == nil {
			t.Errorf("%s: restored", name)
		}
	}
}
