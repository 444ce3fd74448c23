package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// Upload is a file posted to an upload URL the fake gave out.
type Upload struct {
	FileID   string
	Filename string
	Data     []byte
}

// ServeUploads serves Slack's external upload flow: files.getUploadURLExternal
// gives an upload URL on this fake and a fresh file id (F1, F2...), the
// bytes posted there are kept for NextUpload, and
// files.completeUploadExternal returns the files it is given. Both methods'
// calls are also kept for NextCall. files.info says every file is a
// processed PNG.
func (s *Server) ServeUploads() {
	s.mu.Lock()
	if s.uploads != nil {
		s.mu.Unlock()
		return
	}
	s.uploads = make(chan Upload, 100)
	s.mu.Unlock()
	s.Answer("files.getUploadURLExternal", func(c Call) any {
		id := fmt.Sprintf("F%d", s.fileIDs.Add(1))
		return map[string]any{"ok": true, "file_id": id, "upload_url": s.URL + "upload/" + id}
	})
	s.Answer("files.completeUploadExternal", func(c Call) any {
		var files []map[string]any
		if err := json.Unmarshal([]byte(c.Form.Get("files")), &files); err != nil || len(files) == 0 {
			return map[string]any{"ok": false, "error": "invalid_arguments"}
		}
		return map[string]any{"ok": true, "files": files}
	})
	s.Answer("files.info", func(c Call) any {
		return map[string]any{"ok": true, "file": map[string]any{"id": c.Form.Get("file"), "mimetype": "image/png"}}
	})
	s.mux.HandleFunc("POST /upload/{id}", func(w http.ResponseWriter, r *http.Request) {
		f, header, err := r.FormFile("file")
		if err != nil {
			http.Error(w, "no file", http.StatusBadRequest)
			return
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, 8<<20))
		if err != nil {
			http.Error(w, "bad file", http.StatusBadRequest)
			return
		}
		select {
		case s.uploads <- Upload{FileID: r.PathValue("id"), Filename: header.Filename, Data: data}:
		default:
		}
		fmt.Fprintf(w, "OK - %d", len(data))
	})
}

// NextUpload waits for the next file posted to an upload URL.
func (s *Server) NextUpload(t testing.TB) Upload {
	t.Helper()
	s.mu.Lock()
	ch := s.uploads
	s.mu.Unlock()
	if ch == nil {
		t.Fatal("uploads are not served: call ServeUploads first")
	}
	select {
	case u := <-ch:
		return u
	case <-time.After(WaitFor):
		t.Fatalf("no upload within %s", WaitFor)
		return Upload{}
	}
}
