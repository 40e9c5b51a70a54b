package sender_test

import (
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// clock is a settable time source for the sender, safe to read from its goroutines.
type clock struct{ ns atomic.Int64 }

func (c *clock) Now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *clock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// waitDelivery polls the delivery to email until ok says it is as expected.
func (f *fixture) waitDelivery(campaignID uint64, email string, ok func(storage.Delivery) bool) storage.Delivery {
	f.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		d := f.deliveries(campaignID)[email]
		if ok(d) {
			return d
		}
		if time.Now().After(deadline) {
			f.t.Fatalf("delivery to %s after 20 s: status %q, %d attempts, last error %q", email, d.Status, d.Attempts, d.LastError)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestGiveUpAfter24Hours: a recipient's server that only ever answers 451 is retried for
// 24 hours from the first attempt, on the sender's clock, then the delivery fails.
func TestGiveUpAfter24Hours(t *testing.T) {
	ms := greylistForGood(t, target)
	f := newFixture(t, ms)
	want := f.recipients("Presse Grand Est")
	c := f.campaign(seed001ID, "Presse Grand Est")
	clk := &clock{}
	start := time.Now() // after the campaign's start, so its deliveries are due
	clk.Set(start)
	cfg := f.config()
	cfg.Now = clk.Now
	s, stop := f.run(cfg)

	waitCount(t, ms, len(want)-1)
	// The retry is due a few milliseconds later on a clock that does not move: it waits.
	f.waitDelivery(c.ID, target, func(d storage.Delivery) bool { return d.Status == storage.DeliveryPending && d.Attempts == 1 })
	if d := f.deliveries(c.ID)[target]; d.FirstAttempt == nil || !d.FirstAttempt.Equal(start) {
		t.Fatalf("first attempt %v, want the sender's clock %v", d.FirstAttempt, start)
	}

	clk.Set(start.Add(23 * time.Hour))
	s.Wake()
	f.waitDelivery(c.ID, target, func(d storage.Delivery) bool { return d.Status == storage.DeliveryPending && d.Attempts == 2 })
	if v, _ := storage.Get[storage.Campaign](f.store, c.ID); v.Status != storage.CampaignSending {
		t.Fatalf("within 24 hours the campaign keeps sending, status %q", v.Status)
	}

	clk.Set(start.Add(24 * time.Hour))
	s.Wake()
	f.wait(c.ID, storage.CampaignDone, 20*time.Second)
	stop()
	d := f.deliveries(c.ID)[target]
	if d.Status != storage.DeliveryFailed || d.Attempts != 3 || !strings.Contains(d.LastError, "4.7.1") {
		t.Errorf("after 24 hours: status %q, %d attempts, last error %q; want failed after 3 with the server's 4.7.1",
			d.Status, d.Attempts, d.LastError)
	}
	if contact, err := storage.Get[storage.Contact](f.store, d.ContactID); err != nil || contact.Bounced {
		t.Errorf("a temporary refusal is no bounce: %+v %v", contact, err)
	}
	if n := ms.Rcpts(target); n != 3 {
		t.Errorf("%s was tried %d times, want 3", target, n)
	}
}

// TestHaltReleasesTheBatch: when the messages cannot be built (here a bad sender
// address), the sender pauses the campaign and hands its claimed batch back untouched;
// once the address is fixed, resuming sends every message once.
func TestHaltReleasesTheBatch(t *testing.T) {
	ms := smtptest.Start(t, nil)
	f := newFixture(t, ms)
	want := f.recipients("Presse Grand Est")
	f.app.From = "pas une adresse"
	c := f.campaign(seed001ID, "Presse Grand Est")
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignPaused, 20*time.Second)
	stop()

	if n := ms.Count(); n != 0 {
		t.Fatalf("%d messages went out from a campaign that cannot be built", n)
	}
	deliveries := f.deliveries(c.ID)
	if len(deliveries) != len(want) {
		t.Fatalf("%d deliveries, want %d", len(deliveries), len(want))
	}
	for email, d := range deliveries {
		if d.Status != storage.DeliveryPending || d.Attempts != 0 || d.FirstAttempt != nil {
			t.Errorf("%s: status %q, %d attempts, first attempt %v; want released: pending, never attempted", email, d.Status, d.Attempts, d.FirstAttempt)
		}
	}
	if logs := f.logs.String(); !strings.Contains(logs, "campaign") || !strings.Contains(logs, "id="+strconv.FormatUint(c.ID, 10)) {
		t.Errorf("the log does not say which campaign stopped and why:\n%s", logs)
	}

	f.app.From = fromField
	if _, err := f.store.StartCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	_, stop = f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 20*time.Second)
	stop()
	got := ms.PerRecipient()
	for email := range want {
		if got[email] != 1 {
			t.Errorf("%s got %d messages after the resume, want 1", email, got[email])
		}
	}
}
