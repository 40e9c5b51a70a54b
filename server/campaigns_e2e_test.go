package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"portevoix/server"
	"portevoix/server/campaignmsg"
	"portevoix/server/mailer"
	"portevoix/server/mailer/smtptest"
	"portevoix/server/sender"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
	"portevoix/storage/demo"
)

// newSendingAPI is the whole server over the demo data, with its mail going to in and a
// campaign sender running, as serve wires them.
func newSendingAPI(t *testing.T, in *smtptest.Server) *api {
	t.Helper()
	store, err := storage.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	store.PasswordCost = bcrypt.MinCost
	if _, err := demo.Load(store, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app, err := server.New(store, log)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := store.Secret()
	if err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(in.Addr)
	pool := mailer.NewSMTP(mailer.Config{Host: host, Port: port, Conns: 4, Timeout: 5 * time.Second})
	app.BaseURL = "https://presse.example.org"
	app.EventInterval = 20 * time.Millisecond
	app.Messages = &campaignmsg.Composer{Store: store, PDF: app.PDF, Now: time.Now, Sender: pool, From: "Pôles Santé en Réseau <presse@porte-voix.example.org>", Unsubscribe: func(id uint64) string {
		return app.BaseURL + "/unsubscribe/" + unsubscribe.Token(secret, id)
	}}
	snd, err := sender.New(store, pool, app.Messages, sender.Config{Workers: 4, RetryMin: 10 * time.Millisecond, Poll: 50 * time.Millisecond}, log)
	if err != nil {
		t.Fatal(err)
	}
	app.Wake = snd.Wake
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- snd.Run(ctx) }()
	srv := httptest.NewServer(app.Handler())
	t.Cleanup(func() {
		srv.Close()
		stop()
		if err := <-done; err != nil {
			t.Errorf("sender: %v", err)
		}
		pool.Close()
		if err := store.Check(); err != nil {
			t.Errorf("bbolt check: %v", err)
		}
		store.Close()
	})
	a := &api{t: t, url: srv.URL, store: store, tokens: map[string]string{}}
	email := "editrice@example.org"
	if _, err := store.CreateUser("test", storage.NewUser{Email: email, Name: "Éditrice", Role: storage.RoleEditor, Password: "0123456789ab"}); err != nil {
		t.Fatal(err)
	}
	if a.tokens[storage.RoleEditor], _, err = store.CreateToken("test", email, "test"); err != nil {
		t.Fatal(err)
	}
	return a
}

// listIDs finds demo lists by name through the API.
func (a *api) listIDs(names ...string) []uint64 {
	a.t.Helper()
	var page struct {
		Items []storage.List `json:"items"`
	}
	a.do(storage.RoleEditor, "GET", "/api/v1/lists?limit=100", nil).decode(a.t, &page)
	var ids []uint64
	for _, name := range names {
		for _, l := range page.Items {
			if l.Name == name {
				ids = append(ids, l.ID)
			}
		}
	}
	if len(ids) != len(names) {
		a.t.Fatalf("lists %v not all found", names)
	}
	return ids
}

// event is one server-sent event.
type event struct {
	name string
	view server.CampaignView
}

// events reads the campaign's event stream until it ends, sending each event on the
// returned channel, which closes at the end of the stream.
func (a *api) events(id uint64) <-chan event {
	a.t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/campaigns/%d/events", a.url, id), nil)
	req.Header.Set("Authorization", "Bearer "+a.tokens[storage.RoleEditor])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/event-stream") {
		a.t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	out := make(chan event, 1000)
	go func() {
		defer close(out)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		var e event
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				e.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &e.view); err != nil {
					e.name = "undecodable: " + err.Error()
				}
			case line == "":
				out <- e
				e = event{}
			}
		}
	}()
	return out
}

// TestCampaignThroughTheAPI runs the whole chain as staff would: create a campaign, send
// a test, start it, follow its progress as server-sent events until "done", then read
// every delivery's status, attempts, Message-ID and time.
func TestCampaignThroughTheAPI(t *testing.T) {
	in := smtptest.Start(t, func(s *smtptest.Server) { s.Delay = 10 * time.Millisecond })
	a := newSendingAPI(t, in)
	lists := a.listIDs("Presse Grand Est", "Presse nationale santé")
	id := a.create("/api/v1/campaigns", map[string]any{
		"communique_id": 1, "list_ids": lists,
		"subject": "Santé : sept propositions des pôles", "pitch": "Le communiqué commun des pôles, ci-dessous et en PDF.",
	})

	r := a.do(storage.RoleEditor, "POST", fmt.Sprintf("/api/v1/campaigns/%d/test", id), map[string]string{"email": "essai.redaction@example.org"})
	if r.status != http.StatusOK {
		t.Fatalf("test send: %d %s", r.status, r.body)
	}
	if got := in.Received(); len(got) != 1 || got[0].To != "essai.redaction@example.org" {
		t.Fatalf("after the test send the inbox holds %d messages, want the test one", len(got))
	}
	if m, err := mail.ReadMessage(strings.NewReader(string(in.Received()[0].Data))); err != nil || !strings.HasPrefix(decodeSubject(t, m.Header.Get("Subject")), "[TEST] Santé") {
		t.Fatalf("the test message is marked as such: %v %v", m.Header.Get("Subject"), err)
	}
	bad := a.do(storage.RoleEditor, "POST", "/api/v1/campaigns", map[string]any{"communique_id": 1, "list_ids": lists, "subject": "S", "greeting": "salut"})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(string(bad.body), "greeting") {
		t.Fatalf("an unknown greeting: %d %s", bad.status, bad.body)
	}

	stream := a.events(id)
	if r := a.do(storage.RoleEditor, "POST", fmt.Sprintf("/api/v1/campaigns/%d/start", id), nil); r.status != http.StatusOK {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	final := followEvents(t, stream)
	if final.Status != storage.CampaignDone || final.Counts[storage.DeliverySent] != final.Total || final.Total == 0 {
		t.Fatalf("final event: status %q, counts %v, total %d", final.Status, final.Counts, final.Total)
	}

	var page storage.Page[storage.Delivery]
	a.do(storage.RoleEditor, "GET", fmt.Sprintf("/api/v1/campaigns/%d/deliveries?limit=1000", id), nil).decode(t, &page)
	if len(page.Items) != final.Total {
		t.Fatalf("%d deliveries, the final event counts %d", len(page.Items), final.Total)
	}
	byRecipient := map[string]string{}
	for _, m := range in.Received()[1:] {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		byRecipient[m.To] = msg.Header.Get("Message-ID")
	}
	for _, d := range page.Items {
		if d.Status != storage.DeliverySent || d.Attempts != 1 || d.At == nil || d.MessageID == "" {
			t.Errorf("delivery %+v, want sent once with a Message-ID and a time", d)
		}
		if byRecipient[d.Email] != d.MessageID {
			t.Errorf("%s: the inbox has Message-ID %q, the delivery %q", d.Email, byRecipient[d.Email], d.MessageID)
		}
	}
	if got := len(in.Received()) - 1; got != final.Total {
		t.Errorf("%d campaign messages arrived, want %d", got, final.Total)
	}
}

// followEvents reads the stream until its "done" event, checking that progress was shown
// on the way, and returns the final view.
func followEvents(t *testing.T, stream <-chan event) server.CampaignView {
	t.Helper()
	progress, sending := 0, 0
	timeout := time.After(30 * time.Second)
	for {
		select {
		case e, ok := <-stream:
			if !ok {
				t.Fatal("the event stream ended without a done event")
			}
			switch e.name {
			case "progress":
				progress++
				if e.view.Status == storage.CampaignSending {
					sending++
				}
			case "done":
				if sending == 0 {
					t.Errorf("no progress event while sending (%d progress events in all)", progress)
				}
				t.Logf("%d progress events, %d while sending", progress, sending)
				return e.view
			default:
				t.Fatalf("unexpected event %q", e.name)
			}
		case <-timeout:
			t.Fatal("no done event within 30 s")
		}
	}
}

// decodeSubject decodes an RFC 2047 Subject.
func decodeSubject(t *testing.T, s string) string {
	t.Helper()
	out, err := new(mime.WordDecoder).DecodeHeader(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
