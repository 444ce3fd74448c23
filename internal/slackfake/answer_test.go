package slackfake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestAnswerServesAndRecordsAMethod(t *testing.T) {
	s := New(t)
	s.Answer("chat.getPermalink", func(c Call) any {
		return map[string]any{"ok": true, "permalink": "https://x.slack.com/archives/" + c.Form.Get("channel")}
	})
	s.Answer("views.publish", nil)
	resp, err := http.PostForm(s.URL+"chat.getPermalink", url.Values{"channel": {"C1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := s.NextCall(t, "chat.getPermalink"); c.Form.Get("channel") != "C1" {
		t.Fatalf("form %v", c.Form)
	}
	resp, err = http.Post(s.URL+"views.publish", "application/json; charset=utf-8", strings.NewReader(`{"user_id":"U1"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := s.NextCall(t, "views.publish"); string(c.JSON) != `{"user_id":"U1"}` {
		t.Fatalf("json %s", c.JSON)
	}
	s.NoCall(t, "views.publish", 50*time.Millisecond)
}
