package slackapp

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/betagouv/bin-bot/internal/console"
	"github.com/betagouv/bin-bot/internal/store"
)

// The Répondre modal: its callback id, and the block and action ids of
// its inputs. private_metadata carries the question id.
const (
	answerCallback = "handoff_answer"
	answerBlock    = "answer"
	answerAction   = "text"
	draftBlock     = "draft"
	draftAction    = "keep"
	modalAttach    = "attach"
	modalEntry     = "entry"
)

// ModalOpener is the part of *slack.Client that opens modals.
type ModalOpener interface {
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
}

// triggerWithin is how long views.open may take: Slack's trigger_id
// expires 3 s after the click, and the click must be acknowledged too.
const triggerWithin = 2500 * time.Millisecond

// openAnswerModal opens the Répondre modal for question qid, inside the
// click's request: the trigger_id would expire after it.
func (a *App) openAnswerModal(ctx context.Context, triggerID string, qid int64, user string) {
	q, err := a.store.Question(ctx, qid)
	if err != nil {
		a.log.Info("answer modal for a question gone", "question_id", qid, "err", err)
		return
	}
	if a.views == nil || triggerID == "" {
		a.log.Warn("answer modal cannot be opened", "question_id", qid, "has_trigger", triggerID != "")
		return
	}
	ctx, cancel := context.WithTimeout(ctx, triggerWithin)
	defer cancel()
	if _, err := a.views.OpenViewContext(ctx, triggerID, a.answerModal(q)); err != nil {
		f := classify(err)
		a.metrics.errors.WithLabelValues("views.open", f.Code).Inc()
		a.log.Error("open answer modal", "question_id", qid, "user_id", user, "err", err)
	}
}

// answerModal asks for the team's answer to q, and whether to keep it as
// a draft FAQ entry or attach q to an entry.
func (a *App) answerModal(q store.Question) slack.ModalViewRequest {
	text := slack.NewPlainTextInputBlockElement(plain("La réponse, telle que le candidat la lira"), answerAction).WithMultiline(true)
	keep := slack.NewCheckboxGroupsBlockElement(draftAction,
		slack.NewOptionBlockObject("draft", plain("Garder la question et cette réponse comme brouillon d'entrée de la FAQ (relu avec bot learn --drafts)"), nil))
	blocks := []slack.Block{
		section("modal-question", "*Question :*\n"+quote(quoteSafe(q.Text, maxSectionText-200))),
		slack.NewInputBlock(answerBlock, plain("Réponse de l'équipe"), nil, text),
		slack.NewInputBlock(draftBlock, plain("Brouillon"), nil, keep).WithOptional(true),
	}
	var options []*slack.OptionBlockObject
	var entries []console.Entry
	if m := a.matcher(); m != nil {
		entries = entriesOf(m)
	}
	for i, e := range entries {
		if i == maxOptions {
			break
		}
		options = append(options, slack.NewOptionBlockObject(e.ID, plain(truncate(e.Question, maxOptionText)), nil))
	}
	if len(options) > 0 {
		menu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Choisir une entrée"), modalEntry, options...)
		blocks = append(blocks, slack.NewInputBlock(modalAttach, plain("Rattacher la question à une entrée existante"), nil, menu).WithOptional(true))
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: answerCallback,
		PrivateMetadata: strconv.FormatInt(q.ID, 10), Title: plain("Répondre au candidat"),
		Submit: plain("Envoyer"), Close: plain("Annuler"), Blocks: slack.Blocks{BlockSet: blocks}}
}

// submitAnswer takes the Répondre modal's answer: it records it for the
// outbox to post in the candidate's thread, closes the handoff, and keeps
// the draft or attaches the question when asked. A nil response closes the
// modal; errors keep it open, saying what to fix.
func (a *App) submitAnswer(ctx context.Context, ic slack.InteractionCallback) (*slack.ViewSubmissionResponse, error) {
	staff := ic.User.ID
	refuse := func(block, why string) (*slack.ViewSubmissionResponse, error) {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{block: why}), nil
	}
	if !a.cfg.StaffIDs[staff] {
		a.metrics.handoffs.WithLabelValues("refused").Inc()
		a.log.Info("staff answer refused", "user_id", staff)
		return refuse(answerBlock, cardRefusal)
	}
	qid, err := strconv.ParseInt(ic.View.PrivateMetadata, 10, 64)
	if err != nil {
		a.log.Info("staff answer without a question", "user_id", staff)
		return refuse(answerBlock, "Cette fenêtre ne correspond à aucune question : rouvrez-la depuis la carte.")
	}
	var values map[string]map[string]slack.BlockAction
	if ic.View.State != nil {
		values = ic.View.State.Values
	}
	text := strings.TrimSpace(values[answerBlock][answerAction].Value)
	if text == "" {
		return refuse(answerBlock, "Écrivez la réponse à envoyer.")
	}
	q, err := a.store.Question(ctx, qid)
	if errors.Is(err, store.ErrNotFound) {
		return refuse(answerBlock, "Cette question n'est plus enregistrée (durée de conservation dépassée).")
	}
	if err != nil {
		return nil, err
	}
	log := a.log.With("question_id", qid, "user_id", staff)
	// One view is one answer: submitting it again posts nothing more.
	_, fresh, err := a.outbox.Record(ctx, store.Question{EventID: "staff:" + firstOf(ic.View.ID, ic.TriggerID),
		Kind: store.KindStaffAnswer, ParentID: qid, Text: text, UserID: staff, Channel: q.Channel,
		ChannelType: q.ChannelType, ThreadTS: q.ThreadTS, AskedAt: a.now()})
	if err != nil || !fresh {
		return nil, err
	}
	if _, err := a.store.AnswerHandoff(ctx, qid, staff, a.now()); err != nil {
		return nil, err
	}
	// Staff have spoken in the thread: the bot leaves its follow-ups to them.
	if _, err := a.store.NoteThreadAuthor(ctx, q.Channel, q.ThreadTS, staff); err != nil {
		return nil, err
	}
	if len(values[draftBlock][draftAction].SelectedOptions) > 0 {
		if err := a.store.AddDraft(ctx, store.Draft{QuestionID: qid, Question: q.Text, Answer: text, AddedBy: staff, AddedAt: a.now()}); err != nil {
			return nil, err
		}
		log.Info("staff answer kept as a draft entry")
	}
	a.metrics.handoffs.WithLabelValues("replied").Inc()
	log.Info("staff answer recorded")
	if entry := values[modalAttach][modalEntry].SelectedOption.Value; entry != "" {
		a.attachLater(ctx, staff, qid, entry)
	}
	return nil, nil
}

// attachLater attaches the question to the entry picked in the modal once
// the modal is closed: relearning takes longer than Slack waits for the
// submission's answer. A wording refused is in the log; the question stays
// in /bin unanswered and on its card's menu to attach elsewhere.
func (a *App) attachLater(ctx context.Context, staff string, qid int64, entry string) {
	ok := a.jobs.do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commandTimeout)
		defer cancel()
		msg, err := a.console.Attach(ctx, staff, qid, entry)
		if err != nil {
			a.log.Error("attach from the answer modal", "question_id", qid, "entry_id", entry, "err", err)
			return
		}
		a.metrics.handoffs.WithLabelValues("attached").Inc()
		a.log.Info("attach from the answer modal", "question_id", qid, "entry_id", entry, "result", msg)
	})
	if !ok {
		a.log.Warn("shutting down: attach from the answer modal dropped", "question_id", qid)
	}
}
