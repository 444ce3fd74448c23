package main

import (
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
)

// delivery is one HTTP request Slack would make: an event, maybe a retry
// of one or its app_mention copy.
type delivery struct {
	body    []byte
	retry   int    // X-Slack-Retry-Num, 0 for a first delivery
	thread  string // "channel ts": where the reply must go
	replica int    // the replica the load balancer sends it to first
}

// events builds the deliveries of n questions from DM channels, with
// retries and app_mention copies mixed in, and the threads that must get
// exactly one reply each. Question i comes from channel i mod channels, so
// every channel gets its share spread over the run. With several replicas,
// each delivery goes to one at random, and a share o.doubled of them to a
// second one as well, as a load balancer retrying on a slow answer does.
func events(o options, questions []string) (ds []delivery, threads map[string]bool) {
	rng := mrand.New(mrand.NewPCG(3, 4))
	lb := mrand.New(mrand.NewPCG(5, 6)) // apart, so one replica sends what it always sent
	route := func(d delivery) {
		if o.replicas <= 1 {
			ds = append(ds, d)
			return
		}
		d.replica = lb.IntN(o.replicas)
		ds = append(ds, d)
		if lb.Float64() < o.doubled {
			d.replica = (d.replica + 1 + lb.IntN(o.replicas-1)) % o.replicas
			ds = append(ds, d)
		}
	}
	threads = map[string]bool{}
	for i := range o.events {
		channel := fmt.Sprintf("D%06d", i%o.channels)
		ts := fmt.Sprintf("1700000000.%06d", i)
		text := questions[i%len(questions)]
		thread := channel + " " + ts
		threads[thread] = true
		ev := map[string]any{"type": "message", "channel": channel, "channel_type": "im", "user": fmt.Sprintf("U%05d", i%997),
			"ts": ts, "event_ts": ts, "text": text}
		d := delivery{body: envelope(fmt.Sprintf("Ev%07d", i), ev), thread: thread}
		route(d)
		if rng.Float64() < o.retries {
			route(delivery{body: d.body, retry: 1, thread: thread})
		}
		if rng.Float64() < o.mentions {
			mention := map[string]any{"type": "app_mention", "channel": channel, "user": ev["user"], "ts": ts,
				"event_ts": ts, "text": "<@UBOT> " + text}
			route(delivery{body: envelope(fmt.Sprintf("Ev%07dm", i), mention), thread: thread})
		}
	}
	return ds, threads
}

func envelope(eventID string, ev map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "api_app_id": "A1",
		"event_id": eventID, "event_time": 1700000000, "event": ev,
		"authorizations": []map[string]any{{"team_id": "T1", "user_id": "UBOT", "is_bot": true}}})
	return b
}
