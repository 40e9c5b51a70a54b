package storage_test

import (
	"testing"
	"time"

	"portevoix/storage"
	"portevoix/storage/demo"
)

// startedCampaign loads the demo and starts a campaign to a new list of the given
// addresses; it returns the campaign and its deliveries by address.
func startedCampaign(t *testing.T, s *storage.Store, emails ...string) (*storage.Campaign, map[string]storage.Delivery) {
	t.Helper()
	if _, err := demo.Load(s, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	l := &storage.List{Name: "Essai"}
	for _, e := range emails {
		l.MemberIDs = append(l.MemberIDs, MustCreate(t, s, &storage.Contact{Email: e, FirstName: "Zoé"}).ID)
	}
	MustCreate(t, s, l)
	c := MustCreate(t, s, &storage.Campaign{CommuniqueID: 1, ListIDs: []uint64{l.ID}, Subject: "Communiqué"})
	if _, err := s.StartCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimDeliveries(c.ID, 100, time.Now())
	if err != nil || len(claimed) != len(emails) {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	out := map[string]storage.Delivery{}
	for _, d := range claimed {
		out[d.Email] = d
	}
	return c, out
}

func TestRetryFailedReopensAFinishedCampaign(t *testing.T) {
	s := MustOpen(t)
	c, d := startedCampaign(t, s, "ok@example.com", "refused@example.com", "gone@example.com")
	closed, err := s.RecordResults([]storage.DeliveryResult{
		{DeliveryID: d["ok@example.com"].ID, Outcome: storage.OutcomeSent},
		{DeliveryID: d["refused@example.com"].ID, Outcome: storage.OutcomeFailed, Error: "boîte pleine"},
		{DeliveryID: d["gone@example.com"].ID, Outcome: storage.OutcomeFailed, Error: "adresse inconnue", Bounced: true},
	})
	if err != nil || len(closed) != 1 {
		t.Fatalf("closed %v, %v", closed, err)
	}
	n, err := s.RetryFailed("editor@example.org", c.ID)
	if err != nil || n != 1 {
		t.Fatalf("retried %d, %v: only the failure whose address did not bounce", n, err)
	}
	v, _ := storage.Get[storage.Campaign](s, c.ID)
	counts, _ := s.CampaignCounts(c.ID)
	if v.Status != storage.CampaignSending || v.FinishedAt != nil || counts[storage.DeliveryPending] != 1 || counts[storage.DeliveryFailed] != 1 || counts[storage.DeliverySent] != 1 {
		t.Fatalf("campaign %s, counts %v", v.Status, counts)
	}
	again, err := s.ClaimDeliveries(c.ID, 100, time.Now())
	if err != nil || len(again) != 1 || again[0].Email != "refused@example.com" {
		t.Fatalf("claimed again %+v, %v", again, err)
	}
	log, _ := s.AuditLog(storage.ListOptions{Limit: 5})
	if e := log.Items[0]; e.Action != "retry" || e.RecordID != c.ID || e.Actor != "editor@example.org" || e.Detail != "envois relancés\u00a0: 1" {
		t.Fatalf("audit %+v", e)
	}
}

func TestRetryFailedSendsAWaitingDeliveryNow(t *testing.T) {
	s := MustOpen(t)
	c, d := startedCampaign(t, s, "ok@example.com", "later@example.com")
	if _, err := s.RecordResults([]storage.DeliveryResult{
		{DeliveryID: d["ok@example.com"].ID, Outcome: storage.OutcomeSent},
		{DeliveryID: d["later@example.com"].ID, Outcome: storage.OutcomeRetry, Error: "451 réessayez plus tard", RetryAt: time.Now().Add(time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Retrying(c.ID); err != nil || n != 1 {
		t.Fatalf("retrying %d, %v", n, err)
	}
	if due, _ := s.ClaimDeliveries(c.ID, 100, time.Now()); len(due) != 0 {
		t.Fatalf("not due yet: %+v", due)
	}
	if n, err := s.RetryFailed("editor@example.org", c.ID); err != nil || n != 1 {
		t.Fatalf("retried %d, %v", n, err)
	}
	due, err := s.ClaimDeliveries(c.ID, 100, time.Now())
	if err != nil || len(due) != 1 || due[0].Email != "later@example.com" {
		t.Fatalf("due now: %+v, %v", due, err)
	}
	if n, _ := s.Retrying(c.ID); n != 0 {
		t.Fatalf("retrying after the claim: %d", n)
	}
}

func TestRetryFailedRefusals(t *testing.T) {
	s := MustOpen(t)
	c, d := startedCampaign(t, s, "ok@example.com")
	if _, err := s.RecordResults([]storage.DeliveryResult{{DeliveryID: d["ok@example.com"].ID, Outcome: storage.OutcomeSent}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.RetryFailed("x", c.ID)
	wantCode(t, err, storage.ECONFLICT) // nothing failed
	draft := MustCreate(t, s, &storage.Campaign{CommuniqueID: 1, ListIDs: c.ListIDs, Subject: "Brouillon"})
	_, err = s.RetryFailed("x", draft.ID)
	wantCode(t, err, storage.ECONFLICT)
	_, err = s.RetryFailed("x", 999)
	wantCode(t, err, storage.ENOTFOUND)
}

func TestCampaignGreeting(t *testing.T) {
	s := MustOpen(t)
	c, _ := startedCampaign(t, s, "a@example.com")
	if c.Greeting != storage.GreetingName {
		t.Fatalf("default greeting %q", c.Greeting)
	}
	bad := &storage.Campaign{CommuniqueID: 1, ListIDs: c.ListIDs, Subject: "S", Greeting: "salut"}
	wantCode(t, storage.Create(s, "test", bad), storage.EINVALID)
	formal := MustCreate(t, s, &storage.Campaign{CommuniqueID: 1, ListIDs: c.ListIDs, Subject: "S", Greeting: storage.GreetingNone})
	if got, _ := storage.Get[storage.Campaign](s, formal.ID); got.Greeting != storage.GreetingNone {
		t.Fatalf("stored greeting %q", got.Greeting)
	}
}

func TestCountListsRecipientsCountsEachAddressOnce(t *testing.T) {
	s := MustOpen(t)
	a := MustCreate(t, s, &storage.Contact{Email: "a@example.com", Regions: []string{"Bretagne"}})
	MustCreate(t, s, &storage.Contact{Email: "b@example.com", Regions: []string{"Occitanie"}})
	bretagne := MustCreate(t, s, &storage.List{Name: "Bretagne", Regions: []string{"Bretagne"}})
	both := MustCreate(t, s, &storage.List{Name: "Deux", Regions: []string{"Bretagne", "Occitanie"}})
	explicit := MustCreate(t, s, &storage.List{Name: "Un", MemberIDs: []uint64{a.ID}})
	n, err := s.CountListsRecipients([]uint64{bretagne.ID, both.ID, explicit.ID})
	if err != nil || n != 2 {
		t.Fatalf("%d recipients, %v", n, err)
	}
	_, err = s.CountListsRecipients([]uint64{999})
	wantCode(t, err, storage.ENOTFOUND)
}

// TestResumeAScheduledSendThatWasPaused: a send paused before its time had no recipients
// yet; resuming it schedules it again instead of marking it sending with nobody to send to.
func TestResumeAScheduledSendThatWasPaused(t *testing.T) {
	s := MustOpen(t)
	if _, err := demo.Load(s, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	lists, _ := storage.Find[storage.List](s, storage.ListOptions{}, nil)
	later := time.Now().Add(48 * time.Hour).UTC()
	c := MustCreate(t, s, &storage.Campaign{CommuniqueID: 1, ListIDs: []uint64{lists.Items[0].ID}, Subject: "S", ScheduledAt: &later})
	for _, step := range []func(string, uint64) (*storage.Campaign, error){s.StartCampaign, s.PauseCampaign} {
		if _, err := step("test", c.ID); err != nil {
			t.Fatal(err)
		}
	}
	v, err := s.StartCampaign("test", c.ID)
	if err != nil || v.Status != storage.CampaignScheduled || v.StartedAt != nil {
		t.Fatalf("resumed before its time: %s, started %v, %v", v.Status, v.StartedAt, err)
	}
}
