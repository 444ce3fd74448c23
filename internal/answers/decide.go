package answers

// verdict is what the model makes of one reading: every class's probability.
type verdict struct {
	probs  []float64
	conf   float64 // the calibrated chance that top is right
	order  []int   // classes by decreasing probability
	top    int     // the most probable class
	topIn  int     // the most probable entry
	reader reading
	// calibration is what the calibrator read.
	calibration [nCalibration]float64
}

// minSmallDataEvidence is the lexical score the best entry needs when the
// model could not be calibrated (a FAQ with no training files has no
// out-of-scope examples): without them, the words must match.
const minSmallDataEvidence = 0.25

// evidenced reports whether the verdict's best entry may be offered.
func (m *Matcher) evidenced(v verdict) bool {
	return m.trained.calibrated || v.calibration[cLexical] >= minSmallDataEvidence || v.conf == 1
}

// classify runs the features and the model on one reading.
func (m *Matcher) classify(r reading) verdict { return m.classifyIn(r, nil) }

// classifyIn classifies a part of a message whose whole is in scope: the
// part is then one of the entries, and what the calibrator reads of scope
// is the whole message's.
func (m *Matcher) classifyIn(r reading, whole *verdict) verdict {
	sc := m.memory.pool.Get().(*scratch)
	f := m.features(r, keepAll, sc)
	m.memory.pool.Put(sc)
	p := m.trained.model.probabilities(f, len(m.memory.classes))
	if whole != nil {
		p[m.oos()] = 0
		var sum float64
		for _, x := range p {
			sum += x
		}
		for i := range p {
			p[i] /= max(sum, 1e-12)
		}
	}
	order := argsort(p)
	v := verdict{probs: p, order: order, reader: r, calibration: calibration(p, order, m.oos(), f, r)}
	v.top = v.order[0]
	v.conf = p[v.top]
	if whole != nil {
		v.calibration[cOOSLogit], v.calibration[cScope] = whole.calibration[cOOSLogit], whole.calibration[cScope]
	}
	if m.trained.calibrated {
		v.conf = m.trained.calibrator.of(v.calibration)
	}
	if c, ok := m.memory.exact[r.normalised]; ok && (whole == nil || int(c) != m.oos()) {
		// Asked word for word as a vetted phrasing: its label decides
		// ("salaire" alone is out of scope, not as a part of a message).
		v.top, v.conf = int(c), 1
	}
	v.topIn = -1
	for _, c := range v.order {
		if c != m.oos() {
			v.topIn = c
			break
		}
	}
	return v
}

func (m *Matcher) oos() int { return len(m.memory.classes) - 1 }

// confident reports a verdict the bot may answer: an entry, probable
// enough, on a question of more than one word.
func (m *Matcher) confident(v verdict) bool {
	return v.top != m.oos() && v.conf >= m.trained.thresholds.Answer && !v.reader.single && m.evidenced(v)
}

// confidentPart is confident for a part of a message: there one word is
// a question ("salaire ? télétravail ?"), the whole being in scope.
func (m *Matcher) confidentPart(v verdict) bool {
	return v.top != m.oos() && v.conf >= m.trained.thresholds.Answer && m.evidenced(v)
}

// A piece less sure of its entry than the answer threshold is still
// answered when the whole message agrees: "… Et entre deux sprints on fait
// quoi ?" reads as missions-transverses at 0.45 alone, and the whole
// message gives that entry a share of its probability. Chosen on the
// cross-validation's 1,086 multi-part messages: all parts right 0.898 →
// 0.907, an entry not asked unchanged (0.0285), stray parts of
// one-question messages 0.0248 → 0.0251; 0.4 to 0.5 and 0.1 to 0.15 do
// about as well, a whole's share of 0.3 or 0.05 worse.
const (
	agreedPartConf  = 0.5
	agreedPartWhole = 0.1
)

// agreedPart reports a piece answered on the whole message's agreement.
func (m *Matcher) agreedPart(v verdict, whole verdict) bool {
	return v.top != m.oos() && v.conf >= agreedPartConf && whole.probs[v.top] >= agreedPartWhole && m.evidenced(v)
}

// plan is the decision before rendering.
type plan struct {
	decision   Decision
	entries    []int     // answered entries, in the order asked; or the choices
	scores     []float64 // their probabilities
	score      float64
	unanswered string // a part of the message no entry answers, to name
	// example is, for a one-word message that gets the fallback, the entry
	// it most likely names, offered as the question to ask in full.
	example *Entry
}

// decide chooses between answer, parts, suggest and fallback.
func (m *Matcher) decide(whole verdict, text string) plan {
	if p, ok := m.parts(whole, text, nil); ok {
		return p
	}
	if m.confident(whole) {
		return plan{decision: Answer, entries: []int{whole.top}, scores: []float64{whole.conf}, score: whole.conf}
	}
	if whole.topIn >= 0 && whole.probs[whole.topIn] >= m.trained.thresholds.Suggest && !whole.reader.single && m.evidenced(whole) {
		var pl plan
		floor := whole.probs[whole.topIn] / 4
		for _, c := range whole.order {
			if c == m.oos() {
				continue
			}
			if len(pl.entries) == 3 || (len(pl.entries) >= 2 && whole.probs[c] < floor) {
				break
			}
			pl.entries = append(pl.entries, c)
			pl.scores = append(pl.scores, whole.probs[c])
		}
		pl.decision = Suggest
		pl.score = min(whole.probs[whole.topIn], m.trained.thresholds.Answer)
		return pl
	}
	pl := plan{decision: Fallback, score: whole.probs[whole.top]}
	if whole.reader.single && m.namesOneEntry(whole) {
		// "salaire ?" names a subject and asks nothing sure: say which
		// question the bot would answer, and let the asker ask it.
		pl.example = &m.faq.Entries[whole.topIn]
	}
	return pl
}

// namesOneEntry reports a verdict whose best entry holds most of what the
// entries share, and is not improbable: a word the training's one-word
// messages mark as out of scope ("salaire") still names its subject.
func (m *Matcher) namesOneEntry(v verdict) bool {
	if v.topIn < 0 || !m.evidenced(v) {
		return false
	}
	p := v.probs[v.topIn]
	return p >= minExample && p >= (1-v.probs[m.oos()])/2
}

// minExample is the least probability of an entry offered as an example.
const minExample = 0.05

// maxParts is how many questions of one message are looked at: a reply
// answering more would be a page, and a message asking more is rare.
const maxParts = 4

// maxPartsBytes bounds the messages read for parts: longer ones tell a
// story around one question far more often than they ask several.
const maxPartsBytes = 1000

// partNote is what parts made of one piece, for Explain.
type partNote struct {
	text    string
	skipped string // why the piece was not asked alone; "" when it was
	v       verdict
	taken   bool
}

// parts answers a message that asks several things: each piece that asks
// is classified alone, under the same confidence rule; two different
// entries answered make a reply in parts, and a piece that asks but that
// no entry answers is named in the reply. notes, when not nil, gets what
// was made of each piece.
func (m *Matcher) parts(whole verdict, text string, notes *[]partNote) (plan, bool) {
	note := func(n partNote) {
		if notes != nil {
			*notes = append(*notes, n)
		}
	}
	// A message of short questions ("salaire ? télétravail ?") reads as
	// out of scope whole: its parts are then judged on their own, scope
	// included, and two entries must come out of them.
	outOfScope := whole.top == m.oos()
	classify := func(r reading) verdict {
		if outOfScope {
			return m.classify(r)
		}
		return m.classifyIn(r, &whole)
	}
	if len(text) > maxPartsBytes {
		return plan{}, false
	}
	segs := segments(text)
	if len(segs) < 2 {
		return plan{}, false
	}
	var pl plan
	unclear := ""
	asked := 0
	pr := newPieceReader(segs)
	for _, s := range segs {
		if asked == maxParts {
			break
		}
		r, statement, skipped := pr.next(m, s)
		if skipped != "" {
			note(partNote{text: s.text, skipped: skipped})
			continue
		}
		asked++
		v := classify(r)
		if statement != "" && !m.confidentPart(v) {
			v = classify(m.read(statement+". "+s.text, true))
		}
		taken := m.confidentPart(v) || m.agreedPart(v, whole)
		note(partNote{text: s.text, v: v, taken: taken})
		switch {
		case taken:
			if !containsInt(pl.entries, v.top) {
				pl.entries = append(pl.entries, v.top)
				pl.scores = append(pl.scores, v.conf)
			}
		case s.marked && r.content >= 3 && (v.top == m.oos() || v.probs[v.topIn] < m.trained.thresholds.Suggest):
			unclear = s.text
		}
	}
	switch {
	case len(pl.entries) >= 2:
	case outOfScope:
		return plan{}, false
	case len(pl.entries) == 1 && unclear != "" && (!m.confident(whole) || whole.top == pl.entries[0]):
		pl.unanswered = unclear
	default:
		return plan{}, false
	}
	pl.decision = Answer
	pl.score = 1
	for _, s := range pl.scores {
		pl.score = min(pl.score, s)
	}
	return pl, true
}
