// Package announce reads the programme's announcements (data/announcements.yaml)
// and works out which are due. Posting them is slackapp's job; claiming
// each post exactly once is the store's.
package announce

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/betagouv/bin-bot/internal/answers"
)

// DefaultGrace is how late a post missed while the bot was down may still go out.
const DefaultGrace = 6 * time.Hour

// Plan is the announcements file.
type Plan struct {
	Path          string
	Grace         time.Duration
	GraceLine     int
	Channels      map[string]Channel // by name
	Announcements []Announcement
}

// Channel is a named Slack channel id.
type Channel struct {
	ID   string
	Line int
}

// Announcement is one message to post: at a time, as reminders before the
// deadline, or (with neither) only when staff send it.
type Announcement struct {
	ID           string
	Channels     []string // names from Plan.Channels, or raw channel ids
	At           time.Time
	Reminders    *Reminders
	Text         string
	Line         int
	AtLine       int
	TextLine     int
	ChannelsLine int
	atText       string // as written, for errors
}

// Reminders generate one post per number of days before the deadline
// (0 is the closing day itself), at a time of day in Paris.
type Reminders struct {
	DaysBefore []int
	Hour, Min  int
	Line       int
}

// Empty returns a plan with no announcements, for a bot without the file.
func Empty() *Plan { return &Plan{Grace: DefaultGrace, Channels: map[string]Channel{}} }

// LoadFile reads an announcements file; a missing file is an empty plan
// when optional is true.
func LoadFile(path string, optional bool) (*Plan, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && optional {
		p := Empty()
		p.Path = path
		return p, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read announcements: %w", err)
	}
	return Parse(path, data)
}

// Parse reads an announcements file from data; path only names it in errors.
func Parse(path string, data []byte) (*Plan, error) {
	p := Empty()
	p.Path = path
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		return nil, p.errorf(0, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, p.errorf(doc.Line, "expected a mapping with announcements")
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "grace":
			d, err := time.ParseDuration(v.Value)
			if err != nil || d <= 0 {
				return nil, p.errorf(v.Line, "grace %q is not a positive duration like 6h", v.Value)
			}
			p.Grace, p.GraceLine = d, v.Line
		case "channels":
			if v.Kind != yaml.MappingNode {
				return nil, p.errorf(v.Line, "channels: expected name: channel id")
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				p.Channels[v.Content[j].Value] = Channel{ID: v.Content[j+1].Value, Line: v.Content[j].Line}
			}
		case "announcements":
			if v.Kind != yaml.SequenceNode {
				return nil, p.errorf(v.Line, "announcements: expected a list")
			}
			for _, n := range v.Content {
				a, err := p.announcement(n)
				if err != nil {
					return nil, err
				}
				p.Announcements = append(p.Announcements, a)
			}
		default:
			return nil, p.errorf(k.Line, "unknown key %q", k.Value)
		}
	}
	return p, nil
}

func (p *Plan) errorf(line int, format string, args ...any) error {
	return &answers.ParseError{Path: p.Path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *Plan) announcement(n *yaml.Node) (Announcement, error) {
	a := Announcement{Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return a, p.errorf(n.Line, "expected an announcement (id, channels, at or reminders, text)")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "id":
			a.ID = v.Value
		case "text":
			a.Text, a.TextLine = v.Value, v.Line
		case "channels":
			if v.Kind != yaml.SequenceNode {
				return a, p.errorf(v.Line, "channels: expected a list")
			}
			a.ChannelsLine = v.Line
			for _, c := range v.Content {
				a.Channels = append(a.Channels, c.Value)
			}
		case "at":
			t, err := ParseTime(v.Value)
			if err != nil {
				return a, p.errorf(v.Line, "at: %v", err)
			}
			a.At, a.AtLine, a.atText = t, v.Line, v.Value
		case "reminders":
			r, err := p.reminders(v)
			if err != nil {
				return a, err
			}
			a.Reminders = r
		default:
			return a, p.errorf(k.Line, "unknown key %q in announcement", k.Value)
		}
	}
	return a, nil
}

func (p *Plan) reminders(n *yaml.Node) (*Reminders, error) {
	r := &Reminders{Hour: 10, Line: n.Line}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n.Line, "reminders: expected days_before and at")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "days_before":
			for _, d := range v.Content {
				days, err := strconv.Atoi(d.Value)
				if err != nil {
					return nil, p.errorf(d.Line, "days_before: %q is not a number of days", d.Value)
				}
				r.DaysBefore = append(r.DaysBefore, days)
			}
		case "at":
			t, err := time.Parse("15:04", v.Value)
			if err != nil {
				return nil, p.errorf(v.Line, "reminders at %q is not a time of day like 10:00", v.Value)
			}
			r.Hour, r.Min = t.Hour(), t.Minute()
		default:
			return nil, p.errorf(k.Line, "unknown key %q in reminders", k.Value)
		}
	}
	return r, nil
}

// ParseTime reads "2021-11-15 10:00" as Paris time, or an RFC 3339 time.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(s), answers.Paris); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a time like 2021-11-15 10:00 (Paris)", s)
}
