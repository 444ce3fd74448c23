package answers

import (
	"errors"
	"sort"
)

// Suspect is a phrasing of faq.yaml that, read as a candidate's question
// with faq.yaml's phrasings left out of memory (and itself out of the
// lexical index), is taken for another entry with confidence: most often an alternate filed under the wrong entry. An
// alternate is matched word for word with its entry, so a misfiled one
// both teaches the model and answers the wrong entry.
type Suspect struct {
	Entry  string  // the entry it is filed under
	Text   string  // the question or alternate
	Line   int     // its line in faq.yaml
	ReadAs string  // the entry it reads as
	P      float64 // the model's probability of ReadAs
}

// Suspects lists faq.yaml's phrasings that read as another entry with a
// probability of at least minP, faq.yaml's phrasings left out of memory and
// each out of the lexical index; most probable first. A FAQ without training files has nothing
// to read them against: none is listed. Leaving faq.yaml out takes the
// counts of each group, which a model read from the cache does not keep.
func (m *Matcher) Suspects(minP float64) ([]Suspect, error) {
	if !m.memory.groupCounts {
		return nil, errNoGroupCounts
	}
	faqIndex := int32(-1)
	for g, name := range m.memory.groups {
		if name == faqGroup {
			faqIndex = int32(g)
		}
	}
	if faqIndex < 0 || len(m.memory.groups) < 2 {
		return nil, nil
	}
	lexical := m.lexicalPhrasings()
	sc := m.memory.scratch()
	var out []Suspect
	for _, e := range m.faq.Entries {
		class, ok := m.memory.classOf[e.ID]
		if !ok {
			continue
		}
		phrasings := append([]Text{e.Question}, e.Alternates...)
		for _, ph := range phrasings {
			r := m.read(ph.Value, true)
			f := m.features(r, leaveOut{group: faqIndex, lexical: lexical[ph.Value], doc: -1}, sc)
			p := m.trained.model.probabilities(f, len(m.memory.classes))
			top := argmax(p)
			if top != class && top != m.oos() && p[top] >= minP {
				out = append(out, Suspect{Entry: e.ID, Text: ph.Value, Line: ph.Line, ReadAs: m.memory.classes[top], P: p[top]})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].P > out[j].P })
	return out, nil
}

var errNoGroupCounts = errors.New("suspects: the model was read from the cache, without the counts of each group; learn it (load without the cache)")
