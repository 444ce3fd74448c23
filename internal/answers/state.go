package answers

import (
	"fmt"
	"strings"
	"time"
)

// State is where the call for applications stands on a given day. It is
// computed from two date facts, so staff open a new call by changing dates.
type State string

// The call's states: before the deadline, from it to the programme's
// announced end, and after that end.
const (
	StateOpen   State = "open"
	StateClosed State = "closed"
	StateEnded  State = "ended"
)

// States lists every state, in the order they come.
var States = []State{StateOpen, StateClosed, StateEnded}

func (s State) valid() bool { return s == StateOpen || s == StateClosed || s == StateEnded }

// Variants is a text of faq.yaml that may differ with the call's state.
type Variants struct {
	Text                  // the text in every state; Value is "" when it varies
	States map[State]Text // nil unless the text varies
}

// In returns the text for a state; ended falls back to closed.
func (v Variants) In(s State) Text {
	if v.States == nil {
		return v.Text
	}
	if t, ok := v.States[s]; ok {
		return t
	}
	if s == StateEnded {
		return v.States[StateClosed]
	}
	return Text{Line: v.Line}
}

// Empty reports a text with nothing written in any state.
func (v Variants) Empty() bool {
	for _, t := range v.Texts() {
		if strings.TrimSpace(t.Value) != "" {
			return false
		}
	}
	return true
}

// Texts lists the text of each state once, for checks.
func (v Variants) Texts() []Text {
	if v.States == nil {
		return []Text{v.Text}
	}
	var out []Text
	for _, s := range States {
		if t, ok := v.States[s]; ok {
			out = append(out, t)
		}
	}
	return out
}

// Names of the date facts the state is computed from.
const (
	factDeadline     = "deadline"
	factProgrammeEnd = "programme_end"
)

// date reads a date fact as the start of that day in Paris.
func (f *FAQ) date(name string) (time.Time, bool, error) {
	fact, ok := f.Fact(name)
	if !ok {
		return time.Time{}, false, nil
	}
	v := fact.Value.Value
	t, err := time.ParseInLocation("2006-01-02", v, Paris)
	if err != nil || fact.Value.States != nil {
		return time.Time{}, true, fmt.Errorf("fact %s %q is not a date like 2021-12-09", name, v)
	}
	return t, true, nil
}

// Deadline is the day before which applications must arrive, at midnight Paris time.
func (f *FAQ) Deadline() (time.Time, bool, error) { return f.date(factDeadline) }

// ProgrammeEnd is the programme's announced last day, at midnight Paris time.
func (f *FAQ) ProgrammeEnd() (time.Time, bool, error) { return f.date(factProgrammeEnd) }

// StateAt says where the call stands at a time. Without a deadline the call
// is taken as open; without an end date it never ends.
func (f *FAQ) StateAt(now time.Time) State {
	deadline, ok, err := f.Deadline()
	if !ok || err != nil || now.Before(deadline) {
		return StateOpen
	}
	end, ok, err := f.ProgrammeEnd()
	if ok && err == nil && !now.Before(end.AddDate(0, 0, 1)) {
		return StateEnded
	}
	return StateClosed
}
