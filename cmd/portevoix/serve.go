package main

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"portevoix/server"
	"portevoix/server/campaignmsg"
	"portevoix/server/mailer"
	"portevoix/server/sender"
	"portevoix/server/ui"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
)

func serveCommand(args []string, env *environment) int {
	fs := newFlags("serve", "serve [--addr 127.0.0.1:8080] [--data DOSSIER] [--demo]", env)
	data := dataFlag(fs, env)
	addr := fs.String("addr", "127.0.0.1:8080", "`ADRESSE`:port où écouter")
	withDemo := fs.Bool("demo", false, "charge les données de démonstration si la base est vide")
	if code, ok := parse(fs, args, env); !ok {
		return code
	}
	log := slog.New(slog.NewTextHandler(env.stderr, nil))
	store, code := openStore(env, *data, createBase)
	if store == nil {
		return code
	}
	defer store.Close()
	if *withDemo {
		if err := loadDemoIfEmpty(store, env); err != nil {
			return fail(env, "données de démonstration : %v", err)
		}
	}
	if store.UserCount() == 0 {
		// No colon in the message: the log quotes it, and would show the no-break space as \u00a0.
		log.Warn("aucun compte encore, créez un administrateur avec la commande suivante", "commande",
			"echo 'un long mot de passe' | portevoix user add --data "+*data+" --email vous@example.org --name 'Votre Nom' --role admin --password-stdin")
	}
	mail, err := readMailConfig(env, *addr)
	if err != nil {
		return fail(env, "%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, log, store, *addr, *data, mail, env)
}

// serve runs the HTTP server, the campaign sender and the control socket until ctx ends,
// then shuts down in order: HTTP first, then the sender (in-flight messages are recorded),
// then the control socket; the caller closes the database last.
func serve(ctx context.Context, log *slog.Logger, store *storage.Store, addr, dataDir string, mc mailConfig, env *environment) int {
	transport, mode, how, err := mc.transport(dataDir)
	if err != nil {
		return fail(env, "envoi des e-mails : %v", err)
	}
	defer transport.Close()
	srv, err := server.New(store, log)
	if err != nil {
		return fail(env, "%v", err)
	}
	secret, err := store.Secret()
	if err != nil {
		return fail(env, "%v", err)
	}
	messages := &campaignmsg.Composer{Store: store, PDF: srv.PDF, Now: time.Now, Sender: transport, From: mc.from, BaseURL: mc.baseURL,
		Unsubscribe: func(contactID uint64) string {
			return mc.baseURL + "/unsubscribe/" + unsubscribe.Token(secret, contactID)
		}}
	var limiter *mailer.Limiter
	if mc.rate > 0 {
		limiter = mailer.NewLimiter(mc.rate)
	}
	snd, err := sender.New(store, transport, messages, sender.Config{Workers: mc.conns, Limiter: limiter, RetryMin: mc.retryMin}, log)
	if err != nil {
		return fail(env, "%v", err)
	}
	srv.BaseURL, srv.Mail, srv.Messages, srv.Wake = mc.baseURL, server.Mail{Mode: mode, Info: how}, messages, snd.Wake
	staff, err := ui.New(store, srv.PDF, log, mc.baseURL)
	if err != nil {
		return fail(env, "%v", err)
	}
	staff.Messages, staff.MailInfo, staff.Wake = messages, how, snd.Wake
	srv.Pages, srv.PagesNotFound = staff.Routes, staff.NotFound

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fail(env, "impossible d’écouter sur %s : %s", addr, reason(err))
	}
	// Requests inherit ctx, so long-lived answers (progress events) end when shutdown starts
	// instead of holding Shutdown until its deadline.
	httpServer := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	control, err := listenControl(dataDir, store, log)
	if err != nil {
		ln.Close()
		return fail(env, "accès de contrôle %s : %v", controlSocket(dataDir), err)
	}
	senderCtx, stopSender := context.WithCancel(context.Background())
	senderDone := make(chan error, 1)
	go func() { senderDone <- snd.Run(senderCtx) }()
	errc := make(chan error, 1)
	go func() { errc <- httpServer.Serve(ln) }()
	log.Info("Porte-Voix à l’écoute", "url", "http://"+ln.Addr().String(), "data", dataDir, "mail", how)
	code := 0
	select {
	case <-ctx.Done():
	case err := <-errc:
		log.Error("le serveur HTTP s’est arrêté", "err", err)
		code = 1
	}
	log.Info("arrêt en cours")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		log.Error("arrêt du serveur HTTP", "err", err)
	}
	stopSender()
	if err := <-senderDone; err != nil {
		log.Error("envoi des campagnes", "err", err)
	}
	control.Close()
	return code
}

// controlSocket is the data folder's path for the local control socket.
func controlSocket(dataDir string) string { return filepath.Join(dataDir, "control.sock") }
