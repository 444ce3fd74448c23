package answers

// Words that tell English from French in a chat message: frequent function
// words and question words of one language that the other does not use.
var (
	englishWords = makeSet(`
the a an is are was were be been do does did have has had what whats which who whom whose how why when where
can could would should will shall may might must i im ive id my me we our you your youre it its they their
there this that these those and or but of to in on at for from with about any some much many
still hiring apply job work remote salary pay paid long start hi hello hey thanks please if not no yes so`)
	frenchWords = makeSet(`
le la les un une des du de est sont etre c ce cette ces qui que quoi quel quelle quels quelles comment combien
pourquoi quand ou et mais donc je j tu il elle nous vous ils on mon ma mes ton ta votre vos leur pour par avec
sans dans sur pas ne plus bonjour salut merci stp svp oui non peut peux faut y a au aux cest quest jai suis
est-ce`)
)

// detectLang tells an English message from a French one by their function
// words; French wins ties, since most candidates write French.
func detectLang(ws []string) Lang {
	var en, fr int
	for _, w := range ws {
		// Words both languages spell alike (a, on, pour...) count for neither.
		e, f := englishWords[w], frenchWords[w]
		switch {
		case e && !f:
			en++
		case f && !e:
			fr++
		}
	}
	if en > fr {
		return English
	}
	return French
}

// DetectLang tells the language a message is written in, as Match reads it.
func DetectLang(text string) Lang { return detectLang(words(text)) }
