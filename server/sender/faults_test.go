package sender_test

import (
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// target is the Grand Est journalist the scripted faults hit.
const target = "mathieu.schmitt@example.com"

// TestFaults runs a campaign to the Grand Est list while the server misbehaves for one
// recipient, and checks what happened to that delivery and to everybody else.
func TestFaults(t *testing.T) {
	tests := []struct {
		name      string
		configure func(ms *smtptest.Server, release <-chan struct{})
		status    string // the target's final delivery status
		attempts  int
		received  int // messages the server kept for the target
		bounced   bool
	}{
		{
			name: "Greylisted451ThenAccepted",
			configure: func(ms *smtptest.Server, _ <-chan struct{}) {
				ms.Data = firstTimeFor(target, func(*smtp.Conn, smtptest.Message) error {
					return errGreylisted
				})
			},
			status: storage.DeliverySent, attempts: 2, received: 1,
		},
		{
			name: "UnknownUser550",
			configure: func(ms *smtptest.Server, _ <-chan struct{}) {
				ms.Rcpt = func(to string) error {
					if to == target {
						return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
					}
					return nil
				}
			},
			status: storage.DeliveryFailed, attempts: 1, received: 0, bounced: true,
		},
		{
			// The server closes the connection after the data, before any reply: it never
			// took the message (an MTA takes it when it says 250), so the retry delivers it
			// exactly once.
			name: "DroppedDuringData",
			configure: func(ms *smtptest.Server, _ <-chan struct{}) {
				ms.Data = firstTimeFor(target, func(c *smtp.Conn, _ smtptest.Message) error {
					return smtptest.Drop(c)
				})
			},
			status: storage.DeliverySent, attempts: 2, received: 1,
		},
		{
			// The worst case of a drop: the server queued the message but its 250 was lost.
			// The client cannot know, retries, and the journalist gets it twice, with the
			// same Message-ID, which mail clients use to fold duplicates.
			name: "DroppedAfterAccepting",
			configure: func(ms *smtptest.Server, _ <-chan struct{}) {
				ms.Data = firstTimeFor(target, func(c *smtp.Conn, m smtptest.Message) error {
					ms.Keep(m)
					return smtptest.Drop(c)
				})
			},
			status: storage.DeliverySent, attempts: 2, received: 2,
		},
		{
			// The server stalls before answering the data: the mailer's timeout ends the
			// attempt, the delivery is retried and the campaign finishes.
			name: "StalledServer",
			configure: func(ms *smtptest.Server, release <-chan struct{}) {
				ms.Data = firstTimeFor(target, func(c *smtp.Conn, _ smtptest.Message) error {
					<-release
					return smtptest.Drop(c)
				})
			},
			status: storage.DeliverySent, attempts: 2, received: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			ms := smtptest.Start(t, func(ms *smtptest.Server) { tc.configure(ms, release) })
			t.Cleanup(func() { close(release) }) // before the server's Close
			f := newFixture(t, ms, func(f *fixture) { f.MailTimeout = time.Second })
			want := f.recipients("Presse Grand Est")
			if _, ok := want[target]; !ok {
				t.Fatalf("%s is not on the Grand Est list", target)
			}
			c := f.campaign(seed001ID, "Presse Grand Est")
			_, stop := f.run(f.config())
			f.wait(c.ID, storage.CampaignDone, 20*time.Second)
			stop()

			got := ms.PerRecipient()
			for email := range want {
				if email != target && got[email] != 1 {
					t.Errorf("%s got %d messages, want 1", email, got[email])
				}
			}
			if got[target] != tc.received {
				t.Errorf("%s got %d messages, want %d", target, got[target], tc.received)
			}
			checkSameMessageID(t, ms, target)
			d := f.deliveries(c.ID)[target]
			if d.Status != tc.status || d.Attempts != tc.attempts {
				t.Errorf("delivery: status %q after %d attempts (last error %q), want %q after %d", d.Status, d.Attempts, d.LastError, tc.status, tc.attempts)
			}
			if tc.status == storage.DeliveryFailed && !strings.Contains(d.LastError, "5.1.1") {
				t.Errorf("last error %q does not carry the server's 5.1.1", d.LastError)
			}
			contact, err := f.store.ContactByEmail(target)
			if err != nil {
				t.Fatal(err)
			}
			if contact.Bounced != tc.bounced {
				t.Errorf("contact bounced = %v, want %v", contact.Bounced, tc.bounced)
			}
			if tc.bounced && ms.Rcpts(target) != 1 {
				t.Errorf("the server was asked %d times for the bounced address, want once", ms.Rcpts(target))
			}
		})
	}
}

// firstTimeFor runs fault on the first DATA for to; later ones are accepted.
func firstTimeFor(to string, fault func(*smtp.Conn, smtptest.Message) error) func(*smtp.Conn, smtptest.Message) error {
	var done atomic.Bool
	return func(c *smtp.Conn, m smtptest.Message) error {
		if m.To != to || !done.CompareAndSwap(false, true) {
			return nil
		}
		return fault(c, m)
	}
}

// errGreylisted is a greylisting server's temporary refusal.
var errGreylisted = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "Greylisted, try again later"}

// greylistForGood starts a server that refuses the recipient to with errGreylisted, always.
func greylistForGood(t *testing.T, to string) *smtptest.Server {
	t.Helper()
	return smtptest.Start(t, func(ms *smtptest.Server) {
		ms.Rcpt = func(rcpt string) error {
			if rcpt == to {
				return errGreylisted
			}
			return nil
		}
	})
}

// checkSameMessageID: all the copies a recipient got carry one Message-ID.
func checkSameMessageID(t *testing.T, ms *smtptest.Server, to string) {
	t.Helper()
	ids := map[string]bool{}
	for _, r := range ms.Received() {
		if r.To == to {
			ids[messageID(r.Data)] = true
		}
	}
	if len(ids) > 1 {
		t.Errorf("%s got copies with %d different Message-IDs", to, len(ids))
	}
}

// messageID reads the Message-ID field of a raw message.
func messageID(data []byte) string {
	for line := range strings.SplitSeq(string(data), "\r\n") {
		if v, ok := strings.CutPrefix(line, "Message-ID: "); ok {
			return v
		}
		if line == "" {
			break
		}
	}
	return ""
}

// TestAutoPause: with the SMTP server unreachable every attempt fails with a temporary
// error; after three such batches the campaign pauses itself and says why in the log.
func TestAutoPause(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ms := &smtptest.Server{Addr: l.Addr().String()}
	l.Close() // nobody listens there now
	f := newFixture(t, ms)
	c := f.campaign(seed001ID, "Presse Grand Est")
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignPaused, 20*time.Second)
	stop()
	counts, err := f.store.CampaignCounts(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[storage.DeliverySent] != 0 || counts[storage.DeliveryFailed] != 0 || counts[storage.DeliverySending] != 0 {
		t.Errorf("counts %v: every delivery should wait, pending", counts)
	}
	for email, d := range f.deliveries(c.ID) {
		if d.Attempts == 0 || !strings.Contains(d.LastError, "connexion au serveur SMTP impossible") {
			t.Errorf("%s: %d attempts, last error %q; want failed attempts", email, d.Attempts, d.LastError)
		}
	}
	if logs := f.logs.String(); !strings.Contains(logs, "campaign paused") {
		t.Errorf("the log does not say why the campaign paused:\n%s", logs)
	}
}

// TestGreylistedTailDoesNotPause: one address greylisted for good leaves a tail of batches
// that only fail temporarily, but the server answers: the campaign keeps retrying it.
func TestGreylistedTailDoesNotPause(t *testing.T) {
	ms := greylistForGood(t, target)
	f := newFixture(t, ms)
	want := f.recipients("Presse Grand Est")
	c := f.campaign(seed001ID, "Presse Grand Est")
	_, stop := f.run(f.config())
	waitCount(t, ms, len(want)-1)
	deadline := time.Now().Add(10 * time.Second)
	for ms.Rcpts(target) < 5 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if n := ms.Rcpts(target); n < 5 {
		t.Fatalf("the greylisted address was tried %d times, want at least 5", n)
	}
	if v, _ := storage.Get[storage.Campaign](f.store, c.ID); v.Status != storage.CampaignSending {
		t.Errorf("status %q after retrying a greylisted address, want still sending", v.Status)
	}
}
