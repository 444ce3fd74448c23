package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestAnnouncementClaimedOnce(t *testing.T) { eachBackend(t, testAnnouncementClaimedOnce) }

func testAnnouncementClaimedOnce(t *testing.T, s *Store, _ string) {
	ctx := context.Background()
	now := time.Date(2021, 12, 2, 9, 0, 0, 0, time.UTC)
	post := AnnouncementPost{Key: "rappel-j7@C1@2021-12-02T09:00:00Z", Name: "rappel-j7", Channel: "C1",
		DueAt: now, Status: AnnouncementPosting, ClaimedAt: now}
	// Many claimers at once, as replicas or ticks would be: one wins.
	var wg sync.WaitGroup
	wins := make(chan bool, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.ClaimAnnouncement(ctx, post)
			if err != nil {
				t.Error(err)
			}
			wins <- ok
		}()
	}
	wg.Wait()
	close(wins)
	n := 0
	for ok := range wins {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d claims won, want 1", n)
	}
	if err := s.FinishAnnouncement(ctx, post.Key, AnnouncementPosted, "1.2", "", now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	posts, err := s.AnnouncementPosts(ctx)
	if err != nil || len(posts) != 1 || posts[0].Status != AnnouncementPosted || posts[0].TS != "1.2" || !posts[0].DueAt.Equal(now) {
		t.Fatalf("posts = %+v, %v", posts, err)
	}
}

func TestReclaimStaleAnnouncements(t *testing.T) { eachBackend(t, testReclaimStaleAnnouncements) }

func testReclaimStaleAnnouncements(t *testing.T, s *Store, _ string) {
	ctx := context.Background()
	t0 := time.Date(2021, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, key := range []string{"a", "b"} {
		if _, err := s.ClaimAnnouncement(ctx, AnnouncementPost{Key: key, Name: key, Channel: "C1", DueAt: t0, Status: AnnouncementPosting, ClaimedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	s.FinishAnnouncement(ctx, "b", AnnouncementPosted, "1.1", "", t0)
	// Too fresh: nothing to take over.
	if got, err := s.ReclaimAnnouncements(ctx, t0, t0.Add(time.Minute)); err != nil || len(got) != 0 {
		t.Fatalf("fresh reclaim = %v, %v", got, err)
	}
	got, err := s.ReclaimAnnouncements(ctx, t0.Add(time.Minute), t0.Add(2*time.Minute))
	if err != nil || len(got) != 1 || got[0].Key != "a" {
		t.Fatalf("stale reclaim = %+v, %v", got, err)
	}
	// Taken over once: a second replica finds nothing.
	if got, _ := s.ReclaimAnnouncements(ctx, t0.Add(time.Minute), t0.Add(2*time.Minute)); len(got) != 0 {
		t.Fatalf("reclaimed twice: %v", got)
	}
}
