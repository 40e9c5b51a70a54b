package sender_test

import (
	"strings"
	"testing"
	"time"

	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
	"portevoix/storage/contactfile"
)

// slowServer takes 40 ms per message, so that a campaign lasts long enough to be paused.
func slowServer(t *testing.T) *smtptest.Server {
	return smtptest.Start(t, func(ms *smtptest.Server) { ms.Delay = 40 * time.Millisecond })
}

// waitCount waits until the server has accepted n messages.
func waitCount(t *testing.T, ms *smtptest.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for ms.Count() < n {
		if time.Now().After(deadline) {
			t.Fatalf("the server has %d messages after 20 s, want %d", ms.Count(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkQuiet checks, after a stop at stoppedAt, that no transaction began more than a
// second later (an upper bound, not a timing benchmark).
func checkQuiet(t *testing.T, ms *smtptest.Server, stoppedAt time.Time) {
	t.Helper()
	time.Sleep(1500 * time.Millisecond)
	for _, at := range ms.Starts() {
		if at.After(stoppedAt.Add(time.Second)) {
			t.Errorf("a transaction began %v after the stop", at.Sub(stoppedAt))
		}
	}
}

// TestStartTwicePauseResume: a second start changes nothing, a pause stops the sending
// within a second, and start resumes where it stopped: everybody gets one message.
func TestStartTwicePauseResume(t *testing.T) {
	ms := slowServer(t)
	f := newFixture(t, ms, func(f *fixture) { f.Conns = 2 })
	lists := f.allLists()
	want := f.recipients(lists...)
	c := f.campaign(seed001ID, lists...)
	if _, err := f.store.StartCampaign("test", c.ID); err != nil {
		t.Fatalf("second start: %v", err)
	}
	counts, _ := f.store.CampaignCounts(c.ID)
	if counts[storage.DeliveryPending] != len(want) {
		t.Fatalf("after two starts: %v, want %d pending deliveries", counts, len(want))
	}
	s, stop := f.run(f.config())
	waitCount(t, ms, 10)
	if _, err := f.store.PauseCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	pausedAt := time.Now()
	s.Wake()
	checkQuiet(t, ms, pausedAt)
	during := ms.Count()
	if during >= len(want) {
		t.Fatalf("the whole campaign went out (%d messages) despite the pause", during)
	}
	counts, _ = f.store.CampaignCounts(c.ID)
	if counts[storage.DeliverySending] != 0 || counts[storage.DeliverySent] != during {
		t.Errorf("paused with counts %v after %d messages: nothing should stay sending", counts, during)
	}

	if _, err := f.store.StartCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	s.Wake()
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	if _, err := f.store.StartCampaign("test", c.ID); storage.ErrorCode(err) != storage.ECONFLICT {
		t.Errorf("start after done: %v, want ECONFLICT", err)
	}
	s.Wake()
	time.Sleep(200 * time.Millisecond)
	stop()
	t.Logf("%d messages before the pause, %d in all", during, ms.Count())
	got := ms.PerRecipient()
	for email := range want {
		if got[email] != 1 {
			t.Errorf("%s got %d messages, want 1", email, got[email])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d addresses got mail, want %d", len(got), len(want))
	}
}

// TestCancelSkipsTheRest: after cancel nothing more goes out and the rest is skipped.
func TestCancelSkipsTheRest(t *testing.T) {
	ms := slowServer(t)
	f := newFixture(t, ms, func(f *fixture) { f.Conns = 2 })
	lists := f.allLists()
	want := f.recipients(lists...)
	c := f.campaign(seed001ID, lists...)
	s, stop := f.run(f.config())
	waitCount(t, ms, 10)
	if _, err := f.store.CancelCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	cancelledAt := time.Now()
	s.Wake()
	checkQuiet(t, ms, cancelledAt)
	stop()
	counts, err := f.store.CampaignCounts(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	sent := counts[storage.DeliverySent]
	if sent != ms.Count() || counts[storage.DeliverySkipped] == 0 || sent+counts[storage.DeliverySkipped] != len(want) {
		t.Errorf("counts %v for %d messages received and %d recipients", counts, ms.Count(), len(want))
	}
	if v, _ := storage.Get[storage.Campaign](f.store, c.ID); v.Status != storage.CampaignCancelled {
		t.Errorf("status %q, want cancelled", v.Status)
	}
}

// TestUnsubscribedStaysOut: a journalist unsubscribes, then a spreadsheet that lists
// them is imported; they stay opted out and the next campaign does not mail them.
func TestUnsubscribedStaysOut(t *testing.T) {
	const email = "helene.lefevre@example.org" // on the Pays de la Loire list
	ms := smtptest.Start(t, nil)
	f := newFixture(t, ms)
	contact, err := f.store.ContactByEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.OptOut(contact.ID, "unsubscribe"); err != nil {
		t.Fatal(err)
	}
	csv := "Prénom;Nom;E-mail;Média;Régions\n" +
		"Hélène;Lefèvre;Helene.Lefevre@example.org;Ouest-France Nantes;Pays de la Loire\n" +
		"Paul;Nouveau;paul.nouveau@example.org;Presse Océan;Pays de la Loire\n"
	report, err := contactfile.Import(f.store, "test", strings.NewReader(csv), "presse.csv", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(report.Errors) != 0 || report.Created != 1 {
		t.Fatalf("import: %+v", report)
	}
	contact, err = f.store.ContactByEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	if !contact.OptedOut || contact.Organization != "Ouest-France Nantes" {
		t.Errorf("after the import: opted out %v, organisation %q; want still opted out, updated", contact.OptedOut, contact.Organization)
	}
	c := f.campaign(seed001ID, "Presse Pays de la Loire")
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	stop()
	got := ms.PerRecipient()
	if got[email] != 0 || ms.Rcpts(email) != 0 {
		t.Errorf("the unsubscribed address got %d messages", got[email])
	}
	if got["paul.nouveau@example.org"] != 1 {
		t.Errorf("the newly imported journalist got %d messages, want 1", got["paul.nouveau@example.org"])
	}
	if _, ok := f.deliveries(c.ID)[email]; ok {
		t.Error("the campaign has a delivery for the unsubscribed address")
	}
}
