package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// testCache holds the models the tests learn, shared by the whole test
// binary: the shipped FAQ is learned once, not once a test.
var testCache = filepath.Join(os.TempDir(), "bin-bot-test-cache")

// runBot runs the real command line with BOT_FAQ pointing at faq.
func runBot(t *testing.T, faq string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	env := map[string]string{"BOT_FAQ": faq, "BOT_CACHE": testCache}
	var out, errOut bytes.Buffer
	err = run(t.Context(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

const (
	testFAQ = "../../internal/answers/testdata/faq.yaml"
	realFAQ = "../../data/faq.yaml"
)

func TestAskJSONHasTheContractShape(t *testing.T) {
	cases := map[string][2]string{
		"answer":   {testFAQ, "Quel est le salaire ?"},
		"suggest":  {realFAQ, "le contrat après 2023"},
		"fallback": {testFAQ, "il pleut à Brest ?"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			out, _, err := runBot(t, c[0], "", "ask", "--json", c[1])
			if err != nil {
				t.Fatal(err)
			}
			var obj map[string]any
			dec := json.NewDecoder(strings.NewReader(out))
			if err := dec.Decode(&obj); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out)
			}
			if dec.More() {
				t.Fatalf("more than one JSON value: %s", out)
			}
			contract := []string{"decision", "entry_id", "question", "score", "answer", "form_url", "suggestions", "parts", "lang"}
			for _, k := range contract {
				if _, ok := obj[k]; !ok {
					t.Errorf("key %q missing", k)
				}
			}
			// Beyond the contract: the source line and the reply's button (README).
			for k := range obj {
				if !contains(contract, k) && k != "source" && k != "link" {
					t.Errorf("key %q is neither in the contract nor documented", k)
				}
			}
			if obj["decision"] != name {
				t.Errorf("decision = %v, want %s", obj["decision"], name)
			}
			golden(t, filepath.Join("testdata", "ask-"+name+".golden"), out)
		})
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if maskScores(got) != maskScores(string(want)) {
		t.Errorf("output differs from %s:\ngot:  %s\nwant: %s", path, got, want)
	}
}

// scoreField is a probability in the JSON: it moves with every change of
// the training data, which the golden files are not about.
var scoreField = regexp.MustCompile(`"score":[0-9.e-]+`)

func maskScores(s string) string { return scoreField.ReplaceAllString(s, `"score":…`) }

func TestAskPlain(t *testing.T) {
	out, _, err := runBot(t, testFAQ, "", "ask", "quel", "est", "le", "salaire")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "[answer salaire") || !strings.Contains(out, "Le salaire va de 3 500 €") || !strings.Contains(out, "[Voir l'annonce] https://example.gouv.fr/annonce") {
		t.Errorf("ask printed:\n%s", out)
	}
}

func TestUsageAndErrors(t *testing.T) {
	out, _, err := runBot(t, testFAQ, "")
	if err != nil || !strings.Contains(out, "Usage: bot COMMAND") {
		t.Errorf("no command: err %v, out %q", err, out)
	}
	if _, _, err := runBot(t, testFAQ, "", "nope"); !errors.Is(err, errUsage) {
		t.Errorf("unknown command: err %v", err)
	}
	if _, _, err := runBot(t, testFAQ, "", "ask"); !errors.Is(err, errUsage) {
		t.Errorf("ask without question: err %v", err)
	}
	if _, _, err := runBot(t, "missing.yaml", "", "ask", "salaire"); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing faq: err %v", err)
	}
}

func TestFAQFlagOverridesEnv(t *testing.T) {
	out, _, err := runBot(t, "missing.yaml", "", "ask", "--faq", testFAQ, "--json", "le salaire ?")
	if err != nil || !strings.Contains(out, `"entry_id":"salaire"`) {
		t.Errorf("--faq did not win over BOT_FAQ: err %v, out %s", err, out)
	}
}

// check --suspects lists faq.yaml's suspect phrasings whether or not the
// model is cached (it was a panic once the cache was warm).
func TestCheckSuspectsWithAWarmCache(t *testing.T) {
	if testing.Short() {
		t.Skip("learns the shipped FAQ")
	}
	if _, _, err := runBot(t, realFAQ, "", "ask", "le salaire ?"); err != nil { // warms the cache
		t.Fatal(err)
	}
	out, errOut, err := runBot(t, realFAQ, "", "check", "--suspects")
	if err != nil || !strings.Contains(out, "read as another entry") {
		t.Fatalf("check --suspects: err %v\nout %s\nerr %s", err, out, errOut)
	}
}

func TestCheck(t *testing.T) {
	out, _, err := runBot(t, "../../data/faq.yaml", "", "check")
	if err != nil || !strings.Contains(out, "ok") {
		t.Fatalf("check on data/faq.yaml: err %v, out %q", err, out)
	}
	data, err := os.ReadFile(testFAQ)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	broken := filepath.Join(dir, "faq.yaml")
	copyFile(t, "../../internal/answers/testdata/announcement.md", filepath.Join(dir, "announcement.md"))
	text := strings.Replace(string(data), "id: teletravail", "id: salaire", 1)
	text = strings.Replace(text, "answer: Un CDD de 2 ans.", "answer: Un {{cdd}} de 2 ans.", 1)
	if err := os.WriteFile(broken, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runBot(t, broken, "", "check")
	if exitCode(err) != 1 {
		t.Fatalf("check on a broken copy: err %v, want exit 1", err)
	}
	for _, want := range []string{broken + `:41: duplicate id "salaire"`, broken + ":61: entry contrat-type: unknown fact {{cdd}}"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("check output lacks %q:\n%s", want, errOut)
		}
	}
	// A YAML error names the file and line too.
	if err := os.WriteFile(broken, []byte("form_url: x\nentries:\n  - id: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := runBot(t, broken, "", "check"); exitCode(err) != 1 || !strings.Contains(errOut, broken+":") {
		t.Errorf("check on bad YAML: err %v, out %q", err, errOut)
	}
}

func TestEvalThresholds(t *testing.T) {
	set := filepath.Join(t.TempDir(), "set.yaml")
	os.WriteFile(set, []byte("- q: quel est le salaire ?\n  entry: salaire\n- q: il pleut ?\n  entry: none\n- q: contrat ?\n  entry: contrat-type\n"), 0o644)
	out, _, err := runBot(t, testFAQ, "", "eval", set)
	if err != nil || !strings.Contains(out, "matcher") {
		t.Fatalf("eval: err %v\n%s", err, out)
	}
	if _, _, err := runBot(t, testFAQ, "", "eval", "--min-top1", "0.9", set); exitCode(err) != 1 {
		t.Errorf("eval under --min-top1: err %v, want exit 1", err)
	}
	out, _, err = runBot(t, testFAQ, "", "eval", "--json", "--baseline", set)
	var reps []map[string]any
	if err != nil || json.Unmarshal([]byte(out), &reps) != nil || len(reps) != 6 {
		t.Errorf("eval --json --baseline: err %v\n%s", err, out)
	}
}

func TestChatAnswersAndPicksSuggestions(t *testing.T) {
	out, _, err := runBot(t, realFAQ, "quel est le salaire ?\nle contrat après 2023\n2\n", "chat")
	if err != nil {
		t.Fatal(err)
	}
	// "2" picks the second choice offered, whichever entry it is.
	second := regexp.MustCompile(`\n\s+2\. .*\(([a-z-]+), [0-9.]+\)\n`).FindStringSubmatch(out)
	if !strings.Contains(out, "[answer salaire") || !strings.Contains(out, "[suggest") || second == nil || !strings.Contains(out, "[answer "+second[1]) {
		t.Errorf("chat transcript:\n%s", out)
	}
}

var _ = io.Discard

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestAnnounceListAndPreview(t *testing.T) {
	out, _, err := runBot(t, "../../data/faq.yaml", "", "announce", "--at", "2021-12-02 09:00", "list")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2021-12-02 10:00 rappel-j7", "upcoming", "appel-candidatures", "on demand"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runBot(t, "../../data/faq.yaml", "", "announce", "preview", "rappel-j1")
	if err != nil || !strings.Contains(out, "Il reste 1 jours") && !strings.Contains(out, "dernier jour") {
		t.Errorf("preview rappel-j1: err %v\n%s", err, out)
	}
	if !strings.Contains(out, "[Postuler] https://beta.gouv.fr/recrutement_bin/") {
		t.Errorf("preview lacks the form button:\n%s", out)
	}
	if _, _, err := runBot(t, "../../data/faq.yaml", "", "announce", "preview", "nope"); err == nil {
		t.Error("preview of an unknown id must fail")
	}
}
