package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dtmfkit/dtmfkit/bridge"
	"github.com/dtmfkit/dtmfkit/bridge/media"
)

// tokenEnv names the environment variable that holds the bearer token.
const tokenEnv = "DTMFKIT_TOKEN"

type serveOptions struct {
	listen, callback  string
	tlsCert, tlsKey   string
	insecure          bool
	logFormat         string
	logLevel          string
	shutdownTimeout   time.Duration
	maxCalls          int
	maxMessageBytes   int64
	maxMessagesPerSec int
	idleTimeout       time.Duration
	maxRequestBytes   int64
}

func (o *serveOptions) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&o.listen, "listen", ":8080", "listen on `ADDR` (host:port)")
	fs.StringVar(&o.callback, "callback", "", "POST notifications to this `URL` for calls whose media socket gives no callbackUri")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS and wss:// with this certificate `file` (PEM; with -tls-key). ACS connects only to wss://")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the certificate's private key `file` (PEM)")
	fs.BoolVar(&o.insecure, "insecure", false, "serve without a token when "+tokenEnv+" is not set (every endpoint open to anyone who can reach it)")
	fs.StringVar(&o.logFormat, "log-format", "text", "log `format` on stderr: text or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "log `level`: debug, info, warn or error")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 30*time.Second, "on SIGTERM, how long to wait for calls to end and notifications to be delivered")
	fs.IntVar(&o.maxCalls, "max-calls", media.DefaultMaxCalls, "media sockets open at once, per dialect; more get 503")
	fs.Int64Var(&o.maxMessageBytes, "max-message-bytes", media.DefaultMaxMessageBytes, "largest WebSocket message; larger closes the socket (1009)")
	fs.IntVar(&o.maxMessagesPerSec, "max-messages-per-second", media.DefaultMaxMessagesPerSecond, "messages one socket may send per second, each 20 ms of audio counting as one (-1: no limit); more closes it (1008)")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", media.DefaultIdleTimeout, "close a media socket that sends nothing for this long (1008)")
	fs.Int64Var(&o.maxRequestBytes, "max-request-bytes", media.DefaultMaxRequestBytes, "largest REST request body; larger gets 413")
	return fs
}

func serveFlags() *flag.FlagSet { return new(serveOptions).flagSet() }

// runServe serves until SIGTERM or SIGINT, then shuts down gracefully.
func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var o serveOptions
	pos, err := parseFlags(o.flagSet(), "serve", args, stdout)
	if err != nil {
		return helpOK(err)
	}
	if len(pos) > 0 {
		return usagef("serve: unexpected argument %q", pos[0])
	}
	srv, err := newServer(o, os.Getenv(tokenEnv), stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	stop() // a second signal kills at once
	return srv.shutdown()
}

// server is dtmfwav serve: both media handlers, auth, health, metrics and
// the webhook, in one http.Server.
type server struct {
	opts    serveOptions
	log     *slog.Logger
	http    *http.Server
	acs     *media.ACS
	graph   *media.Graph
	webhook *bridge.Webhook
}

// newServer checks the options and builds the server. Without a token it
// refuses to start unless -insecure says so.
func newServer(o serveOptions, token string, stderr io.Writer) (*server, error) {
	switch {
	case token == "" && !o.insecure:
		return nil, usagef("serve: %s is not set: set it to the bearer token clients must send, or give -insecure to serve without one", tokenEnv)
	case strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r > '~' }):
		// A Bearer token is sent in a header: spaces and control
		// characters (a newline from a file) would never match.
		return nil, usagef("serve: %s holds spaces, control characters or non-ASCII: it could never be sent back in an Authorization header", tokenEnv)
	case (o.tlsCert == "") != (o.tlsKey == ""):
		return nil, usagef("serve: -tls-cert and -tls-key go together")
	}
	log, err := newLogger(o.logFormat, o.logLevel, stderr)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	failures := prometheus.NewCounter(prometheus.CounterOpts{Namespace: "dtmfkit", Name: "webhook_failures_total",
		Help: "Notifications the webhook gave up on after its retries, or at shutdown."})
	reg.MustRegister(failures)

	s := &server{opts: o, log: log}
	s.webhook, err = bridge.NewWebhook(context.Background(), bridge.WebhookConfig{URL: o.callback,
		QueueSize: webhookQueueSize(o.maxCalls), CallQueueSize: notificationsPerCall,
		OnError: func(n bridge.Notification, err error) {
			failures.Inc()
			log.Error("notification not delivered", "call", n.CallID, "url", n.URL, "err", err)
		}})
	if err != nil {
		return nil, usageError{err}
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "dtmfkit", Name: "webhook_pending",
		Help: "Notifications queued for delivery."}, func() float64 { return float64(s.webhook.Pending()) }))
	cfg := media.Config{
		Sink: s.webhook, CallbackURI: o.callback, RequireCallback: true,
		Logger: log, Registerer: reg,
		Limits: media.Limits{MaxCalls: o.maxCalls, MaxMessageBytes: o.maxMessageBytes, MaxMessagesPerSecond: o.maxMessagesPerSec,
			IdleTimeout: o.idleTimeout, MaxRequestBytes: o.maxRequestBytes},
	}
	if s.acs, err = media.NewACS(cfg); err != nil {
		return nil, usageError{err}
	}
	if s.graph, err = media.NewGraph(cfg); err != nil {
		return nil, usageError{err}
	}

	api := http.NewServeMux()
	media.Mount(api, s.acs, s.graph)
	api.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	var protected http.Handler = api
	if token != "" {
		protected = media.RequireToken(token, api)
	} else {
		log.Warn("serving without authentication (-insecure): anyone who can reach " + o.listen + " can use it")
	}
	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	root.Handle("/", protected)
	s.http = &http.Server{
		Handler:           root,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second, // REST bodies; a WebSocket's deadlines are cleared on upgrade
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// notificationsPerCall is the share of the webhook's queue one call may
// fill: a call whose callback is down or slow gets ErrQueueFull (its keys
// wait, then are lost and said so) while the others go on.
const notificationsPerCall = 32

// webhookQueueSize holds every call's share, for the sockets of both
// handlers, so that no call is ever refused for another's backlog: at
// most 64,000 notifications (some 45 MB of bodies) at the default 1000
// calls.
func webhookQueueSize(maxCalls int) int {
	if maxCalls <= 0 { // the default; a negative one is refused by the handlers
		maxCalls = media.DefaultMaxCalls
	}
	return 2 * maxCalls * notificationsPerCall
}

// newLogger returns a logger of the format and level on stderr.
func newLogger(format, level string, stderr io.Writer) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("serve: unknown log level %q (want debug, info, warn or error)", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, usagef("serve: unknown log format %q (want text or json)", format)
}

// serve serves on ln until shutdown; it returns nil once shut down.
func (s *server) serve(ln net.Listener) error {
	scheme := "http"
	if s.opts.tlsCert != "" {
		scheme = "https"
	} else {
		s.log.Warn("serving plain HTTP and ws://: ACS media streaming connects only to wss://; give -tls-cert and -tls-key, or put a TLS proxy in front")
	}
	s.log.Info("serving", "addr", scheme+"://"+ln.Addr().String(), "acs", media.ACSMediaPath, "graph", media.GraphMediaPath,
		"callback", s.opts.callback)
	var err error
	if s.opts.tlsCert != "" {
		err = s.http.ServeTLS(ln, s.opts.tlsCert, s.opts.tlsKey)
	} else {
		err = s.http.Serve(ln)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// shutdown stops accepting, ends every call (sockets closed with 1001,
// keys still sounding reported, sends failed), waits for the REST requests
// in flight, then delivers the notifications queued, all within
// -shutdown-timeout. Notifications it could not deliver make it fail.
func (s *server) shutdown() error {
	s.log.Info("shutting down", "timeout", s.opts.shutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.shutdownTimeout)
	defer cancel()
	httpDone := make(chan error, 1)
	go func() { httpDone <- s.http.Shutdown(ctx) }() // closes the listener at once
	err := errors.Join(s.acs.Shutdown(ctx), s.graph.Shutdown(ctx), <-httpDone)
	pending := s.webhook.Pending()
	err = errors.Join(err, s.webhook.Close(ctx))
	if err != nil {
		s.log.Error("shutdown incomplete", "err", err)
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	s.log.Info("shut down", "notifications drained", pending)
	return nil
}
