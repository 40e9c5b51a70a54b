package sender_test

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// TestCrashResumes simulates a kill -9 in the middle of a campaign: the SMTP server takes
// ten messages, then keeps each following one but never answers, so every worker holds a
// message the server has and the base does not. The base is then closed under the sender,
// which records nothing more, as after a kill: the deliveries it claimed stay "sending" in
// the file. A new sender over the reopened base must reach everybody, resending only the
// messages that were on the wire or awaiting their commit: at most one per connection,
// with the same Message-ID.
func TestCrashResumes(t *testing.T) {
	var accepted atomic.Int32
	var crashed atomic.Bool
	onWire := make(chan struct{}, 64)
	release := make(chan struct{})
	ms := smtptest.Start(t, func(ms *smtptest.Server) {
		ms.Data = func(c *smtp.Conn, m smtptest.Message) error {
			if crashed.Load() || accepted.Add(1) <= 10 {
				return nil
			}
			ms.Keep(m) // the server queued it; its reply never reaches the sender
			onWire <- struct{}{}
			<-release
			return smtptest.Drop(c)
		}
	})
	f := newFixture(t, ms)
	lists := f.allLists()
	want := f.recipients(lists...)
	c := f.campaign(seed001ID, lists...)
	_, abandon := f.run(f.config())
	for range f.Conns {
		select {
		case <-onWire:
		case <-time.After(10 * time.Second):
			t.Fatal("the workers did not all reach the blocking server")
		}
	}
	f.crash()
	crashed.Store(true)
	close(release) // the blocked transactions fail; the old sender cannot record it
	abandon()

	f.open()
	counts, err := f.store.CampaignCounts(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[storage.DeliverySending] < f.Conns {
		t.Fatalf("after the crash the file holds %d deliveries sending, want at least the %d on the wire", counts[storage.DeliverySending], f.Conns)
	}
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	stop()

	got := ms.PerRecipient()
	duplicates := 0
	for email := range want {
		switch n := got[email]; {
		case n == 0:
			t.Errorf("%s was missed", email)
		case n > 1:
			duplicates += n - 1
			checkSameMessageID(t, ms, email)
		}
	}
	t.Logf("%d recipients, %d deliveries sending in the file after the crash, %d duplicates", len(want), counts[storage.DeliverySending], duplicates)
	if duplicates > maxUnrecorded*f.Conns {
		t.Errorf("%d duplicates, want at most %d per connection (%d)", duplicates, maxUnrecorded, maxUnrecorded*f.Conns)
	}
	for email, d := range f.deliveries(c.ID) {
		if d.Status != storage.DeliverySent {
			t.Errorf("%s: %s (%s)", email, d.Status, d.LastError)
		}
	}
}

// maxUnrecorded is the crash bound: how many messages per connection the server may have
// taken that the base does not record, and so how many may go out again after a kill.
const maxUnrecorded = 1

// TestCompletesAfterCommit checks the bound on duplicates where it comes from: whenever
// the server takes a message (its final "."), the messages it has taken that the base does
// not record as sent are at most one per worker, this one. A commit overlaps the next
// message's building and transfer, never its completion.
func TestCompletesAfterCommit(t *testing.T) {
	var campaignID atomic.Uint64
	var mu sync.Mutex
	taken := 0
	var f *fixture
	ms := smtptest.Start(t, func(ms *smtptest.Server) {
		ms.Data = func(c *smtp.Conn, m smtptest.Message) error {
			mu.Lock()
			defer mu.Unlock()
			taken++
			counts, err := f.store.CampaignCounts(campaignID.Load())
			if err != nil {
				t.Error(err)
				return nil
			}
			if unrecorded := taken - counts[storage.DeliverySent]; unrecorded > maxUnrecorded*f.Conns {
				t.Errorf("taking the message to %s, the server has %d messages not recorded as sent, more than %d per worker (%d workers)", m.To, unrecorded, maxUnrecorded, f.Conns)
			}
			return nil
		}
	})
	f = newFixture(t, ms)
	lists := f.allLists()
	c := &storage.Campaign{CommuniqueID: seed001ID, Subject: "Santé : sept propositions", ListIDs: []uint64{f.lists[lists[0]]}}
	for _, name := range lists[1:] {
		c.ListIDs = append(c.ListIDs, f.lists[name])
	}
	if err := storage.Create(f.store, "test", c); err != nil {
		t.Fatal(err)
	}
	campaignID.Store(c.ID)
	if _, err := f.store.StartCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	stop()
	if got, want := len(ms.Received()), len(f.recipients(lists...)); got != want {
		t.Errorf("the server took %d messages, want %d", got, want)
	}
}

// TestFailedCommitStopsTheWorker checks the gate itself: once the outcomes can no longer be
// committed, a worker completes at most one more message (the one being taken), never a
// second. One worker sends; while the server takes the fourth message, the
// base is closed under the sender, so that every commit from then on fails.
func TestFailedCommitStopsTheWorker(t *testing.T) {
	const crashAt = 4
	var f *fixture
	var mu sync.Mutex
	taken := 0
	ms := smtptest.Start(t, func(ms *smtptest.Server) {
		ms.Data = func(c *smtp.Conn, m smtptest.Message) error {
			mu.Lock()
			defer mu.Unlock()
			if taken++; taken == crashAt {
				f.crash()
			}
			return nil
		}
	})
	f = newFixture(t, ms, func(f *fixture) { f.Conns = 1 })
	lists := f.allLists()
	want := len(f.recipients(lists...))
	f.campaign(seed001ID, lists...)
	_, stop := f.run(f.config())
	// The worker halts with its batch handed back (which fails too) and the sender's next
	// claims fail: nothing more reaches the server. Waiting for the outcome the server is
	// sure to see, the sender's log of the failed claim, needs no clock.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(f.logs.String(), "msg=campaign ") {
		if time.Now().After(deadline) {
			t.Fatalf("the sender logged no failed campaign run within 30 s; log:\n%s", f.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if want <= crashAt+maxUnrecorded {
		t.Fatalf("only %d recipients: the test needs more than %d", want, crashAt+maxUnrecorded)
	}
	if after := taken - (crashAt - 1); after > maxUnrecorded {
		t.Errorf("the server took %d messages once commits failed, want at most %d", after, maxUnrecorded)
	}
	t.Logf("%d recipients; the server took %d messages, the commits failing from the %dth", want, taken, crashAt)
}
