// Package answers loads the FAQ, understands candidates' questions and
// chooses a vetted answer. It knows nothing of Slack, HTTP or SQL.
package answers

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FAQ is the bot's knowledge as written in faq.yaml.
type FAQ struct {
	Path            string
	FormURL         Text
	AnnouncementURL Text
	// AnnouncementFile is the announcement's text, beside faq.yaml: the
	// passages sources quote.
	AnnouncementFile Text
	Announcement     *Announcement
	// TrainingDir is the folder of training phrasings named by faq.yaml's
	// training key, resolved beside faq.yaml; "" when there is none.
	TrainingDir   string
	training      Text
	Facts         []Fact
	Messages      map[string]Variants
	MessagesEN    map[string]Variants
	Entries       []Entry
	Synonyms      []SynonymGroup
	Abbreviations []Abbreviation
	SmallTalk     []SmallTalk
	// Qualifiers are terms that usually narrow a question rather than make
	// it ("le salaire d'un dev"): they weigh less beside another topic.
	Qualifiers []Text
	// OffTopic lists subjects the programme's facts say nothing about
	// (holidays, meal vouchers...): a question about them is not answered
	// from the nearest entry.
	OffTopic []SynonymGroup
}

// Text is a string with the line of faq.yaml it came from.
type Text struct {
	Value string
	Line  int
}

// Fact is a programme fact, referenced from answers as {{Name}}; a fact
// named NAME_en is NAME's English text.
type Fact struct {
	Name  string
	Value Variants
	Line  int
}

// Entry is one question of the FAQ with its vetted answer.
type Entry struct {
	ID         string
	Topic      string
	Question   Text
	QuestionEN Text
	Alternates []Text
	Answer     Variants
	AnswerEN   Variants // empty until staff translate the entry
	Sources    []Source
	Line       int
}

// Source is a passage an answer rests on: a section of the announcement
// with a short verbatim quote, or a public page beyond it.
type Source struct {
	Section string
	Quote   string
	URL     string
	Title   string
	Line    int
}

// SynonymGroup lists terms read as the first one.
type SynonymGroup struct {
	Terms []string
	Line  int
}

// Abbreviation is a chat spelling and the words it stands for.
type Abbreviation struct {
	From, To string
	Line     int
}

// SmallTalk is one kind of message that is not a question (greeting, thanks).
type SmallTalk struct {
	Kind    string
	Words   []string
	Reply   Variants
	ReplyEN Variants
	Line    int
}

// Fact returns the named fact.
func (f *FAQ) Fact(name string) (*Fact, bool) {
	for i := range f.Facts {
		if f.Facts[i].Name == name {
			return &f.Facts[i], true
		}
	}
	return nil, false
}

// Entry returns the entry with the given id.
func (f *FAQ) Entry(id string) (*Entry, bool) {
	for i := range f.Entries {
		if f.Entries[i].ID == id {
			return &f.Entries[i], true
		}
	}
	return nil, false
}

// LoadFile reads and parses faq.yaml. Structural errors name the file and line.
func LoadFile(path string) (*FAQ, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read faq: %w", err)
	}
	faq, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := faq.LoadAnnouncement(); err != nil {
		return nil, err
	}
	if dir := faq.training.Value; dir != "" {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(path), dir)
		}
		faq.TrainingDir = dir
	}
	return faq, nil
}

// ParseError is a problem at one line of faq.yaml.
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Parse reads faq.yaml from data; path only names it in errors.
func Parse(path string, data []byte) (*FAQ, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(path, err)
	}
	p := parser{path: path}
	faq := &FAQ{Path: path, Messages: map[string]Variants{}, MessagesEN: map[string]Variants{}}
	if len(doc.Content) != 1 {
		return nil, p.errorf(&doc, "empty document")
	}
	root := doc.Content[0]
	if err := p.mapping(root, func(key string, k, v *yaml.Node) error {
		switch key {
		case "form_url":
			s, err := p.scalar(v)
			faq.FormURL = Text{s, v.Line}
			return err
		case "announcement_url":
			s, err := p.scalar(v)
			faq.AnnouncementURL = Text{s, v.Line}
			return err
		case "training":
			s, err := p.scalar(v)
			faq.training = Text{s, v.Line}
			return err
		case "announcement_file":
			s, err := p.scalar(v)
			faq.AnnouncementFile = Text{s, v.Line}
			return err
		case "facts":
			return p.mapping(v, func(name string, k, v *yaml.Node) error {
				s, err := p.variants(v)
				faq.Facts = append(faq.Facts, Fact{Name: name, Value: s, Line: k.Line})
				return err
			})
		case "messages", "messages_en":
			into := faq.Messages
			if key == "messages_en" {
				into = faq.MessagesEN
			}
			return p.mapping(v, func(name string, k, v *yaml.Node) error {
				s, err := p.variants(v)
				into[name] = s
				return err
			})
		case "entries":
			return p.sequence(v, func(n *yaml.Node) error {
				e, err := p.entry(n)
				faq.Entries = append(faq.Entries, e)
				return err
			})
		case "synonyms":
			return p.sequence(v, func(n *yaml.Node) error {
				terms, err := p.strings(n)
				faq.Synonyms = append(faq.Synonyms, SynonymGroup{Terms: terms, Line: n.Line})
				return err
			})
		case "abbreviations":
			return p.mapping(v, func(from string, k, v *yaml.Node) error {
				s, err := p.scalar(v)
				faq.Abbreviations = append(faq.Abbreviations, Abbreviation{From: from, To: s, Line: k.Line})
				return err
			})
		case "off_topic":
			return p.sequence(v, func(n *yaml.Node) error {
				terms, err := p.strings(n)
				faq.OffTopic = append(faq.OffTopic, SynonymGroup{Terms: terms, Line: n.Line})
				return err
			})
		case "qualifiers":
			return p.sequence(v, func(n *yaml.Node) error {
				q, err := p.scalar(n)
				faq.Qualifiers = append(faq.Qualifiers, Text{q, n.Line})
				return err
			})
		case "smalltalk":
			return p.sequence(v, func(n *yaml.Node) error {
				st, err := p.smallTalk(n)
				faq.SmallTalk = append(faq.SmallTalk, st)
				return err
			})
		default:
			return p.errorf(k, "unknown key %q", key)
		}
	}); err != nil {
		return nil, err
	}
	if faq.FormURL.Value == "" {
		return nil, p.errorf(root, "form_url is missing")
	}
	if len(faq.Entries) == 0 {
		return nil, p.errorf(root, "entries is missing or empty")
	}
	if faq.AnnouncementURL.Value == "" {
		faq.AnnouncementURL = faq.FormURL
	}
	return faq, nil
}

// LoadAnnouncement reads the announcement file named by faq.yaml, relative
// to faq.yaml's folder. A FAQ that names none has no announcement.
func (f *FAQ) LoadAnnouncement() error {
	if f.AnnouncementFile.Value == "" {
		return nil
	}
	path := f.AnnouncementFile.Value
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(f.Path), path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return &ParseError{Path: f.Path, Line: f.AnnouncementFile.Line, Msg: fmt.Sprintf("announcement_file: %v", err)}
	}
	f.Announcement = ParseAnnouncement(path, string(data))
	return nil
}

type parser struct{ path string }

func (p parser) errorf(n *yaml.Node, format string, args ...any) error {
	return &ParseError{Path: p.path, Line: n.Line, Msg: fmt.Sprintf(format, args...)}
}

func (p parser) mapping(n *yaml.Node, each func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "expected a mapping (key: value), found %s", kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return p.errorf(k, "key %q appears twice", k.Value)
		}
		seen[k.Value] = true
		if err := each(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p parser) sequence(n *yaml.Node, each func(*yaml.Node) error) error {
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "expected a list, found %s", kindName(n))
	}
	for _, item := range n.Content {
		if err := each(item); err != nil {
			return err
		}
	}
	return nil
}

func (p parser) scalar(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.errorf(n, "expected text, found %s", kindName(n))
	}
	return n.Value, nil
}

func (p parser) strings(n *yaml.Node) ([]string, error) {
	var out []string
	err := p.sequence(n, func(item *yaml.Node) error {
		s, err := p.scalar(item)
		out = append(out, s)
		return err
	})
	return out, err
}

func (p parser) entry(n *yaml.Node) (Entry, error) {
	e := Entry{Line: n.Line}
	err := p.mapping(n, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "id":
			e.ID, err = p.scalar(v)
		case "topic":
			e.Topic, err = p.scalar(v)
		case "question":
			e.Question.Line = v.Line
			e.Question.Value, err = p.scalar(v)
		case "question_en":
			e.QuestionEN.Line = v.Line
			e.QuestionEN.Value, err = p.scalar(v)
		case "answer":
			e.Answer, err = p.variants(v)
		case "answer_en":
			e.AnswerEN, err = p.variants(v)
		case "sources":
			err = p.sequence(v, func(item *yaml.Node) error {
				src, err := p.source(item)
				e.Sources = append(e.Sources, src)
				return err
			})
		case "alternates":
			err = p.sequence(v, func(item *yaml.Node) error {
				s, err := p.scalar(item)
				e.Alternates = append(e.Alternates, Text{s, item.Line})
				return err
			})
		default:
			err = p.errorf(k, "unknown key %q in entry", key)
		}
		return err
	})
	return e, err
}

func (p parser) smallTalk(n *yaml.Node) (SmallTalk, error) {
	st := SmallTalk{Line: n.Line}
	err := p.mapping(n, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "kind":
			st.Kind, err = p.scalar(v)
		case "words":
			st.Words, err = p.strings(v)
		case "reply":
			st.Reply, err = p.variants(v)
		case "reply_en":
			st.ReplyEN, err = p.variants(v)
		default:
			err = p.errorf(k, "unknown key %q in smalltalk", key)
		}
		return err
	})
	return st, err
}

func (p parser) source(n *yaml.Node) (Source, error) {
	src := Source{Line: n.Line}
	err := p.mapping(n, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "section":
			src.Section, err = p.scalar(v)
		case "quote":
			src.Quote, err = p.scalar(v)
		case "url":
			src.URL, err = p.scalar(v)
		case "title":
			src.Title, err = p.scalar(v)
		default:
			err = p.errorf(k, "unknown key %q in source (section, quote, url, title)", key)
		}
		return err
	})
	return src, err
}

// variants reads a text that is either the same in every state of the call
// or a mapping by state (open, closed, ended).
func (p parser) variants(n *yaml.Node) (Variants, error) {
	if n.Kind == yaml.ScalarNode {
		return Variants{Text: Text{n.Value, n.Line}}, nil
	}
	if n.Kind != yaml.MappingNode {
		return Variants{}, p.errorf(n, "expected text, or texts by state (open, closed, ended), found %s", kindName(n))
	}
	v := Variants{Text: Text{Line: n.Line}, States: map[State]Text{}}
	err := p.mapping(n, func(key string, k, val *yaml.Node) error {
		s := State(key)
		if !s.valid() {
			return p.errorf(k, "unknown state %q: a text by state has open, closed and, optionally, ended", key)
		}
		text, err := p.scalar(val)
		v.States[s] = Text{text, val.Line}
		return err
	})
	if err != nil {
		return v, err
	}
	for _, s := range []State{StateOpen, StateClosed} {
		if _, ok := v.States[s]; !ok {
			return v, p.errorf(n, "a text by state needs %q (and closed, open; ended is optional)", s)
		}
	}
	return v, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// yamlError turns the YAML library's "yaml: line N: msg" into path:N: msg.
func yamlError(path string, err error) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		if i := strings.Index(msg, ":"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
	}
	return &ParseError{Path: path, Line: line, Msg: msg}
}
