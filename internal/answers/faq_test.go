package answers

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseReportsFileAndLine(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		msg        string
	}{
		{"syntax", "form_url: x\nentries:\n  - id: a\n    question: [unclosed\n", 3, ""},
		{"unknown key", "form_url: https://a.fr\nentries:\n  - id: a\n    questoin: Q\n", 4, `unknown key "questoin"`},
		{"wrong type", "form_url: https://a.fr\nentries:\n  - id: a\n    alternates: just one\n", 4, "expected a list"},
		{"duplicate key", "form_url: https://a.fr\nform_url: https://b.fr\nentries: []\n", 2, "appears twice"},
		{"no entries", "form_url: https://a.fr\n", 1, "entries is missing"},
		{"no form", "entries:\n  - id: a\n", 1, "form_url is missing"},
		{"unknown state", "form_url: https://a.fr\nentries:\n  - id: a\n    answer:\n      open: a\n      later: b\n", 6, `unknown state "later"`},
		{"state text without closed", "form_url: https://a.fr\nentries:\n  - id: a\n    answer:\n      open: a\n", 5, `needs "closed"`},
		{"bad source key", "form_url: https://a.fr\nentries:\n  - id: a\n    sources:\n      - page: x\n", 5, `unknown key "page" in source`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("faq.yaml", []byte(c.yaml))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v, want a ParseError", err)
			}
			if pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) || !strings.HasPrefix(err.Error(), "faq.yaml:") {
				t.Errorf("error = %q (line %d), want line %d with %q", err, pe.Line, c.line, c.msg)
			}
		})
	}
}

func TestParseKeepsLines(t *testing.T) {
	faq, err := LoadFile("testdata/faq.yaml")
	if err != nil {
		t.Fatal(err)
	}
	e, ok := faq.Entry("salaire")
	if !ok {
		t.Fatal("no salaire entry")
	}
	if e.Line != 31 || e.Question.Line != 32 || e.Alternates[0].Line != 34 {
		t.Errorf("lines = entry %d, question %d, alternate %d", e.Line, e.Question.Line, e.Alternates[0].Line)
	}
}

// FuzzParse feeds faq.yaml-like bytes: Parse, Check and NewMatcher must
// return errors, never panic, and any error must name the file.
func FuzzParse(f *testing.F) {
	// The small test FAQ: the real one makes each run too slow to explore.
	for _, path := range []string{"testdata/faq.yaml"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("form_url: x\nentries:\n  - id: [\n"))
	f.Add([]byte("form_url: https://a.fr\nentries:\n  - id: a\n    question: q\n    answer: '{{deadline_status}}'\nfacts:\n  deadline: 2021-13-45\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16<<10 {
			t.Skip("larger than any faq.yaml worth fuzzing")
		}
		faq, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		Check(faq)
		if m, err := NewMatcher(faq); err == nil {
			m.Match("quel est le salaire ?")
		}
	})
}
