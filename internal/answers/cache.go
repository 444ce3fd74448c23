package answers

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
)

// modelVersion changes whenever what the model learns or how it is stored
// changes, so that a cached model of older code is never read.
const modelVersion = "bin-model-5"

// WithCache keeps the learned model in dir, keyed by a hash of everything
// it was learned from (faq.yaml, the announcement, the training files, the
// code's version): a command that starts often reads it instead of
// learning again. A cache that cannot be read or written is ignored.
func WithCache(dir string) Option { return func(m *Matcher) { m.cacheDir = dir } }

// snapshot is what learning produces, in a form gob can store. The counts
// that only leaving a group out needs are not kept.
type snapshot struct {
	Classes, Groups    []string
	DocClass, DocGroup []int32
	Chars, Words       spaceSnapshot
	BayesTerms         map[string]int32
	BayesCounts        [][]float32
	BayesTotals        []float32
	WordScope          ratioSnapshot
	CharScope          ratioSnapshot
	Scope              []float64
	Weights            [nFeatures]float64
	CalibBias          float64
	CalibWeights       [nCalibration]float64
	Calibrated         bool
	Thresholds         Thresholds
	Exact              map[string]int32
}

type spaceSnapshot struct {
	IDs      map[string]int32
	IDF      []float32
	Postings [][]int32 // by feature: doc, then the weight's bits, alternately
	MaxDF    int
}

type ratioSnapshot struct {
	In, Out       []float32
	TotIn, TotOut float64
}

func (m *Matcher) snapshot() snapshot {
	mem := m.memory
	s := snapshot{Classes: mem.classes, Groups: mem.groups, DocClass: mem.docClass, DocGroup: mem.docGroup,
		Chars: snapSpace(mem.chars), Words: snapSpace(mem.words),
		BayesTerms: mem.bayes.terms, BayesCounts: mem.bayes.counts, BayesTotals: mem.bayes.totals,
		WordScope: snapRatio(mem.wordScope), CharScope: snapRatio(mem.charScope), Scope: m.scope.weights,
		Weights: m.trained.model.weights, CalibBias: m.trained.calibrator.bias, CalibWeights: m.trained.calibrator.weights,
		Calibrated: m.trained.calibrated, Thresholds: m.trained.thresholds, Exact: mem.exact}
	return s
}

func snapSpace(sp *space) spaceSnapshot {
	out := spaceSnapshot{IDs: sp.ids, IDF: sp.idf, MaxDF: sp.maxDF, Postings: make([][]int32, len(sp.postings))}
	for id, ps := range sp.postings {
		flat := make([]int32, 0, 2*len(ps))
		for _, p := range ps {
			flat = append(flat, p.doc, int32(float32bits(p.w)))
		}
		out.Postings[id] = flat
	}
	return out
}

func snapRatio(r *scopeRatio) ratioSnapshot {
	return ratioSnapshot{In: r.in, Out: r.out, TotIn: r.totIn, TotOut: r.totOut}
}

// restore puts a stored model back in place of learning.
func (m *Matcher) restore(s snapshot) {
	mem := &memory{classes: s.Classes, classOf: map[string]int{}, groups: s.Groups, docClass: s.DocClass, docGroup: s.DocGroup,
		chars: restoreSpace(s.Chars), words: restoreSpace(s.Words),
		bayes:     &bayes{terms: s.BayesTerms, counts: s.BayesCounts, totals: s.BayesTotals},
		wordScope: restoreRatio(s.WordScope), charScope: restoreRatio(s.CharScope), exact: s.Exact}
	for i, c := range s.Classes {
		mem.classOf[c] = i
	}
	mem.initPool()
	m.memory = mem
	m.scope = &scopeModel{weights: s.Scope}
	m.trained = trained{model: model{weights: s.Weights}, calibrator: calibrator{bias: s.CalibBias, weights: s.CalibWeights},
		calibrated: s.Calibrated, thresholds: s.Thresholds}
}

func restoreSpace(s spaceSnapshot) *space {
	sp := &space{ids: s.IDs, idf: s.IDF, maxDF: s.MaxDF, postings: make([][]posting, len(s.Postings))}
	for id, flat := range s.Postings {
		ps := make([]posting, len(flat)/2)
		for k := range ps {
			ps[k] = posting{doc: flat[2*k], w: float32frombits(uint32(flat[2*k+1]))}
		}
		sp.postings[id] = ps
	}
	return sp
}

func restoreRatio(s ratioSnapshot) *scopeRatio {
	return &scopeRatio{in: s.In, out: s.Out, totIn: s.TotIn, totOut: s.TotOut}
}

// cacheKey hashes everything the model is learned from.
func (m *Matcher) cacheKey() (string, error) {
	h := sha256.New()
	fmt.Fprintln(h, modelVersion, m.heldOut)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintln(h, s.Key, s.Value)
			}
		}
	}
	// The program itself: a rebuilt binary may learn differently.
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			fmt.Fprintln(h, st.Size(), st.ModTime().UnixNano())
		}
	}
	files := []string{m.faq.Path}
	if m.faq.Announcement != nil {
		files = append(files, m.faq.Announcement.Path)
	}
	if m.training != nil {
		files = append(files, m.training.Files...)
	}
	sort.Strings(files[1:])
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintln(h, filepath.Base(f), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:24], nil
}

func (m *Matcher) cachePath() (string, bool) {
	if m.cacheDir == "" {
		return "", false
	}
	key, err := m.cacheKey()
	if err != nil {
		return "", false
	}
	return filepath.Join(m.cacheDir, "model-"+key+".gob"), true
}

// loadCached restores the model from the cache, if it holds this one.
func (m *Matcher) loadCached() bool {
	path, ok := m.cachePath()
	if !ok {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	var s snapshot
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return false
	}
	m.restore(s)
	return true
}

// storeCached writes the model for the next start; older models are removed.
func (m *Matcher) storeCached() {
	path, ok := m.cachePath()
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(m.snapshot()); err != nil {
		return
	}
	if err := os.MkdirAll(m.cacheDir, 0o700); err != nil {
		return
	}
	old, _ := filepath.Glob(filepath.Join(m.cacheDir, "model-*.gob"))
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		return
	}
	for _, o := range old {
		if o != path {
			os.Remove(o)
		}
	}
}
