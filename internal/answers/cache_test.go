package answers

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
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
