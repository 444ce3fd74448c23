package answers

import (
	"strings"
)

// Announcement is the programme's announcement, cut into its sections: the
// text every answer's sources quote.
type Announcement struct {
	Path     string
	Sections []Section
}

// Section is one heading of the announcement and the text under it.
type Section struct {
	Heading string
	Text    string
}

// ParseAnnouncement cuts a Markdown page at its ## and ### headings; the
// front matter and what precedes the first heading form a section with
// an empty heading.
func ParseAnnouncement(path, text string) *Announcement {
	a := &Announcement{Path: path}
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				lines = lines[i+1:]
				break
			}
		}
	}
	cur := Section{}
	var body []string
	flush := func() {
		cur.Text = strings.Join(body, "\n")
		a.Sections = append(a.Sections, cur)
		body = nil
	}
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "## ") || strings.HasPrefix(trimmed, "### ") {
			flush()
			cur = Section{Heading: strings.TrimSpace(strings.TrimLeft(trimmed, "#"))}
			continue
		}
		body = append(body, line)
	}
	flush()
	return a
}

// Section returns the section with that heading, compared as quotes are.
func (a *Announcement) Section(heading string) (Section, bool) {
	want := foldQuote(heading)
	for _, s := range a.Sections {
		if s.Heading != "" && foldQuote(s.Heading) == want {
			return s, true
		}
	}
	return Section{}, false
}

// Headings lists the announcement's section headings.
func (a *Announcement) Headings() []string {
	var out []string
	for _, s := range a.Sections {
		if s.Heading != "" {
			out = append(out, s.Heading)
		}
	}
	return out
}

// Quotes reports whether the section's text holds the quote, compared
// after folding case, spaces, apostrophes and quotation marks, and Markdown
// emphasis, so that a quote copied from the page as read still matches.
func (s Section) Quotes(quote string) bool {
	q := foldQuote(quote)
	return q != "" && strings.Contains(foldQuote(s.Text), q)
}

var quoteFolder = strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'", "“", "\"", "”", "\"", "«", "\"", "»", "\"",
	"\u00a0", " ", "\u202f", " ", "*", "", "_", "", "œ", "oe", "Œ", "oe")

func foldQuote(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(quoteFolder.Replace(s))), " ")
}
