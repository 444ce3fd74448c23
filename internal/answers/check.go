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
var requiredMessages = []string{"fallback", "fallback_short", "suggest_intro", "source_line", "button_apply",
	"button_announcement", "part_not_understood"}

var deadlineMessages = []string{"deadline_open", "deadline_last_day", "deadline_closed"}

// messageExtras are the values the code gives messages beside the facts.
var messageExtras = []string{placeholderDays, "sections", "part", "question"}

// topics are the groups of the FAQ shown on the App Home.
var topics = []string{"programme", "ecosysteme", "postes", "conditions", "candidater"}

// Check lists every problem in a FAQ: ids, empty or broken texts, links,
// unknown facts, sources that are not in the announcement, conflicting
// synonyms, training phrasings for unknown entries, and rendered answers
// that read badly in some state of the call. A FAQ without problems
// returns nil.
func Check(faq *FAQ, training ...*Training) []Problem {
	c := checker{faq: faq}
	c.formURL()
	c.facts()
	c.messages()
	c.entries()
	c.synonyms()
	c.smallTalk()
	for _, t := range training {
		c.training(t)
	}
	if len(c.problems) == 0 {
		// Rendering and matching only mean something once the texts are sound.
		c.rendered()
		indexOnly := func(m *Matcher) { m.indexOnly = true }
		if m, err := NewMatcher(faq, indexOnly); err != nil {
			c.add(0, "%v", err)
		} else {
			c.offTopicUsed(m)
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

func (c *checker) addAt(path string, line int, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) formURL() {
	if err := checkURL(c.faq.FormURL.Value); err != nil {
		c.add(c.faq.FormURL.Line, "form_url: %v", err)
	}
	if err := checkURL(c.faq.AnnouncementURL.Value); err != nil {
		c.add(c.faq.AnnouncementURL.Line, "announcement_url: %v", err)
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
		if strings.HasPrefix(target, "@") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "!") ||
			(strings.HasPrefix(target, "{{") && strings.HasSuffix(target, "}}")) {
			// A mention, or a link to a URL fact: placeholdersKnown checks it.
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
		switch {
		case name == placeholderDeadlineStatus || name == placeholderDeadline:
			if _, ok := c.faq.Fact(factDeadline); !ok {
				c.add(line, "%s: {{%s}} needs a deadline fact", where, name)
			}
		case name == placeholderProgrammeEnd:
			if _, ok := c.faq.Fact(factProgrammeEnd); !ok {
				c.add(line, "%s: {{%s}} needs a programme_end fact", where, name)
			}
		case contains(computedPlaceholders, name) || contains(extra, name):
		default:
			if _, ok := c.faq.Fact(name); !ok {
				c.add(line, "%s: unknown fact {{%s}}", where, name)
			}
		}
	}
}

// texts checks every state's text of one faq.yaml text.
func (c *checker) texts(v Variants, where string, required bool, extra ...string) {
	for _, t := range v.Texts() {
		if required && strings.TrimSpace(t.Value) == "" {
			c.add(t.Line, "%s: empty text", where)
		}
		c.placeholdersKnown(t.Line, where, t.Value, extra...)
		c.links(t.Line, where, t.Value)
	}
}

func (c *checker) facts() {
	seen := map[string]int{}
	for _, f := range c.faq.Facts {
		if first, dup := seen[f.Name]; dup {
			c.add(f.Line, "fact %q already defined at line %d", f.Name, first)
		}
		seen[f.Name] = f.Line
		if f.Name == factDeadline || f.Name == factProgrammeEnd {
			if _, _, err := c.faq.date(f.Name); err != nil {
				c.add(f.Line, "%v", err)
			}
			continue
		}
		for _, t := range f.Value.Texts() {
			if strings.TrimSpace(t.Value) == "" && f.Name != "next_call" && f.Name != "next_call_en" {
				c.add(t.Line, "fact %q is empty", f.Name)
			}
			c.links(t.Line, "fact "+f.Name, t.Value)
			if len(placeholders(t.Value)) > 0 {
				c.add(t.Line, "fact %q: facts cannot use {{placeholders}}", f.Name)
			}
		}
	}
	deadline, hasDL, err1 := c.faq.Deadline()
	end, hasEnd, err2 := c.faq.ProgrammeEnd()
	if hasDL && hasEnd && err1 == nil && err2 == nil && end.Before(deadline) {
		c.add(seen[factProgrammeEnd], "programme_end %s is before the deadline %s", end.Format("2006-01-02"), deadline.Format("2006-01-02"))
	}
}

func (c *checker) messages() {
	required := requiredMessages
	if _, ok := c.faq.Fact(factDeadline); ok {
		required = append(required, deadlineMessages...)
	}
	for _, name := range required {
		if c.faq.Messages[name].Empty() {
			c.add(0, "messages: %q is missing or empty", name)
		}
	}
	for name, msg := range c.faq.Messages {
		c.texts(msg, "message "+name, false, messageExtras...)
	}
	for name, msg := range c.faq.MessagesEN {
		if _, ok := c.faq.Messages[name]; !ok && name != "untranslated_note" {
			c.add(msg.Line, "messages_en: %q has no French twin in messages", name)
		}
		c.texts(msg, "message_en "+name, false, messageExtras...)
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
		if e.Topic != "" && !contains(topics, e.Topic) {
			c.add(e.Line, "entry %q: topic %q is not one of %s", e.ID, e.Topic, strings.Join(topics, ", "))
		}
		if strings.TrimSpace(e.Question.Value) == "" {
			c.add(e.Line, "entry %q: empty question", e.ID)
		}
		if e.Answer.Empty() {
			c.add(max(e.Answer.Line, e.Line), "entry %q: empty answer", e.ID)
		} else {
			c.texts(e.Answer, "entry "+e.ID, true)
		}
		if !e.AnswerEN.Empty() {
			c.texts(e.AnswerEN, "entry "+e.ID+" (answer_en)", true)
		}
		c.sources(e)
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

// sources checks that an entry names where its answer comes from, and
// that each quote is really in that section of the announcement.
func (c *checker) sources(e Entry) {
	if len(e.Sources) == 0 {
		c.add(e.Line, "entry %q has no sources: name the announcement's section and quote it", e.ID)
	}
	for _, s := range e.Sources {
		switch {
		case s.Section != "":
			if c.faq.Announcement == nil {
				c.add(s.Line, "entry %q: source section %q but faq.yaml names no announcement_file", e.ID, s.Section)
				continue
			}
			sec, ok := c.faq.Announcement.Section(s.Section)
			if !ok {
				c.add(s.Line, "entry %q: section %q is not a heading of %s (headings: %s)", e.ID, s.Section,
					c.faq.Announcement.Path, strings.Join(c.faq.Announcement.Headings(), " | "))
				continue
			}
			if strings.TrimSpace(s.Quote) == "" {
				c.add(s.Line, "entry %q: source %q needs a quote of the passage", e.ID, s.Section)
			} else if !sec.Quotes(s.Quote) {
				c.add(s.Line, "entry %q: quote %q is not in section %q of %s", e.ID, s.Quote, s.Section, c.faq.Announcement.Path)
			}
		case s.URL != "":
			if err := checkURL(s.URL); err != nil {
				c.add(s.Line, "entry %q: source %v", e.ID, err)
			}
			if s.Title == "" {
				c.add(s.Line, "entry %q: source %s needs a title", e.ID, s.URL)
			}
		default:
			c.add(s.Line, "entry %q: a source needs a section (and quote) or a url (and title)", e.ID)
		}
	}
}

// training reports phrasings for entries faq.yaml does not have.
func (c *checker) training(t *Training) {
	known := map[string]bool{OutOfScope: true}
	for _, e := range c.faq.Entries {
		known[e.ID] = true
	}
	for _, p := range t.Phrasings {
		if !known[p.Class] {
			c.addAt(p.Path, p.Line, "phrasing %q is for entry %q, which faq.yaml does not have", p.Text, p.Class)
		}
		if strings.TrimSpace(p.Text) == "" {
			c.addAt(p.Path, p.Line, "empty phrasing")
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
		if st.Reply.Empty() {
			c.add(st.Line, "smalltalk %q has an empty reply", st.Kind)
		}
		c.texts(st.Reply, "smalltalk "+st.Kind, false)
		c.texts(st.ReplyEN, "smalltalk "+st.Kind+" (reply_en)", false)
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
