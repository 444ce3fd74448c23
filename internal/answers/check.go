package answers

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Problem is one thing wrong in faq.yaml, at a line staff can go to.
type Problem struct {
	Path string
	Line int
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.Path, p.Line, p.Msg) }

var kebabCase = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// requiredMessages are the bot's own sentences it cannot work without.
var requiredMessages = []string{"fallback", "fallback_short", "suggest_intro"}

var deadlineMessages = []string{"deadline_open", "deadline_last_day", "deadline_closed"}

// Check lists every problem in a FAQ: ids, empty or broken texts, links,
// unknown facts, conflicting synonyms, and alternates that another entry
// matches better than their own. A FAQ without problems returns nil.
func Check(faq *FAQ) []Problem {
	c := checker{faq: faq}
	c.formURL()
	c.facts()
	c.messages()
	c.entries()
	c.synonyms()
	c.smallTalk()
	if len(c.problems) == 0 {
		// Matching only means something once the texts are sound.
		if m, err := NewMatcher(faq); err != nil {
			c.add(0, "%v", err)
		} else {
			c.offTopicUsed(m)
			c.conflicts(m)
		}
	}
	return c.problems
}

type checker struct {
	faq      *FAQ
	problems []Problem
}

func (c *checker) add(line int, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: c.faq.Path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) formURL() {
	if err := checkURL(c.faq.FormURL.Value); err != nil {
		c.add(c.faq.FormURL.Line, "form_url: %v", err)
	}
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Errorf("malformed URL %q", raw)
	case u.Scheme != "https" && u.Scheme != "http":
		return fmt.Errorf("URL %q must start with https://", raw)
	case u.Host == "" || !strings.Contains(u.Host, ".") || strings.ContainsAny(u.Host, " <>|"):
		return fmt.Errorf("URL %q has no valid host", raw)
	}
	return nil
}

// slackLink finds <url|label> and <url> links in mrkdwn; bareURL the rest.
var (
	slackLink = regexp.MustCompile(`<([^<>|]*)(\|[^<>]*)?>`)
	bareURL   = regexp.MustCompile(`https?://[^\s<>|)]+`)
)

// links checks the URLs of one text.
func (c *checker) links(line int, where, text string) {
	for _, m := range slackLink.FindAllStringSubmatch(text, -1) {
		target := m[1]
		if strings.HasPrefix(target, "@") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "!") {
			continue
		}
		if err := checkURL(target); err != nil {
			c.add(line, "%s: link %v", where, err)
		}
	}
	rest := slackLink.ReplaceAllString(text, "")
	if strings.Contains(rest, "<http") {
		c.add(line, "%s: a link opened with < is never closed with >", where)
	}
	for _, u := range bareURL.FindAllString(rest, -1) {
		if err := checkURL(strings.TrimRight(u, ".,;:!?")); err != nil {
			c.add(line, "%s: %v", where, err)
		}
	}
}

// placeholdersKnown reports {{names}} that are neither facts nor computed.
func (c *checker) placeholdersKnown(line int, where, text string, extra ...string) {
	for _, name := range placeholders(text) {
		if _, ok := c.faq.Fact(name); ok {
			continue
		}
		switch name {
		case placeholderFormURL, placeholderDeadline:
			continue
		case placeholderDeadlineStatus:
			if _, ok := c.faq.Fact(placeholderDeadline); ok {
				continue
			}
			c.add(line, "%s: {{deadline_status}} needs a deadline fact", where)
			continue
		}
		if contains(extra, name) {
			continue
		}
		c.add(line, "%s: unknown fact {{%s}}", where, name)
	}
}

func (c *checker) facts() {
	seen := map[string]int{}
	for _, f := range c.faq.Facts {
		if first, dup := seen[f.Name]; dup {
			c.add(f.Line, "fact %q already defined at line %d", f.Name, first)
		}
		seen[f.Name] = f.Line
		if strings.TrimSpace(f.Value) == "" {
			c.add(f.Line, "fact %q is empty", f.Name)
		}
		c.links(f.Line, "fact "+f.Name, f.Value)
		if len(placeholders(f.Value)) > 0 {
			c.add(f.Line, "fact %q: facts cannot use {{placeholders}}", f.Name)
		}
	}
	if _, ok, err := c.faq.Deadline(); ok && err != nil {
		c.add(seen[placeholderDeadline], "%v", err)
	}
}

func (c *checker) messages() {
	required := requiredMessages
	if _, ok := c.faq.Fact(placeholderDeadline); ok {
		required = append(required, deadlineMessages...)
	}
	for _, name := range required {
		if strings.TrimSpace(c.faq.Messages[name].Value) == "" {
			c.add(0, "messages: %q is missing or empty", name)
		}
	}
	for name, msg := range c.faq.Messages {
		c.placeholdersKnown(msg.Line, "message "+name, msg.Value, placeholderDays)
		c.links(msg.Line, "message "+name, msg.Value)
	}
}

func (c *checker) entries() {
	ids := map[string]int{}
	phrasings := map[string]string{} // normalised phrasing -> where
	for _, e := range c.faq.Entries {
		switch {
		case e.ID == "":
			c.add(e.Line, "entry without an id")
		case !kebabCase.MatchString(e.ID):
			c.add(e.Line, "id %q must be kebab-case (a-z, 0-9, dashes)", e.ID)
		}
		if first, dup := ids[e.ID]; dup && e.ID != "" {
			c.add(e.Line, "duplicate id %q (first at line %d)", e.ID, first)
		} else {
			ids[e.ID] = e.Line
		}
		if strings.TrimSpace(e.Question.Value) == "" {
			c.add(e.Line, "entry %q: empty question", e.ID)
		}
		if strings.TrimSpace(e.Answer.Value) == "" {
			c.add(max(e.Answer.Line, e.Line), "entry %q: empty answer", e.ID)
		}
		c.placeholdersKnown(e.Answer.Line, "entry "+e.ID, e.Answer.Value)
		c.links(e.Answer.Line, "entry "+e.ID, e.Answer.Value)
		for _, p := range append([]Text{e.Question}, e.Alternates...) {
			if strings.TrimSpace(p.Value) == "" {
				if p.Line != e.Question.Line {
					c.add(p.Line, "entry %q: empty alternate", e.ID)
				}
				continue
			}
			key := Normalise(p.Value)
			if where, dup := phrasings[key]; dup {
				c.add(p.Line, "entry %q: %q already appears (%s)", e.ID, p.Value, where)
			}
			phrasings[key] = fmt.Sprintf("entry %s, line %d", e.ID, p.Line)
		}
	}
}

// synonyms reports a word that two groups claim: the matcher would read it
// as only one of them.
func (c *checker) synonyms() {
	a := &analyser{abbreviations: map[string][]string{}}
	for _, ab := range c.faq.Abbreviations {
		a.abbreviations[Normalise(ab.From)] = words(ab.To)
	}
	owner := map[string]SynonymGroup{}
	for _, g := range c.faq.Synonyms {
		if len(g.Terms) < 2 {
			c.add(g.Line, "synonym group %v needs at least two terms", g.Terms)
		}
		for _, t := range g.Terms {
			key := stemKey(a.expand(words(t)))
			if key == "" {
				c.add(g.Line, "synonym %q is empty once normalised", t)
				continue
			}
			if prev, dup := owner[key]; dup && prev.Line != g.Line {
				c.add(g.Line, "synonym %q is also in the group at line %d (%s): the matcher reads it as only one", t, prev.Line, prev.Terms[0])
			}
			owner[key] = g
		}
	}
}

func (c *checker) smallTalk() {
	for _, st := range c.faq.SmallTalk {
		if st.Kind == "" {
			c.add(st.Line, "smalltalk without a kind")
		}
		if len(st.Words) == 0 {
			c.add(st.Line, "smalltalk %q has no words", st.Kind)
		}
		if strings.TrimSpace(st.Reply.Value) == "" {
			c.add(st.Line, "smalltalk %q has an empty reply", st.Kind)
		}
		c.placeholdersKnown(st.Reply.Line, "smalltalk "+st.Kind, st.Reply.Value)
	}
}

// offTopicUsed reports an off-topic subject that an entry's questions
// use: the entry would be unreachable through those words.
func (c *checker) offTopicUsed(m *Matcher) {
	for _, e := range m.index.entries {
		for t := range e.asked {
			if !strings.HasPrefix(t, offTopicPrefix) {
				continue
			}
			line := 0
			for _, g := range c.faq.OffTopic {
				if offTopicPrefix+canonicalTerm(g.Terms[0]) == t {
					line = g.Line
				}
			}
			c.add(line, "off_topic %q is used by entry %q: remove the word from off_topic or from the entry", strings.TrimPrefix(t, offTopicPrefix), e.entry.ID)
		}
	}
}

// conflicts finds phrasings that the matcher would send to another entry:
// each phrasing is matched with itself left out of its entry, as a
// candidate's question worded the same way would be.
func (c *checker) conflicts(m *Matcher) {
	for i := range m.index.entries {
		own := &m.index.entries[i]
		for j := range own.phrasings {
			text := own.entry.Question
			if j > 0 {
				text = own.entry.Alternates[j-1]
			}
			if len(own.phrasings[j].terms) == 0 {
				c.add(text.Line, "entry %q: %q has no words the matcher can use", own.entry.ID, text.Value)
				continue
			}
			q := m.index.query(m.analyser.analyse(text.Value, false), m.tuning)
			mine := m.score(q, own, nil).score
			alone := m.score(q, own, &own.phrasings[j]).score
			var rival scored
			for k := range m.index.entries {
				if other := &m.index.entries[k]; other != own {
					if s := m.score(q, other, nil); s.score > rival.score {
						rival = s
					}
				}
			}
			switch {
			case rival.entry == nil:
			case rival.score > mine-m.tuning.Margin:
				c.add(text.Line, "entry %q: %q matches entry %q about as well (%.2f against %.2f): reword it or move it",
					own.entry.ID, text.Value, rival.entry.entry.ID, rival.score, mine)
			case rival.score > alone+strayMargin:
				c.add(text.Line, "entry %q: %q matches entry %q better than the rest of its entry does (%.2f against %.2f): check it belongs here",
					own.entry.ID, text.Value, rival.entry.entry.ID, rival.score, alone)
			}
		}
	}
}

// A phrasing conflicts when another entry scores within the matcher's
// margin of its own entry: asked as it is written, the bot would hesitate.
// It strays when, left out of its own entry, another entry beats the rest
// of its entry by strayMargin: its words belong to that other entry.
const strayMargin = 0.4
