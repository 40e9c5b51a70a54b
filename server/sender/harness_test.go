package sender_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"portevoix/server/campaignmsg"
	"portevoix/server/mailer"
	"portevoix/server/mailer/mailtest"
	"portevoix/server/mailer/smtptest"
	"portevoix/server/sender"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
	"portevoix/storage/demo"
	"portevoix/templates/pdf"
)

// The addresses the fixture's campaigns use.
const (
	baseURL   = "https://presse.example.org"
	fromField = "Pôles Santé en Réseau <presse@porte-voix.example.org>"
	seed001ID = 1 // demo.Load's published seed-001 communiqué
)

// fixture is a data folder with the demo data, the campaign's Prepare, an SMTP pool to the
// test's mail server, and the means to run senders over it.
type fixture struct {
	t      testing.TB
	dir    string
	smtp   *smtptest.Server
	store  *storage.Store
	app    *campaignmsg.Composer
	pool   *mailer.SMTP
	secret []byte
	lists  map[string]uint64 // demo list name → id
	logs   *syncBuffer
	// crashed stores are closed by the test and not checked at its end.
	crashed map[*storage.Store]bool
	// MailTimeout bounds each SMTP command (mailer.Config.Timeout); set before open.
	MailTimeout time.Duration
	Conns       int
	// Addr is the SMTP server to send to, when not the test's own (a benchmark's Postfix).
	Addr string
}

// newFixture loads the demo data into a fresh base and opens it for sending to ms;
// configure may change the pool's settings first.
func newFixture(t testing.TB, ms *smtptest.Server, configure ...func(*fixture)) *fixture {
	t.Helper()
	f := &fixture{t: t, dir: t.TempDir(), smtp: ms, logs: &syncBuffer{}, crashed: map[*storage.Store]bool{}, MailTimeout: 2 * time.Second, Conns: 4}
	for _, c := range configure {
		c(f)
	}
	store, err := storage.Open(f.dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(store, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	f.lists = map[string]uint64{}
	page, err := storage.Find[storage.List](store, storage.ListOptions{Limit: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range page.Items {
		f.lists[l.Name] = l.ID
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	f.open()
	return f
}

// open (re)opens the base, the Preparer and the SMTP pool; the test's end closes them.
func (f *fixture) open() {
	f.t.Helper()
	store, err := storage.Open(f.dir, time.Second)
	if err != nil {
		f.t.Fatal(err)
	}
	renderer, err := pdf.New()
	if err != nil {
		f.t.Fatal(err)
	}
	secret, err := store.Secret()
	if err != nil {
		f.t.Fatal(err)
	}
	addr := f.Addr
	if addr == "" {
		addr = f.smtp.Addr
	}
	host, port, _ := net.SplitHostPort(addr)
	pool := mailer.NewSMTP(mailer.Config{Host: host, Port: port, Conns: f.Conns, Timeout: f.MailTimeout})
	app := &campaignmsg.Composer{Store: store, PDF: renderer, Now: time.Now, Sender: pool, From: fromField, BaseURL: baseURL, Unsubscribe: func(id uint64) string {
		return baseURL + "/unsubscribe/" + unsubscribe.Token(secret, id)
	}}
	f.store, f.app, f.pool, f.secret = store, app, pool, secret
	f.t.Cleanup(func() {
		pool.Close()
		if f.crashed[store] {
			return
		}
		if err := store.Check(); err != nil {
			f.t.Errorf("bbolt check: %v", err)
		}
		store.Close()
	})
}

// crash closes the base under the running sender, as a kill -9 leaves the file: what was
// committed stays, what the sender had yet to record is lost.
func (f *fixture) crash() {
	f.t.Helper()
	f.crashed[f.store] = true
	if err := f.store.Close(); err != nil {
		f.t.Fatal(err)
	}
}

// config is a sender configuration for tests: short waits, the pool's size.
func (f *fixture) config() sender.Config {
	return sender.Config{Workers: f.Conns, RetryMin: 10 * time.Millisecond, Timeout: 5 * time.Second, Poll: 20 * time.Millisecond}
}

// run starts a sender; stop cancels it and waits for Run to return.
func (f *fixture) run(cfg sender.Config) (s *sender.Sender, stop func()) {
	f.t.Helper()
	s, err := sender.New(f.store, f.pool, f.app, cfg, slog.New(slog.NewTextHandler(f.logs, nil)))
	if err != nil {
		f.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					f.t.Errorf("sender: %v", err)
				}
			case <-time.After(15 * time.Second):
				f.t.Error("the sender did not stop within 15 s")
			}
		})
	}
	f.t.Cleanup(stop)
	return s, stop
}

// campaign creates and starts a campaign of the communiqué to the named demo lists.
func (f *fixture) campaign(communiqueID uint64, lists ...string) *storage.Campaign {
	f.t.Helper()
	c := &storage.Campaign{CommuniqueID: communiqueID, Subject: "Santé : les pôles proposent sept mesures pour l’industrie",
		Pitch: "Veuillez trouver ci-dessous le **communiqué commun** des pôles de santé."}
	for _, name := range lists {
		id, ok := f.lists[name]
		if !ok {
			f.t.Fatalf("no demo list %q", name)
		}
		c.ListIDs = append(c.ListIDs, id)
	}
	if err := storage.Create(f.store, "test", c); err != nil {
		f.t.Fatal(err)
	}
	v, err := f.store.StartCampaign("test", c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// allLists is every demo list, the first one first.
func (f *fixture) allLists() []string {
	names := []string{"Presse nationale santé"}
	for _, r := range demo.Regions {
		names = append(names, "Presse "+r)
	}
	return names
}

// recipients is the union of the lists' recipients, by email.
func (f *fixture) recipients(lists ...string) map[string]storage.Contact {
	f.t.Helper()
	out := map[string]storage.Contact{}
	for _, name := range lists {
		cs, err := f.store.Recipients(f.lists[name])
		if err != nil {
			f.t.Fatal(err)
		}
		for _, c := range cs {
			out[c.Email] = c
		}
	}
	return out
}

// wait polls the campaign until it reaches status or the time is up.
func (f *fixture) wait(id uint64, status string, within time.Duration) *storage.Campaign {
	f.t.Helper()
	deadline := time.Now().Add(within)
	for {
		v, err := storage.Get[storage.Campaign](f.store, id)
		if err != nil {
			f.t.Fatal(err)
		}
		if v.Status == status {
			return v
		}
		if time.Now().After(deadline) {
			counts, _ := f.store.CampaignCounts(id)
			f.t.Fatalf("campaign %d is %q after %v, want %q (counts %v); log:\n%s", id, v.Status, within, status, counts, f.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// deliveries returns the campaign's deliveries by email.
func (f *fixture) deliveries(id uint64) map[string]storage.Delivery {
	f.t.Helper()
	page, err := f.store.Deliveries(id, storage.ListOptions{Limit: 1000}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]storage.Delivery{}
	for _, d := range page.Items {
		out[d.Email] = d
	}
	return out
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// parsed is a campaign message read back with net/mail and mime/multipart.
type parsed struct {
	Header mail.Header
	Text   string
	HTML   string
	PDFs   [][]byte
}

// parse reads a message and decodes its parts.
func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{Header: m.Header}
	mailtest.Walk(t, m.Header, m.Body, func(media string, h mail.Header, body io.Reader) {
		data := mailtest.Decode(t, h.Get("Content-Transfer-Encoding"), body)
		switch media {
		case "text/plain":
			p.Text = string(data)
		case "text/html":
			p.HTML = string(data)
		case "application/pdf":
			p.PDFs = append(p.PDFs, data)
		}
	})
	return p
}

// decodeHeader decodes RFC 2047 encoded words.
func decodeHeader(t *testing.T, v string) string {
	t.Helper()
	s, err := new(mime.WordDecoder).DecodeHeader(v)
	if err != nil {
		t.Fatalf("decode %q: %v", v, err)
	}
	return s
}
