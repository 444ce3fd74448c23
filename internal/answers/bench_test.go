package answers

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
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
	m := realMatcher(b, dayEnded)
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
	m := realMatcher(b, dayEnded)
	huge := strings.Repeat("Bonjour, je voudrais savoir le salaire et le télétravail. ", 1<<20/60)
	b.ReportAllocs()
	for b.Loop() {
		m.Match(huge)
	}
}

// BenchmarkLearn is faq.yaml and the training files read and the model
// learned from them: what a start without a cached model costs.
func BenchmarkLearn(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("../../data/faq.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadCached is the same start with the model read from the cache.
func BenchmarkLoadCached(b *testing.B) {
	dir := b.TempDir()
	if _, err := Load("../../data/faq.yaml", WithCache(dir)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("../../data/faq.yaml", WithCache(dir)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchLongParts is a 2 KB message of many questions, each
// sentence asking: the parts' worst case.
func BenchmarkMatchLongParts(b *testing.B) {
	m := realMatcher(b, dayEnded)
	long := strings.Repeat("Quel est le salaire ? Et le télétravail, c'est possible ? ", MaxQuestionBytes/58)
	b.ReportAllocs()
	for b.Loop() {
		m.Match(long)
	}
}

// BenchmarkMatchLong is a long message with context, for comparison with
// BenchmarkMatchHuge.
func BenchmarkMatchLong(b *testing.B) {
	m := realMatcher(b, dayEnded)
	long := strings.Repeat("Bonjour, je voudrais savoir le salaire et le télétravail. ", MaxQuestionBytes/60)
	b.ReportAllocs()
	for b.Loop() {
		m.Match(long)
	}
}

// BenchmarkMatch2KB reports the latency percentiles of matching 2 KB
// messages of several kinds (a story around a question, many questions, a
// paste): the p99 target is 1 ms.
func BenchmarkMatch2KB(b *testing.B) {
	m := realMatcher(b, dayEnded)
	fill := func(s string) string { return strings.Repeat(s, MaxQuestionBytes/len(s)+1)[:MaxQuestionBytes] }
	messages := []string{
		fill("Bonjour, je voudrais savoir le salaire et le télétravail. "),
		fill("Je suis développeuse à Lyon depuis huit ans, dans une ESN, et j'hésite à quitter mon CDI. ") + " Combien on est payé ?",
		fill("Quel est le salaire ? Et le télétravail, c'est possible ? "),
		fill("lorem ipsum dolor sit amet consectetur adipiscing elit "),
		fill("c koi la paie pr 1 dev stp :pray: "),
	}
	var times []time.Duration
	runtime.GC() // learning's garbage is not the matcher's cost
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		start := time.Now()
		m.Match(messages[i%len(messages)])
		times = append(times, time.Since(start))
		i++
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
}
