package console

import (
	"context"
	"errors"
	"fmt"

	"github.com/betagouv/bin-bot/internal/learn"
	"github.com/betagouv/bin-bot/internal/store"
)

// OffTopic settles the handoff of question qid as off topic (Hors sujet on
// its card): the matcher learns its text as a message no entry answers,
// applied at once. The answer is for the staff member who clicked.
func (c *Console) OffTopic(ctx context.Context, user string, qid int64) (string, error) {
	q, err := c.store.Question(ctx, qid)
	if errors.Is(err, store.ErrNotFound) || (err == nil && learn.Clean(q.Text) == "") {
		return "Cette question n'est plus enregistrée (durée de conservation dépassée).", nil
	}
	if err != nil {
		return "", err
	}
	text := learn.Clean(q.Text)
	changed, err := c.faq.MarkOffTopic(ctx, store.OffTopic{QuestionID: qid, Text: text, AddedBy: user, AddedAt: c.now()})
	if err != nil {
		return "", err
	}
	if !changed {
		return "Cette question est déjà traitée.", nil
	}
	c.log.Info("question marked off topic", "question_id", qid, "user_id", user)
	return fmt.Sprintf("✅ « %s » est notée hors sujet : le bot apprend qu'aucune entrée n'y répond.", fromSlack(text)), nil
}
