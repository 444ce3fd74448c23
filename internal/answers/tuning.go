package answers

// Tuning holds the lexical score's numbers: how terms weigh. The lexical
// score is one of the model's features; the model learns how much to trust
// it, and the decisions' thresholds are learned too.
type Tuning struct {
	// Unknown is the weight of a question word no entry uses, so that
	// "il pleut à Brest" is not read as a question about Brest alone.
	Unknown float64
	// AnswerField is how much a term counts when only an entry's answer,
	// not its questions, has it (0..1).
	AnswerField float64
	// Second is the share of the phrasing score given to the entry's
	// second-best phrasing: two phrasings that fit confirm each other.
	Second float64
	// Centrality is how much a term counts towards an entry as a whole
	// when only a few of its phrasings use it (1 when all do).
	Centrality float64
	// Phrasing is the share of the score given to the best single phrasing;
	// the rest goes to the entry as a whole.
	Phrasing float64
	// Context weighs the words of sentences around the question ("Je suis
	// dev à Lyon.") against those of the question itself.
	Context float64
	// Corrected weighs a word reached by typo correction: it is a guess.
	Corrected float64
	// OffTopic multiplies the weight of an off-topic subject's words
	// (faq.yaml's off_topic): they speak against every entry.
	OffTopic float64
	// Qualifier weighs a qualifier (faq.yaml's qualifiers) beside another topic.
	Qualifier float64
}

// DefaultTuning is what NewMatcher uses unless told otherwise.
var DefaultTuning = Tuning{
	Unknown:     3,
	AnswerField: 0.5,
	Second:      0.25,
	Centrality:  0.2,
	Phrasing:    0.5,
	Context:     0.35,
	Corrected:   0.7,
	OffTopic:    3,
	Qualifier:   0.6,
}
