package answers

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// benchQuestions are typical of what candidates send, short and long.
var benchQuestions = []string{
	"Quel est le salaire ?",
	"c koi la paie pr un dev ?",
	"Je bosse à Nantes, je peux candidater sans déménager ?",
	"can I work from home?",
	"<@U024BE7LH> Bonjour à tous :wave: je suis développeuse depuis 8 ans à Lyon et je voudrais savoir combien de jours de télétravail sont possibles ? Merci d'avance !",
	"il pleut à Brest ?",
	"top, merci bcp",
	"les candidatures ferment quand ?",
}

// BenchmarkMatch times each typical question: the median of its
// sub-benchmarks is the figure to watch.
func BenchmarkMatch(b *testing.B) {
	m := mustLoad(b, "../../data/faq.yaml")
	for i, q := range benchQuestions {
		b.Run(fmt.Sprintf("q%d", i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m.Match(q)
			}
		})
	}
}

// BenchmarkMatchHuge shows the input cap: a 1 MB message costs about what
// a long one does.
func BenchmarkMatchHuge(b *testing.B) {
	m := mustLoad(b, "../../data/faq.yaml")
	huge := strings.Repeat("Bonjour, je voudrais savoir le salaire et le télétravail. ", 1<<20/60)
	b.ReportAllocs()
	for b.Loop() {
		m.Match(huge)
	}
}

// BenchmarkIndexBuild builds the matcher from parsed faq.yaml: analysis,
// index, speller.
func BenchmarkIndexBuild(b *testing.B) {
	faq, err := LoadFile("../../data/faq.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewMatcher(faq); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad reads faq.yaml from bytes: YAML parsing plus the index.
func BenchmarkLoad(b *testing.B) {
	data, err := os.ReadFile("../../data/faq.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		faq, err := Parse("faq.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := NewMatcher(faq); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchLong is a long message with context, for comparison with
// BenchmarkMatchHuge.
func BenchmarkMatchLong(b *testing.B) {
	m := mustLoad(b, "../../data/faq.yaml")
	long := strings.Repeat("Bonjour, je voudrais savoir le salaire et le télétravail. ", MaxQuestionBytes/60)
	b.ReportAllocs()
	for b.Loop() {
		m.Match(long)
	}
}
