package answers

import (
	"strings"
	"testing"
	"time"
)

func TestKinds2KB(t *testing.T) {
	m := realMatcher(t, dayEnded)
	fill := func(s string) string { return strings.Repeat(s, MaxQuestionBytes/len(s)+1)[:MaxQuestionBytes] }
	messages := []string{
		fill("Bonjour, je voudrais savoir le salaire et le télétravail. "),
		fill("Je suis développeuse à Lyon depuis huit ans, dans une ESN, et j'hésite à quitter mon CDI. ") + " Combien on est payé ?",
		fill("Quel est le salaire ? Et le télétravail, c'est possible ? "),
		fill("lorem ipsum dolor sit amet consectetur adipiscing elit "),
		fill("c koi la paie pr 1 dev stp :pray: "),
	}
	for i, q := range messages {
		start := time.Now()
		for range 50 {
			m.Match(q)
		}
		t.Logf("%d: %v", i, time.Since(start)/50)
	}
}
