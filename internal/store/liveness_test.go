package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/betagouv/bin-bot/internal/store/storetest"
)

// crash stops s as kill -9 would: nothing released, no goodbye; its
// sessions end as its sockets close. It returns once the database has seen
// the heartbeat's session end, which it does within milliseconds of a kill.
func crash(t *testing.T, s *Store, url string) {
	t.Helper()
	var pid int64
	if s.hb != nil {
		pid = s.hb.pid
		s.hb.close(false)
		s.hb = nil
	}
	s.Close()
	if pid == 0 {
		return
	}
	db := rawPostgres(t, url)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1`, pid).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %d still alive 10s after its process closed it", pid)
		}
		time.Sleep(10 * time.Millisecond) // polling the server, which ends the session on its own
	}
}

func rawPostgres(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// holdTwo records a question held for s's own worker and claims another:
// the two ways a replica holds questions.
func holdTwo(t *testing.T, s *Store) {
	t.Helper()
	ctx := t.Context()
	q := question("Ev1", "C1", "1.1")
	q.HeldUntil = t0.Add(time.Hour)
	if _, fresh, err := s.RecordQuestion(ctx, q); !fresh || err != nil {
		t.Fatal(fresh, err)
	}
	if _, fresh, err := s.RecordQuestion(ctx, question("Ev2", "C2", "2.2")); !fresh || err != nil {
		t.Fatal(fresh, err)
	}
	if got, err := s.Claim(ctx, t0, time.Hour, 10); err != nil || len(got) != 1 {
		t.Fatalf("Claim = %+v, %v; want the question not held", got, err)
	}
}

// A replica killed holding questions (one handed to its own worker, one
// claimed, both for an hour) leaves them to its successor at once, on
// PostgreSQL as on SQLite, not when the leases run out.
func TestSuccessorTakesOverAtOnce(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			s, err := Open(t.Context(), url)
			if err != nil {
				t.Fatal(err)
			}
			holdTwo(t, s)
			crash(t, s, url)
			next := openAt(t, url)
			got, err := next.Claim(t.Context(), t0, time.Minute, 10)
			if err != nil || len(got) != 2 {
				t.Fatalf("the successor claimed %+v, %v; want both questions at once", got, err)
			}
		})
	}
}

// A replica that stops (SIGTERM) leaves what it still holds (posts cut
// short by the drain) to the others at once.
func TestStoppedReplicaLeavesItsQuestions(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *Store, url string) {
		holdTwo(t, s)
		s.Close()
		next := openAt(t, url)
		if got, err := next.Claim(t.Context(), t0, time.Minute, 10); err != nil || len(got) != 2 {
			t.Fatalf("after a clean stop, Claim = %+v, %v; want both questions", got, err)
		}
	})
}

// Another replica, or a tool such as bot stats, takes nothing a live
// replica holds; once that replica is killed, the other takes it all at
// once.
func TestOtherReplicaTakesOverAtOnce(t *testing.T) { onPostgres(t, testOtherReplicaTakesOverAtOnce) }

func testOtherReplicaTakesOverAtOnce(t *testing.T, url string) {
	a, err := Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b := openAt(t, url)
	holdTwo(t, a)
	if got, err := b.Claim(t.Context(), t0, time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("while a lives, b claimed %+v, %v", got, err)
	}
	tool, err := Open(t.Context(), url, AsTool())
	if err != nil {
		t.Fatal(err)
	}
	defer tool.Close()
	if got, err := b.Claim(t.Context(), t0, time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("with a tool open, b claimed %+v, %v", got, err)
	}
	crash(t, a, url)
	if got, err := b.Claim(t.Context(), t0, time.Minute, 10); err != nil || len(got) != 2 {
		t.Fatalf("after a's kill, b claimed %+v, %v; want both questions", got, err)
	}
}

// A replica frozen or cut off with its session still open is dead
// deadAfter after its last beat, not before.
func TestSilentReplicaDeadAfterItsLastBeat(t *testing.T) {
	onPostgres(t, testSilentReplicaDeadAfterItsLastBeat)
}

func testSilentReplicaDeadAfterItsLastBeat(t *testing.T, url string) {
	a := openAt(t, url)
	b := openAt(t, url)
	holdTwo(t, a)
	// a's beats stop; its session stays.
	h := a.hb
	close(h.stop)
	<-h.done
	a.hb = nil
	t.Cleanup(func() { h.conn.Close() })
	if got, err := b.Claim(t.Context(), t0, time.Minute, 10); err != nil || len(got) != 0 {
		t.Fatalf("just after a's last beat, b claimed %+v, %v", got, err)
	}
	db := rawPostgres(t, url)
	// As if deadAfter had passed since: a's last beat moved back.
	if _, err := db.ExecContext(t.Context(), `UPDATE replicas SET seen_at = seen_at - $1 WHERE owner = $2`,
		deadAfter.Milliseconds()+100, a.owner); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Claim(t.Context(), t0, time.Minute, 10); err != nil || len(got) != 2 {
		t.Fatalf("deadAfter after a's last beat, b claimed %+v, %v; want both questions", got, err)
	}
}

// A live replica beats every beatEvery: a stale row is fresh again within
// a beat or two.
func TestHeartbeatBeats(t *testing.T) { onPostgres(t, testHeartbeatBeats) }

func testHeartbeatBeats(t *testing.T, url string) {
	a := openAt(t, url)
	db := rawPostgres(t, url)
	if _, err := db.ExecContext(t.Context(), `UPDATE replicas SET seen_at = 0 WHERE owner = $1`, a.owner); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * beatEvery)
	for {
		var live int
		if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM (`+liveReplicas+`) l WHERE owner = $1`,
			a.owner).Scan(&live); err != nil {
			t.Fatal(err)
		}
		if live == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no beat in %s", 5*beatEvery)
		}
		time.Sleep(20 * time.Millisecond) // polling for the loop's next beat
	}
}

// A heartbeat whose session is cut (a server restart, a proxy) beats again
// from a new session at its next beat: the replica is live again.
func TestHeartbeatReconnects(t *testing.T) { onPostgres(t, testHeartbeatReconnects) }

func testHeartbeatReconnects(t *testing.T, url string) {
	a := openAt(t, url)
	db := rawPostgres(t, url)
	var pid int64
	if err := db.QueryRowContext(t.Context(), `SELECT pid FROM replicas WHERE owner = $1`, a.owner).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(t.Context(), `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * beatEvery)
	for {
		var live int
		if err := db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM (`+liveReplicas+`) l WHERE owner = $1`,
			a.owner).Scan(&live); err != nil {
			t.Fatal(err)
		}
		var now int64
		if err := db.QueryRowContext(t.Context(), `SELECT pid FROM replicas WHERE owner = $1`, a.owner).Scan(&now); err != nil {
			t.Fatal(err)
		}
		if live == 1 && now != pid { // live again, from a new session
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not live again %s after its session was terminated", 5*beatEvery)
		}
		time.Sleep(20 * time.Millisecond) // polling for the loop's next beat
	}
}
