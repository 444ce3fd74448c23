package slackfake

import (
	"bytes"
	"testing"

	"github.com/slack-go/slack"
)

// slack-go's three-step upload goes through the fake: the id it returns
// is the one the bytes were posted under.
func TestServeUploads(t *testing.T) {
	s := New(t)
	s.ServeUploads()
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.URL))
	data := []byte("\x89PNG fake bytes")
	f, err := api.UploadFileContext(t.Context(), slack.UploadFileParameters{Filename: "chart.png",
		Reader: bytes.NewReader(data), FileSize: len(data), Title: "chart"})
	if err != nil {
		t.Fatal(err)
	}
	up := s.NextUpload(t)
	if f.ID != "F1" || up.FileID != "F1" || up.Filename != "chart.png" || !bytes.Equal(up.Data, data) {
		t.Errorf("uploaded %+v, posted %q %q %q", f, up.FileID, up.Filename, up.Data)
	}
	if c := s.NextCall(t, "files.getUploadURLExternal"); c.Form.Get("length") != "15" {
		t.Errorf("getUploadURLExternal form %v", c.Form)
	}
	s.NextCall(t, "files.completeUploadExternal")
}
