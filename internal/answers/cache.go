package answers

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
)

// modelVersion changes whenever what the model learns or how it is stored
// changes, so that a cached model of older code is never read.
const modelVersion = "bin-model-14"

// WithCache keeps the learned model in dir, keyed by a hash of everything
// it was learned from (faq.yaml, the announcement, the training files, the
// code's version): a command that starts often reads it instead of
// learning again. A cache that cannot be read or written is ignored.
func WithCache(dir string) Option { return func(m *Matcher) { m.cacheDir = dir } }

// snapshot is what learning produces, in a form gob can store; its big
// arrays are written apart, as raw little-endian blocks, which read in a
// few milliseconds where gob would take tens. The counts that only leaving
// a group out needs are not kept.
type snapshot struct {
	Classes, Groups    []string
	DocClass, DocGroup []int32
	CharIDs            []gram   // each feature, at its id
	WordIDs            []string // the same
	CharMaxDF          int
	WordMaxDF          int
	BayesTerms         []string
	BayesTotals        []float32
	WordScopeTot       [2]float64
	CharScopeTot       [2]float64
	Weights            [nFeatures]float64
	CalibBias          float64
	CalibWeights       [nCalibration]float64
	Calibrated         bool
	Thresholds         Thresholds
	ExactTexts         []string
	ExactClasses       []int32
	UsedWords          []string
}

// byID lists a map's keys at their ids; ids runs from 0 to len(ids)-1.
func byID[K comparable](ids map[K]int32) []K {
	out := make([]K, len(ids))
	for k, id := range ids {
		out[id] = k
	}
	return out
}

func idsOf[K comparable](keys []K) map[K]int32 {
	out := make(map[K]int32, len(keys))
	for i, k := range keys {
		out[k] = int32(i)
	}
	return out
}

// blocks lists the big arrays of a model, in the order they are stored.
func (m *Matcher) blocks() []any {
	mem := m.memory
	cOff, cDoc, cW := flattenPostings(mem.chars.postings)
	wOff, wDoc, wW := flattenPostings(mem.words.postings)
	var counts []float32
	for _, row := range mem.bayes.counts {
		counts = append(counts, row...)
	}
	return []any{mem.chars.idf, cOff, cDoc, cW, mem.words.idf, wOff, wDoc, wW, counts,
		mem.wordScope.in, mem.wordScope.out, mem.charScope.in, mem.charScope.out, m.scope.weights}
}

func flattenPostings(ps [][]posting) (offsets, docs []int32, weights []float32) {
	offsets = make([]int32, 0, len(ps)+1)
	for _, list := range ps {
		offsets = append(offsets, int32(len(docs)))
		for _, p := range list {
			docs = append(docs, p.doc)
			weights = append(weights, p.w)
		}
	}
	offsets = append(offsets, int32(len(docs)))
	return offsets, docs, weights
}

func (m *Matcher) snapshot() snapshot {
	mem := m.memory
	s := snapshot{Classes: mem.classes, Groups: mem.groups, DocClass: mem.docClass, DocGroup: mem.docGroup,
		CharIDs: byID(mem.chars.ids), WordIDs: byID(mem.words.ids), CharMaxDF: mem.chars.maxDF, WordMaxDF: mem.words.maxDF,
		BayesTerms: byID(mem.bayes.terms), BayesTotals: mem.bayes.totals,
		WordScopeTot: [2]float64{mem.wordScope.totIn, mem.wordScope.totOut},
		CharScopeTot: [2]float64{mem.charScope.totIn, mem.charScope.totOut},
		Weights:      m.trained.model.weights, CalibBias: m.trained.calibrator.bias, CalibWeights: m.trained.calibrator.weights,
		Calibrated: m.trained.calibrated, Thresholds: m.trained.thresholds, UsedWords: m.usedWords}
	for text, c := range mem.exact {
		s.ExactTexts = append(s.ExactTexts, text)
		s.ExactClasses = append(s.ExactClasses, c)
	}
	return s
}

// restore puts a stored model back in place of learning, from the blocks
// that follow the snapshot.
func (m *Matcher) restore(s snapshot, data []byte) error {
	r := blockReader{rest: data}
	cIDF := r.float32s()
	cPost := r.postings()
	wIDF := r.float32s()
	wPost := r.postings()
	counts, wsIn, wsOut, csIn, csOut := r.float32s(), r.float32s(), r.float32s(), r.float32s(), r.float32s()
	scope := r.float64s()
	if r.err != nil {
		return r.err
	}
	if len(r.rest) != 0 {
		return fmt.Errorf("cached model: %d bytes after the last block", len(r.rest))
	}
	k := len(s.Classes)
	if k == 0 || len(counts) != k*len(s.BayesTerms) {
		return fmt.Errorf("cached model: %d counts for %d classes and %d terms", len(counts), k, len(s.BayesTerms))
	}
	if err := s.consistent(cIDF, wIDF, cPost, wPost, [][]float32{wsIn, wsOut}, [][]float32{csIn, csOut}, scope); err != nil {
		return err
	}
	rows := make([][]float32, k)
	for c := range rows {
		rows[c] = counts[c*len(s.BayesTerms) : (c+1)*len(s.BayesTerms)]
	}
	mem := &memory{classes: s.Classes, classOf: map[string]int{}, groups: s.Groups, docClass: s.DocClass, docGroup: s.DocGroup,
		chars:     &space[gram]{ids: idsOf(s.CharIDs), vectors: vectors{idf: cIDF, maxDF: s.CharMaxDF, postings: cPost}},
		words:     &space[string]{ids: idsOf(s.WordIDs), vectors: vectors{idf: wIDF, maxDF: s.WordMaxDF, postings: wPost}},
		bayes:     &bayes{terms: idsOf(s.BayesTerms), counts: rows, totals: s.BayesTotals},
		wordScope: &scopeRatio{in: wsIn, out: wsOut, totIn: s.WordScopeTot[0], totOut: s.WordScopeTot[1]},
		charScope: &scopeRatio{in: csIn, out: csOut, totIn: s.CharScopeTot[0], totOut: s.CharScopeTot[1]},
		exact:     make(map[string]int32, len(s.ExactTexts))}
	for i, text := range s.ExactTexts {
		mem.exact[text] = s.ExactClasses[i]
	}
	for i, c := range s.Classes {
		mem.classOf[c] = i
	}
	mem.prepare()
	m.memory = mem
	m.usedWords = s.UsedWords
	if m.analyser != nil && m.analyser.typos != nil {
		m.analyser.typos.know(s.UsedWords)
	}
	m.scope = &scopeModel{weights: scope}
	m.trained = trained{model: model{weights: s.Weights}, calibrator: calibrator{bias: s.CalibBias, weights: s.CalibWeights},
		calibrated: s.Calibrated, thresholds: s.Thresholds}
	return nil
}

// consistent checks that the stored arrays agree with the snapshot in
// length and in the ids they hold: matching indexes them without checks,
// so a file that is whole in form but wrong in content would panic there.
func (s snapshot) consistent(cIDF, wIDF []float32, cPost, wPost [][]posting, wordScope, charScope [][]float32, scope []float64) error {
	nDocs := len(s.DocClass)
	scopeWant := scopeDims + 1
	if len(scope) == 0 {
		scopeWant = 0 // no out-of-scope examples: no scope model
	}
	sizes := []struct {
		what      string
		got, want int
	}{
		{"character idf", len(cIDF), len(s.CharIDs)}, {"character postings", len(cPost), len(s.CharIDs)},
		{"word idf", len(wIDF), len(s.WordIDs)}, {"word postings", len(wPost), len(s.WordIDs)},
		{"word scope in", len(wordScope[0]), len(s.WordIDs)}, {"word scope out", len(wordScope[1]), len(s.WordIDs)},
		{"character scope in", len(charScope[0]), len(s.CharIDs)}, {"character scope out", len(charScope[1]), len(s.CharIDs)},
		{"scope weights", len(scope), scopeWant}, {"bayes totals", len(s.BayesTotals), len(s.Classes)},
		{"document groups", len(s.DocGroup), nDocs}, {"exact classes", len(s.ExactClasses), len(s.ExactTexts)},
	}
	for _, z := range sizes {
		if z.got != z.want {
			return fmt.Errorf("cached model: %d %s for %d", z.got, z.what, z.want)
		}
	}
	for _, lists := range [][][]posting{cPost, wPost} {
		for _, list := range lists {
			for _, p := range list {
				if p.doc < 0 || int(p.doc) >= nDocs {
					return fmt.Errorf("cached model: a posting of document %d of %d", p.doc, nDocs)
				}
			}
		}
	}
	// The scope ratios count phrasings: whole numbers up to how many there
	// are (their logarithms are tabulated up to the largest).
	for _, counts := range [][]float32{wordScope[0], wordScope[1], charScope[0], charScope[1]} {
		for _, c := range counts {
			if !(c >= 0 && c <= float32(nDocs)) || c != float32(math.Trunc(float64(c))) {
				return fmt.Errorf("cached model: a scope count of %v for %d documents", c, nDocs)
			}
		}
	}
	for _, ids := range []struct {
		values []int32
		n      int
	}{{s.DocClass, len(s.Classes)}, {s.DocGroup, len(s.Groups)}, {s.ExactClasses, len(s.Classes)}} {
		for _, v := range ids.values {
			if v < 0 || int(v) >= ids.n {
				return fmt.Errorf("cached model: id %d of %d", v, ids.n)
			}
		}
	}
	return nil
}

// writeBlock writes a slice of numbers as its length and raw little-endian values.
func writeBlock(w io.Writer, data any) error {
	var n int
	switch d := data.(type) {
	case []int32:
		n = len(d)
	case []float32:
		n = len(d)
	case []float64:
		n = len(d)
	}
	if err := binary.Write(w, binary.LittleEndian, uint64(n)); err != nil {
		return err
	}
	return binary.Write(w, binary.LittleEndian, data)
}

// blockReader decodes what writeBlock wrote, straight from the file's
// bytes: encoding/binary.Read would copy each block once more, and the
// postings would be built from two arrays thrown away after. The first
// error sticks; later reads return nothing.
type blockReader struct {
	rest []byte
	err  error
}

// next returns the next block's raw values, size bytes each.
func (r *blockReader) next(size int) ([]byte, int) {
	if r.err != nil {
		return nil, 0
	}
	if len(r.rest) < 8 {
		r.err = errors.New("cached model: truncated")
		return nil, 0
	}
	n := binary.LittleEndian.Uint64(r.rest)
	if n > uint64(len(r.rest)-8)/uint64(size) {
		r.err = fmt.Errorf("cached model: block of %d values in %d bytes", n, len(r.rest)-8)
		return nil, 0
	}
	raw := r.rest[8 : 8+int(n)*size]
	r.rest = r.rest[8+int(n)*size:]
	return raw, int(n)
}

func (r *blockReader) int32s() []int32 {
	raw, n := r.next(4)
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

func (r *blockReader) float32s() []float32 {
	raw, n := r.next(4)
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}

func (r *blockReader) float64s() []float64 {
	raw, n := r.next(8)
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return out
}

// postings reads what flattenPostings made (offsets, docs, weights) back
// into lists that share one array.
func (r *blockReader) postings() [][]posting {
	offsets := r.int32s()
	docs, n := r.next(4)
	weights, nw := r.next(4)
	if r.err != nil {
		return nil
	}
	if len(offsets) == 0 || nw != n || int(offsets[len(offsets)-1]) != n {
		r.err = fmt.Errorf("cached model: %d postings, %d weights, %d offsets", n, nw, len(offsets))
		return nil
	}
	all := make([]posting, n)
	for i := range all {
		all[i] = posting{doc: int32(binary.LittleEndian.Uint32(docs[4*i:])),
			w: math.Float32frombits(binary.LittleEndian.Uint32(weights[4*i:]))}
	}
	out := make([][]posting, len(offsets)-1)
	for i := range out {
		lo, hi := offsets[i], offsets[i+1]
		if lo < 0 || lo > hi || int(hi) > n {
			r.err = fmt.Errorf("cached model: postings %d to %d of %d", lo, hi, n)
			return nil
		}
		out[i] = all[lo:hi:hi]
	}
	return out
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
	// The phrasings in memory: alternates staff attached are merged into a
	// copy of faq.yaml that the file on disk does not show.
	for _, e := range m.faq.Entries {
		fmt.Fprintln(h, e.ID, e.Question.Value, e.QuestionEN.Value)
		for _, a := range e.Alternates {
			fmt.Fprintln(h, a.Value)
		}
	}
	m.hashOutOfScope(h)
	files := []string{m.faq.Path}
	if m.faq.Announcement != nil {
		files = append(files, m.faq.Announcement.Path)
	}
	switch {
	case m.training != nil:
		files = append(files, m.training.Files...)
	case m.faq.TrainingDir != "":
		// Not parsed yet: a cached model spares reading the files as YAML.
		paths, err := trainingFiles(m.faq.TrainingDir)
		if err != nil {
			return "", err
		}
		files = append(files, paths...)
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
	return filepath.Join(m.cacheDir, m.cachePrefix()+key+".gob"), true
}

// cachePrefix names the cached models of one faq.yaml: a newer model
// replaces them, and only them.
func (m *Matcher) cachePrefix() string {
	abs, err := filepath.Abs(m.faq.Path)
	if err != nil {
		abs = m.faq.Path
	}
	sum := sha256.Sum256([]byte(abs))
	return "model-" + hex.EncodeToString(sum[:4]) + "-"
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
	r := bytes.NewReader(data)
	var s snapshot
	if err := gob.NewDecoder(r).Decode(&s); err != nil {
		return false
	}
	// A bytes.Reader is read byte by byte by gob, never ahead: the blocks
	// start where it stopped.
	return m.restore(s, data[len(data)-r.Len():]) == nil
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
	for _, b := range m.blocks() {
		if err := writeBlock(&buf, b); err != nil {
			return
		}
	}
	if err := os.MkdirAll(m.cacheDir, 0o700); err != nil {
		return
	}
	old, _ := filepath.Glob(filepath.Join(m.cacheDir, m.cachePrefix()+"*.gob"))
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
