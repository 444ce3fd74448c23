package slackapp

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzRefused sends any body to any /slack/* route without a valid
// signature: missing, made with another secret, too old, or arbitrary
// header values. Every one gets 401 and changes nothing: no question, no
// vote, no Slack call. FuzzEvents and FuzzForms cover signed bodies.
func FuzzRefused(f *testing.F) {
	ta := newTestApp(f, newFakeSlack(f), "", false)
	question := callback("Ev1", message("D1", "im", "U1", "1.1", "Quel est le salaire ?"))
	paths := []string{"/slack/events", "/slack/commands", "/slack/interactions"}
	for how := uint8(signedNot); how < signingWays; how++ {
		f.Add(uint8(0), question, how, "v0=")
		f.Add(uint8(1), []byte("command=%2Fbin&text=stats&user_id=USTAFF"), how, "v0=00")
		f.Add(uint8(2), blockActions("U1", actionPick+"0", "1:salaire", "D1", "1.2", "1.1", "t"), how, "")
	}
	f.Add(uint8(0), []byte(`{"type":"url_verification","challenge":"abc"}`), uint8(signedGarbage), "v1=abc")
	f.Add(uint8(1), []byte("ssl_check=1&token=x"), uint8(signedNot), "")
	f.Fuzz(func(t *testing.T, route uint8, body []byte, how uint8, garbage string) {
		if how%signingWays == signedProperly {
			how = signedNot
		}
		path := paths[int(route)%len(paths)]
		before := ta.fuzzState(t)
		r := fuzzRequest(how, path, "application/json", body, garbage)
		w := ta.serve(r)
		if form, err := url.ParseQuery(string(body)); path == "/slack/commands" && r.Header.Get("X-Slack-Signature") == "" &&
			len(body) <= maxSSLCheck && err == nil && form.Get("ssl_check") == "1" {
			// Slack's ssl_check comes unsigned: 200, and nothing else.
			if after := ta.fuzzState(t); w.Code != http.StatusOK || after != before {
				t.Fatalf("ssl_check = %d, state %+v -> %+v", w.Code, before, after)
			}
			return
		}
		checkRefused(t, w, before, ta.fuzzState(t))
	})
}
