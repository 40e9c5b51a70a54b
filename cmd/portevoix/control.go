package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"portevoix/storage"
)

// The running server owns the database lock, so commands run while it serves (backup, user
// add, token create) go through a Unix socket in the data folder: whoever may read the
// folder may read the base anyway, so the socket needs no other credential.

// controlServer serves the control socket.
type controlServer struct {
	http *http.Server
	done chan struct{}
}

func listenControl(dataDir string, store *storage.Store, log *slog.Logger) (*controlServer, error) {
	path := controlSocket(dataDir)
	_ = os.Remove(path) // a stale socket from a crash; we hold the database lock, so it is ours
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) { sendBackup(w, store, log) })
	mux.HandleFunc("POST /users", func(w http.ResponseWriter, r *http.Request) {
		var n storage.NewUser
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		u, err := store.CreateUser("cli", n)
		answer(w, u, err)
	})
	mux.HandleFunc("POST /tokens", func(w http.ResponseWriter, r *http.Request) {
		var req tokenRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		secret, t, err := store.CreateToken("cli", req.Email, req.Name)
		answer(w, tokenAnswer{Secret: secret, Token: t}, err)
	})
	c := &controlServer{http: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		_ = c.http.Serve(ln)
	}()
	return c, nil
}

type tokenRequest struct{ Email, Name string }

type tokenAnswer struct {
	Secret string
	Token  *storage.Token
}

// answer writes v as JSON, or the error's (French, user-safe) message as plain text.
func answer(w http.ResponseWriter, v any, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// sendBackup streams a snapshot of the base, its size announced first: if the copy stops
// part-way, the connection closes short of Content-Length and the client sees it.
func sendBackup(w http.ResponseWriter, store *storage.Store, log *slog.Logger) {
	started := false
	_, err := store.BackupSized(w, func(size int64) {
		started = true
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	})
	if err == nil {
		return
	}
	log.Error("sauvegarde par l’accès de contrôle interrompue", "err", err)
	if !started {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// Close stops the control server and waits for it.
func (c *controlServer) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.http.Shutdown(ctx)
	<-c.done
}

// controlClient talks to the running server's control socket; timeout bounds a whole
// exchange, body included.
func controlClient(dataDir string, timeout time.Duration) *http.Client {
	return &http.Client{Timeout: timeout, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", controlSocket(dataDir))
		},
	}}
}

// accounts is what user add and token create need: the store itself, or the running server.
type accounts interface {
	CreateUser(actor string, n storage.NewUser) (*storage.User, error)
	CreateToken(actor, email, name string) (string, *storage.Token, error)
}

// controlUnreachable says that a server holds the base in dataDir but that its control
// socket does not answer.
func controlUnreachable(dataDir string, err error) error {
	return fmt.Errorf("la base est utilisée par le serveur, mais son accès de contrôle (%s) ne répond pas : %w", controlSocket(dataDir), err)
}

// openAccounts opens the base (creating it when create is set), or reaches the server
// that holds it. close releases it.
func openAccounts(env *environment, dir string, create bool) (a accounts, close func(), code int) {
	store, err := openBase(dir, openTimeout, create)
	if errors.Is(err, storage.ErrInUse) {
		return remoteAccounts{dir: dir}, func() {}, 0
	}
	if err != nil {
		return nil, nil, fail(env, "%s", baseError(err))
	}
	return store, func() { store.Close() }, 0
}

// remoteAccounts creates accounts through the running server's control socket.
type remoteAccounts struct{ dir string }

func (r remoteAccounts) CreateUser(_ string, n storage.NewUser) (*storage.User, error) {
	var u storage.User
	return &u, r.post("/users", n, &u)
}

func (r remoteAccounts) CreateToken(_, email, name string) (string, *storage.Token, error) {
	var t tokenAnswer
	err := r.post("/tokens", tokenRequest{Email: email, Name: name}, &t)
	return t.Secret, t.Token, err
}

func (r remoteAccounts) post(path string, in, out any) error {
	body, _ := json.Marshal(in)
	resp, err := controlClient(r.dir, time.Minute).Post("http://portevoix"+path, "application/json", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("la base est utilisée par le serveur, mais son accès de contrôle (%s) ne répond pas : %w", controlSocket(r.dir), err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return errors.New(string(bytes.TrimSpace(data)))
	}
	return json.Unmarshal(data, out)
}
