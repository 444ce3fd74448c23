package answers

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Phrasing is one labelled message the model learns from: the way someone
// asked for an entry, or a message no entry answers (Class OutOfScope).
type Phrasing struct {
	Text  string
	Class string
	// Group names who wrote it (faq.yaml, a writer's file, a staff
	// attachment): the model learns how to trust its memory by asking each
	// group's phrasings of the others, as a new candidate would.
	Group string
	Path  string
	Line  int
	// Labelled is true for a labelled set (a list of {q, entry}): questions
	// written as candidates ask them, out-of-scope ones mixed in.
	Labelled bool
}

// TwoPart is a labelled message that asks two things.
type TwoPart struct {
	Text     string
	Classes  []string
	Group    string
	Labelled bool // from a labelled set, as Phrasing.Labelled
}

// Training is everything the model learns from besides faq.yaml.
type Training struct {
	Phrasings []Phrasing
	TwoParts  []TwoPart
	Files     []string
}

// LoadTraining reads every .yaml file of a folder. Each is either a
// writer's file (entries: {id: [phrasings]}, out_of_scope: [...],
// two_part: [{q, entry: [a, b]}]) or a labelled list like an eval set
// ([{q, entry}], entry an id, none, or a list of ids).
func LoadTraining(dir string) (*Training, error) {
	paths, err := trainingFiles(dir)
	if err != nil {
		return nil, err
	}
	// Each file is parsed into its own part, on every core, and the parts
	// put together in the files' order: the same result, and the first
	// file in order that is wrong is the one reported.
	parts := make([]Training, len(paths))
	errs := make([]error, len(paths))
	forEach(len(paths), func(i int) { errs[i] = parts[i].load(paths[i]) })
	t := &Training{}
	for i, p := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		t.Phrasings = append(t.Phrasings, parts[i].Phrasings...)
		t.TwoParts = append(t.TwoParts, parts[i].TwoParts...)
		t.Files = append(t.Files, p)
	}
	return t, nil
}

// trainingFiles lists a training folder's files, in a stable order.
func trainingFiles(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list training files: %w", err)
	}
	sort.Strings(paths)
	return paths, nil
}

func (t *Training) load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read training file: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return yamlError(path, err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	group := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	p := parser{path: path}
	root := doc.Content[0]
	if root.Kind == yaml.SequenceNode {
		cases, err := evalCases(p, root)
		for _, c := range cases {
			t.add(c, group, path, true)
		}
		return err
	}
	return p.mapping(root, func(key string, k, v *yaml.Node) error {
		switch key {
		case "entries":
			return p.mapping(v, func(id string, k, v *yaml.Node) error {
				return p.sequence(v, func(n *yaml.Node) error {
					s, err := p.scalar(n)
					t.Phrasings = append(t.Phrasings, Phrasing{Text: s, Class: id, Group: group, Path: path, Line: n.Line})
					return err
				})
			})
		case "out_of_scope":
			return p.sequence(v, func(n *yaml.Node) error {
				s, err := p.scalar(n)
				t.Phrasings = append(t.Phrasings, Phrasing{Text: s, Class: OutOfScope, Group: group, Path: path, Line: n.Line})
				return err
			})
		case "two_part":
			cases, err := evalCases(p, v)
			for _, c := range cases {
				t.add(c, group, path, false)
			}
			return err
		default:
			return p.errorf(k, "unknown key %q (entries, out_of_scope, two_part)", key)
		}
	})
}

func (t *Training) add(c EvalCase, group, path string, labelled bool) {
	if len(c.Entries) > 1 {
		t.TwoParts = append(t.TwoParts, TwoPart{Text: c.Question, Classes: c.Entries, Group: group, Labelled: labelled})
		return
	}
	t.Phrasings = append(t.Phrasings, Phrasing{Text: c.Question, Class: c.Entry(), Group: group, Path: path, Line: c.Line, Labelled: labelled})
}

// evalCases reads a list of {q, entry}; entry is an id, none, or a list of ids.
func evalCases(p parser, n *yaml.Node) ([]EvalCase, error) {
	var out []EvalCase
	err := p.sequence(n, func(item *yaml.Node) error {
		c := EvalCase{Line: item.Line}
		err := p.mapping(item, func(key string, k, v *yaml.Node) error {
			var err error
			switch key {
			case "q":
				c.Question, err = p.scalar(v)
			case "entry":
				if v.Kind == yaml.SequenceNode {
					c.Entries, err = p.strings(v)
				} else {
					var s string
					s, err = p.scalar(v)
					c.Entries = []string{s}
				}
			default:
				err = p.errorf(k, "unknown key %q (q, entry)", key)
			}
			return err
		})
		if err == nil && (strings.TrimSpace(c.Question) == "" || len(c.Entries) == 0 || c.Entries[0] == "") {
			err = p.errorf(item, "a case needs both q and entry")
		}
		out = append(out, c)
		return err
	})
	return out, err
}

// Without returns the training data less one group (a file, named
// without .yaml); "" leaves it whole.
func (t *Training) Without(group string) *Training {
	if group == "" {
		return t
	}
	out := &Training{}
	for _, p := range t.Phrasings {
		if p.Group != group {
			out.Phrasings = append(out.Phrasings, p)
		}
	}
	for _, p := range t.TwoParts {
		if p.Group != group {
			out.TwoParts = append(out.TwoParts, p)
		}
	}
	for _, f := range t.Files {
		if strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)) != group {
			out.Files = append(out.Files, f)
		}
	}
	return out
}
