package store

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSQLitePathIsTakenAsWritten: a "?", "#" or "%" in the path is part
// of the file's name, relative paths work, and the folder created for the
// database is the bot user's alone.
func TestSQLitePathIsTakenAsWritten(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{
		filepath.Join(dir, "what?mode=memory", "bot.db"),
		filepath.Join(dir, "a#b %41", "bot.db"),
		filepath.Join("rel", "bot.db"),
	} {
		t.Run(path, func(t *testing.T) {
			t.Chdir(dir)
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.RecordQuestion(t.Context(), question("Ev1", "D1", "1.1")); err != nil {
				t.Fatal(err)
			}
			s.Close()
			if _, err := os.Stat(path); err != nil {
				t.Errorf("no database at %q: %v", path, err)
			}
			fi, err := os.Stat(filepath.Dir(path))
			if err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("folder %s mode = %v, %v; want 0700", filepath.Dir(path), fi.Mode().Perm(), err)
			}
		})
	}
}
