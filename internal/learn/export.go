package learn

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/betagouv/bin-bot/internal/answers"
	"github.com/betagouv/bin-bot/internal/store"
)

// Export writes the alternates that faq.yaml lacks into its text, as
// items of their entries' alternates lists (a list is started under the
// question when an entry has none). Every other byte stays as it was,
// comments included. It returns the new text and the alternates written;
// the result is checked to parse with each of them in its entry, and to
// raise no problem that the file did not already have.
func Export(path string, data []byte, alts []store.Alternate) ([]byte, []store.Alternate, error) {
	faq, err := answers.Parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	_, todo := Merge(faq, alts)
	if len(todo) == 0 {
		return data, nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	entries := entryNodes(&doc)
	lines := strings.SplitAfter(string(data), "\n")
	var ins []insertion
	byEntry := map[string][]string{}
	var order []string
	for _, a := range todo {
		if byEntry[a.EntryID] == nil {
			order = append(order, a.EntryID)
		}
		byEntry[a.EntryID] = append(byEntry[a.EntryID], Clean(a.Text))
	}
	for _, id := range order {
		n, ok := entries[id]
		if !ok {
			return nil, nil, fmt.Errorf("%s: entry %s not found", path, id)
		}
		in, err := insertFor(lines, n, byEntry[id])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: entry %s: %w", path, id, err)
		}
		ins = append(ins, in)
	}
	out := apply(lines, ins)
	if err := verify(path, faq, out, todo); err != nil {
		return nil, nil, err
	}
	return out, todo, nil
}

// entryNodes maps entry ids to their mapping nodes.
func entryNodes(doc *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if len(doc.Content) != 1 {
		return out
	}
	list := value(doc.Content[0], "entries")
	if list == nil {
		return out
	}
	for _, e := range list.Content {
		if id := value(e, "id"); id != nil {
			out[id.Value] = e
		}
	}
	return out
}

// value is the value node of key in a mapping node, or nil.
func value(m *yaml.Node, key string) *yaml.Node {
	_, v := keyValue(m, key)
	return v
}

func keyValue(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// insertion is lines to add after line `after` (0-based index).
type insertion struct {
	after int
	text  string
}

// insertFor places texts at the end of the entry's alternates list, or in
// a new list right after its question.
func insertFor(lines []string, entry *yaml.Node, texts []string) (insertion, error) {
	var b strings.Builder
	if list := value(entry, "alternates"); list != nil {
		if list.Kind != yaml.SequenceNode || list.Style&yaml.FlowStyle != 0 || len(list.Content) == 0 {
			return insertion{}, errors.New("alternates is not a block list: add them by hand")
		}
		last := list.Content[len(list.Content)-1]
		line := lines[last.Line-1]
		indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
		if !strings.HasPrefix(line[len(indent):], "-") {
			return insertion{}, errors.New("alternates items are not one per line: add them by hand")
		}
		for _, t := range texts {
			fmt.Fprintf(&b, "%s- %s\n", indent, scalar(t))
		}
		return insertion{after: end(lines, last.Line-1, len(indent)), text: b.String()}, nil
	}
	k, q := keyValue(entry, "question")
	if k == nil {
		return insertion{}, errors.New("no question")
	}
	indent := strings.Repeat(" ", k.Column-1)
	fmt.Fprintf(&b, "%salternates:\n", indent)
	for _, t := range texts {
		fmt.Fprintf(&b, "%s  - %s\n", indent, scalar(t))
	}
	return insertion{after: end(lines, q.Line-1, len(indent)), text: b.String()}, nil
}

// end is the last line of the node starting at line i: lines indented more
// than indent, after it, continue it; trailing blank lines do not.
func end(lines []string, i, indent int) int {
	last := i
	for j := i + 1; j < len(lines); j++ {
		l := strings.TrimRight(lines[j], "\r\n")
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(l)-len(strings.TrimLeft(l, " ")) <= indent {
			break
		}
		last = j
	}
	return last
}

// scalar writes s as a one-line YAML scalar, quoted when it must be.
func scalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// apply inserts from the bottom up, so that earlier line numbers hold.
func apply(lines []string, ins []insertion) []byte {
	sort.Slice(ins, func(i, j int) bool { return ins[i].after > ins[j].after })
	lines = append([]string(nil), lines...)
	for _, in := range ins {
		if !strings.HasSuffix(lines[in.after], "\n") {
			lines[in.after] += "\n"
		}
		lines = append(lines[:in.after+1], append([]string{in.text}, lines[in.after+1:]...)...)
	}
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l)
	}
	return b.Bytes()
}

// verify re-reads the new text: each alternate must be in its entry, and
// check must find nothing the old file did not have.
func verify(path string, old *answers.FAQ, out []byte, added []store.Alternate) error {
	faq, err := answers.Parse(path, out)
	if err != nil {
		return fmt.Errorf("export made faq.yaml unreadable, nothing written: %w", err)
	}
	for _, a := range added {
		found := false
		if e, ok := faq.Entry(a.EntryID); ok {
			for _, alt := range e.Alternates {
				found = found || alt.Value == Clean(a.Text)
			}
		}
		if !found {
			return fmt.Errorf("export: %q did not land in entry %s, nothing written", a.Text, a.EntryID)
		}
	}
	known := map[string]bool{}
	for _, p := range answers.Check(old) {
		known[p.Msg] = true
	}
	var msgs []string
	for _, p := range answers.Check(faq) {
		if !known[p.Msg] {
			msgs = append(msgs, p.String())
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("export would make check fail, nothing written:\n%s", strings.Join(msgs, "\n"))
	}
	return nil
}
