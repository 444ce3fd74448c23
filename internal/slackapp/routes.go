package slackapp

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Routes serves the contract's five routes.
func (a *App) Routes() http.Handler {
	mux := http.NewServeMux()
	a.slackRoutes(mux)
	a.opsRoutes(mux)
	return mux
}

// SlackRoutes serves only the /slack/* routes, when /healthz and /metrics
// are served on an address of their own (OpsRoutes).
func (a *App) SlackRoutes() http.Handler {
	mux := http.NewServeMux()
	a.slackRoutes(mux)
	return mux
}

// OpsRoutes serves /healthz and /metrics.
func (a *App) OpsRoutes() http.Handler {
	mux := http.NewServeMux()
	a.opsRoutes(mux)
	return mux
}

func (a *App) slackRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/events", a.handleEvents)
	mux.HandleFunc("POST /slack/commands", a.handleCommand)
	mux.HandleFunc("POST /slack/interactions", a.handleInteraction)
}

func (a *App) opsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", a.handleHealth)
	mux.Handle("GET /metrics", a.metrics.Handler())
}

// handleHealth answers 200 while the database answers. When replies are
// paused because Slack refuses the token, it still answers 200 (events are
// still recorded: a 503 would have them dropped) and says why.
func (a *App) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.store.Ping(ctx); err != nil {
		a.log.Error("health check", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if why := a.outbox.Paused(); why != "" {
		fmt.Fprintf(w, "ok\nreplies paused: Slack refuses the bot token (%s); questions are kept and answered once a valid token is back\n", why)
		return
	}
	w.Write([]byte("ok\n"))
}
