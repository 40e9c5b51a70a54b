package storage_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"portevoix/storage"
)

// fixture is a small joint release: two co-signing pôles, one quote, one contact, one list.
type fixture struct {
	s            *storage.Store
	poleA, poleB *storage.Pole
	quote        *storage.Quote
	contact      *storage.Contact
	list         *storage.List
	communique   *storage.Communique
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{s: MustOpen(t)}
	clock := time.Date(2020, 5, 12, 9, 0, 0, 0, time.UTC)
	f.s.Now = func() time.Time { return clock }
	f.poleA = MustCreate(t, f.s, &storage.Pole{Name: "Eurobiomed", Regions: []string{"Occitanie"}})
	f.poleB = MustCreate(t, f.s, &storage.Pole{Name: "Lyonbiopôle", Regions: []string{"Auvergne-Rhône-Alpes"}})
	person := MustCreate(t, f.s, &storage.Person{Name: "Michaël Danon", PoleID: f.poleA.ID})
	f.quote = MustCreate(t, f.s, &storage.Quote{PersonID: person.ID, Text: "Tant que la règle…"})
	f.contact = MustCreate(t, f.s, &storage.Contact{Email: "presse@example.org", PoleID: f.poleA.ID, Kind: storage.KindPressOfficer})
	for i, region := range []string{"Occitanie", "Occitanie", "Grand Est"} {
		MustCreate(t, f.s, &storage.Contact{Email: "j" + string(rune('a'+i)) + "@example.org", Regions: []string{region}})
	}
	f.list = MustCreate(t, f.s, &storage.List{Name: "Occitanie", Regions: []string{"Occitanie"}, Kinds: []string{"journalist"}})
	f.communique = MustCreate(t, f.s, &storage.Communique{Title: "Souveraineté sanitaire : 7 mesures !", Date: "2020-05-12", Template: "mesures",
		PoleIDs: []uint64{f.poleA.ID, f.poleB.ID}, QuoteIDs: []uint64{f.quote.ID}, ContactIDs: []uint64{f.contact.ID}})
	return f
}

func (f *fixture) approveAll(t *testing.T) {
	t.Helper()
	if _, err := f.s.ApproveQuote("test", f.quote.ID, ""); err != nil {
		t.Fatal(err)
	}
	for _, p := range []uint64{f.poleA.ID, f.poleB.ID} {
		if _, err := f.s.ApproveCommunique("test", f.communique.ID, p); err != nil {
			t.Fatal(err)
		}
	}
}

// startedCampaign approves the communiqué and starts a campaign of it to the list.
func (f *fixture) startedCampaign(t *testing.T) *storage.Campaign {
	t.Helper()
	f.approveAll(t)
	camp := MustCreate(t, f.s, &storage.Campaign{CommuniqueID: f.communique.ID, ListIDs: []uint64{f.list.ID}, Subject: "S"})
	if _, err := f.s.StartCampaign("test", camp.ID); err != nil {
		t.Fatal(err)
	}
	return camp
}

// approveAndPublish approves the communiqué and its quote, and publishes it.
func (f *fixture) approveAndPublish(t *testing.T) {
	t.Helper()
	f.approveAll(t)
	if _, err := f.s.PublishCommunique("test", f.communique.ID); err != nil {
		t.Fatal(err)
	}
}

// rewriteQuoteAndDropContact changes the words the communiqué cites (the quote, no longer
// approved) and deletes its press contact, as happens after a publication or a start.
func (f *fixture) rewriteQuoteAndDropContact(t *testing.T) {
	t.Helper()
	q, _ := storage.Get[storage.Quote](f.s, f.quote.ID)
	q.Text = "Des mots jamais approuvés"
	must(t, storage.Update(f.s, "test", q))
	must(t, storage.Delete[storage.Contact](f.s, "test", f.contact.ID))
}

func TestCommuniqueSlugAndRevisions(t *testing.T) {
	f := newFixture(t)
	if f.communique.Slug != "souverainete-sanitaire-7-mesures" || f.communique.Status != storage.CommuniqueDraft || f.communique.Revision != 1 {
		t.Fatalf("created: %+v", f.communique)
	}
	got, _ := storage.Get[storage.Communique](f.s, f.communique.ID)
	got.Lede = "Chapeau"
	if err := storage.Update(f.s, "test", got); err != nil {
		t.Fatal(err)
	}
	revs, err := f.s.Revisions(f.communique.ID)
	if err != nil || len(revs) != 2 || revs[0].Lede != "" || revs[1].Lede != "Chapeau" || revs[1].Revision != 2 {
		t.Fatalf("revisions: %+v %v", revs, err)
	}
	dup := &storage.Communique{Title: "Souveraineté sanitaire : 7 mesures !", Date: "2020-05-12", Template: "mesures", PoleIDs: []uint64{f.poleA.ID}}
	wantCode(t, storage.Create(f.s, "test", dup), storage.ECONFLICT)
}

func TestCommuniqueApprovalNeedsApprovedQuotesAndEveryCoSigner(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.ApproveCommunique("test", f.communique.ID, f.poleA.ID)
	wantCode(t, err, storage.ECONFLICT)
	if !strings.Contains(err.Error(), "Michaël Danon") {
		t.Fatalf("the error must name the quote's speaker: %v", err)
	}
	if _, err := f.s.ApproveQuote("test", f.quote.ID, ""); err != nil {
		t.Fatal(err)
	}
	outsider := MustCreate(t, f.s, &storage.Pole{Name: "Medicen"})
	_, err = f.s.ApproveCommunique("test", f.communique.ID, outsider.ID)
	wantCode(t, err, storage.EINVALID)

	c, err := f.s.ApproveCommunique("test", f.communique.ID, f.poleA.ID)
	if err != nil || c.Status != storage.CommuniqueDraft {
		t.Fatalf("one of two approvals: %+v %v", c, err)
	}
	_, err = f.s.PublishCommunique("test", f.communique.ID)
	wantCode(t, err, storage.ECONFLICT)
	if !strings.Contains(err.Error(), "Lyonbiopôle") {
		t.Fatalf("the error must name the missing co-signer: %v", err)
	}
	c, _ = f.s.ApproveCommunique("test", f.communique.ID, f.poleB.ID)
	if c.Status != storage.CommuniqueApproved {
		t.Fatalf("all approved: %+v", c)
	}
	// An edit clears the approvals.
	c.Body = "Nouveau texte"
	if err := storage.Update(f.s, "test", c); err != nil {
		t.Fatal(err)
	}
	c, _ = storage.Get[storage.Communique](f.s, f.communique.ID)
	if c.Status != storage.CommuniqueDraft || len(c.Approvals) != 0 {
		t.Fatalf("edit must clear approvals: %+v", c)
	}
}

func TestPublishedCommuniqueIsFrozenAndHonoursEmbargo(t *testing.T) {
	f := newFixture(t)
	embargo := time.Date(2020, 5, 12, 8, 0, 0, 0, time.UTC)
	c, _ := storage.Get[storage.Communique](f.s, f.communique.ID)
	c.EmbargoUntil = &embargo
	if err := storage.Update(f.s, "test", c); err != nil {
		t.Fatal(err)
	}
	f.approveAll(t)
	c, err := f.s.PublishCommunique("test", f.communique.ID)
	if err != nil || c.Status != storage.CommuniquePublished {
		t.Fatalf("publish: %+v %v", c, err)
	}
	wantCode(t, storage.Update(f.s, "test", c), storage.ECONFLICT)
	if pub, _ := f.s.Published(embargo.Add(-time.Minute)); len(pub) != 0 {
		t.Fatal("embargoed communiqué listed before its time")
	}
	if pub, _ := f.s.Published(embargo); len(pub) != 1 {
		t.Fatal("communiqué not listed after its embargo")
	}
}

func TestDeletedReferenceIsNamed(t *testing.T) {
	f := newFixture(t)
	if err := storage.Delete[storage.Contact](f.s, "test", f.contact.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.s.CommuniqueBundle(f.communique.ID)
	var e *storage.Error
	if !errors.As(err, &e) || e.Code != storage.EINVALID || e.Fields[0].Field != "contact_ids[0]" {
		t.Fatalf("bundle with a deleted contact: %v", err)
	}
}

func TestCampaignLifecycle(t *testing.T) {
	f := newFixture(t)
	camp := MustCreate(t, f.s, &storage.Campaign{CommuniqueID: f.communique.ID, ListIDs: []uint64{f.list.ID}, Subject: "Souveraineté sanitaire"})
	_, err := f.s.StartCampaign("test", camp.ID)
	wantCode(t, err, storage.ECONFLICT) // communiqué not approved yet
	f.approveAll(t)
	started, err := f.s.StartCampaign("test", camp.ID)
	if err != nil || started.Status != storage.CampaignSending {
		t.Fatalf("start: %+v %v", started, err)
	}
	if _, err := f.s.StartCampaign("test", camp.ID); err != nil {
		t.Fatalf("second start must be a no-op: %v", err)
	}
	counts, _ := f.s.CampaignCounts(camp.ID)
	if counts[storage.DeliveryPending] != 2 {
		t.Fatalf("counts after double start: %v (want 2 pending)", counts)
	}
	now := f.s.Now()
	claimed, err := f.s.ClaimDeliveries(camp.ID, 10, now)
	if err != nil || len(claimed) != 2 || claimed[0].Status != storage.DeliverySending {
		t.Fatalf("claim: %+v %v", claimed, err)
	}
	// A crash here: both are in flight. Recovery puts them back, and only them.
	if n, err := f.s.RecoverInFlight(); err != nil || n != 2 {
		t.Fatalf("recover: %d %v", n, err)
	}
	claimed, _ = f.s.ClaimDeliveries(camp.ID, 10, now)
	closed, err := f.s.RecordResults([]storage.DeliveryResult{
		{DeliveryID: claimed[0].ID, Outcome: storage.OutcomeSent, MessageID: "<a@example.org>"},
		{DeliveryID: claimed[1].ID, Outcome: storage.OutcomeRetry, Error: "451 try later", RetryAt: now.Add(time.Minute)},
	})
	if err != nil || len(closed) != 0 {
		t.Fatalf("results: %v %v", closed, err)
	}
	if more, _ := f.s.ClaimDeliveries(camp.ID, 10, now); len(more) != 0 {
		t.Fatal("a retry was handed out before it was due")
	}
	retry, _ := f.s.ClaimDeliveries(camp.ID, 10, now.Add(time.Minute))
	if len(retry) != 1 || retry[0].Attempts != 3 {
		t.Fatalf("retry: %+v", retry)
	}
	closed, _ = f.s.RecordResults([]storage.DeliveryResult{{DeliveryID: retry[0].ID, Outcome: storage.OutcomeFailed, Error: "550 5.1.1 no such user", Bounced: true}})
	if len(closed) != 1 {
		t.Fatal("campaign not closed when nothing is left")
	}
	done, _ := storage.Get[storage.Campaign](f.s, camp.ID)
	counts, _ = f.s.CampaignCounts(camp.ID)
	if done.Status != storage.CampaignDone || counts[storage.DeliverySent] != 1 || counts[storage.DeliveryFailed] != 1 {
		t.Fatalf("done: %+v %v", done, counts)
	}
	bounced, _ := storage.Get[storage.Contact](f.s, retry[0].ContactID)
	if !bounced.Bounced {
		t.Fatal("hard bounce not recorded on the contact")
	}
	page, _ := f.s.Deliveries(camp.ID, storage.ListOptions{}, "")
	if len(page.Items) != 2 || page.Items[0].MessageID != "<a@example.org>" {
		t.Fatalf("deliveries: %+v", page.Items)
	}
}

func TestPauseAndCancel(t *testing.T) {
	f := newFixture(t)
	camp := f.startedCampaign(t)
	if _, err := f.s.PauseCampaign("test", camp.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.ClaimDeliveries(camp.ID, 10, f.s.Now()); len(got) != 0 {
		t.Fatal("a paused campaign handed out deliveries")
	}
	if _, err := f.s.StartCampaign("test", camp.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.ClaimDeliveries(camp.ID, 1, f.s.Now()); len(got) != 1 {
		t.Fatal("resume did not hand out deliveries")
	}
	c, err := f.s.CancelCampaign("test", camp.ID)
	counts, _ := f.s.CampaignCounts(camp.ID)
	if err != nil || c.Status != storage.CampaignCancelled || counts[storage.DeliverySkipped] != 1 || counts[storage.DeliverySending] != 1 {
		t.Fatalf("cancel: %+v %v %v", c, err, counts)
	}
	_, err = f.s.StartCampaign("test", camp.ID)
	wantCode(t, err, storage.ECONFLICT)
}

// TestRecoverInFlightPerCampaign: after a crash with deliveries in flight in two campaigns,
// one of them cancelled meanwhile, and a third campaign finished, recovery queues the first
// campaign's again, skips the cancelled one's and leaves the finished one alone.
func TestRecoverInFlightPerCampaign(t *testing.T) {
	f := newFixture(t)
	done := f.startedCampaign(t)
	claimed, _ := f.s.ClaimDeliveries(done.ID, 10, f.s.Now())
	results := make([]storage.DeliveryResult, len(claimed))
	for i, d := range claimed {
		results[i] = storage.DeliveryResult{DeliveryID: d.ID, Outcome: storage.OutcomeSent, MessageID: fmt.Sprintf("<%d@example.org>", d.ID)}
	}
	if _, err := f.s.RecordResults(results); err != nil {
		t.Fatal(err)
	}
	sending := MustCreate(t, f.s, &storage.Campaign{CommuniqueID: f.communique.ID, ListIDs: []uint64{f.list.ID}, Subject: "S2"})
	cancelled := MustCreate(t, f.s, &storage.Campaign{CommuniqueID: f.communique.ID, ListIDs: []uint64{f.list.ID}, Subject: "S3"})
	for _, c := range []*storage.Campaign{sending, cancelled} {
		if _, err := f.s.StartCampaign("test", c.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := f.s.ClaimDeliveries(sending.ID, 1, f.s.Now()); len(got) != 1 {
		t.Fatal("no delivery claimed")
	}
	if got, _ := f.s.ClaimDeliveries(cancelled.ID, 10, f.s.Now()); len(got) != 2 {
		t.Fatal("the deliveries were not claimed")
	}
	if _, err := f.s.CancelCampaign("test", cancelled.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := f.s.RecoverInFlight(); err != nil || n != 3 {
		t.Fatalf("recovered %d (%v), want 3", n, err)
	}
	for _, c := range []struct {
		id   uint64
		want storage.Counts
	}{
		{done.ID, storage.Counts{storage.DeliverySent: 2}},
		{sending.ID, storage.Counts{storage.DeliveryPending: 2}},
		{cancelled.ID, storage.Counts{storage.DeliverySkipped: 2}},
	} {
		counts, _ := f.s.CampaignCounts(c.id)
		for status, n := range counts {
			if n != c.want[status] {
				t.Errorf("campaign %d: counts %v, want %v", c.id, counts, c.want)
				break
			}
		}
	}
	if n, err := f.s.RecoverInFlight(); err != nil || n != 0 {
		t.Errorf("a second recovery found %d (%v), want none", n, err)
	}
}

// TestOutcomesAfterCancel records the outcomes of deliveries a cancelled campaign's sender
// still held: a retry skips its delivery, which must not be queued again, and a message
// sent stays sent.
func TestOutcomesAfterCancel(t *testing.T) {
	f := newFixture(t)
	camp := f.startedCampaign(t)
	claimed, err := f.s.ClaimDeliveries(camp.ID, 10, f.s.Now())
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claimed %d deliveries (%v), want 2", len(claimed), err)
	}
	if _, err := f.s.CancelCampaign("test", camp.ID); err != nil {
		t.Fatal(err)
	}
	results := []storage.DeliveryResult{
		{DeliveryID: claimed[0].ID, Outcome: storage.OutcomeSent, MessageID: "<1@example.org>"},
		{DeliveryID: claimed[1].ID, Outcome: storage.OutcomeRetry, Error: "451 try later", RetryAt: f.s.Now().Add(time.Minute)},
	}
	if _, err := f.s.RecordResults(results); err != nil {
		t.Fatal(err)
	}
	counts, _ := f.s.CampaignCounts(camp.ID)
	if counts[storage.DeliverySent] != 1 || counts[storage.DeliverySkipped] != 1 || counts[storage.DeliveryPending] != 0 {
		t.Errorf("counts after the outcomes: %v, want one sent and one skipped", counts)
	}
	if got, _ := f.s.ClaimDeliveries(camp.ID, 10, f.s.Now().Add(time.Hour)); len(got) != 0 {
		t.Errorf("the cancelled campaign handed out %d deliveries", len(got))
	}
}

func TestPublishedCommuniqueKeepsItsWords(t *testing.T) {
	f := newFixture(t)
	f.approveAndPublish(t)
	f.rewriteQuoteAndDropContact(t)
	b, err := f.s.CommuniqueBundle(f.communique.ID)
	if err != nil || b.Quotes[0].Quote.Text != "Tant que la règle…" || b.Contacts[0].Contact.Email != "presse@example.org" {
		t.Fatalf("published bundle changed: %+v %v", b, err)
	}
}

// TestScheduledCampaignOfPublishedCommuniqueStarts: a campaign for a published communiqué
// starts when due even though the quote it cites was rewritten (and so unapproved) and its
// press contact deleted in the meantime: it sends the communiqué as published.
func TestScheduledCampaignOfPublishedCommuniqueStarts(t *testing.T) {
	f := newFixture(t)
	f.approveAndPublish(t)
	at := f.s.Now().Add(time.Hour)
	camp := MustCreate(t, f.s, &storage.Campaign{CommuniqueID: f.communique.ID, ListIDs: []uint64{f.list.ID}, Subject: "S", ScheduledAt: &at})
	if c, err := f.s.StartCampaign("test", camp.ID); err != nil || c.Status != storage.CampaignScheduled {
		t.Fatalf("schedule: %+v %v", c, err)
	}
	f.rewriteQuoteAndDropContact(t)
	running, err := f.s.CampaignsToRun(at)
	if err != nil || len(running) != 1 || running[0] != camp.ID {
		t.Fatalf("campaigns to run: %v %v", running, err)
	}
	if c, _ := storage.Get[storage.Campaign](f.s, camp.ID); c.Status != storage.CampaignSending {
		t.Fatalf("due campaign is %q, want sending", c.Status)
	}
}

// TestCampaignSendsTheWordsOfItsStart: a campaign for an approved, unpublished communiqué
// keeps the words it started with while the communiqué, its quote and its contact change.
func TestCampaignSendsTheWordsOfItsStart(t *testing.T) {
	f := newFixture(t)
	camp := f.startedCampaign(t)
	q, _ := storage.Get[storage.Quote](f.s, f.quote.ID)
	q.Text = "Des mots jamais approuvés"
	must(t, storage.Update(f.s, "test", q))
	c, _ := storage.Get[storage.Communique](f.s, f.communique.ID)
	c.Title = "Un autre titre"
	must(t, storage.Update(f.s, "test", c))
	must(t, storage.Delete[storage.Contact](f.s, "test", f.contact.ID))

	b, err := f.s.CampaignBundle(camp)
	if err != nil {
		t.Fatal(err)
	}
	if b.Communique.Title != f.communique.Title || b.Quotes[0].Quote.Text != "Tant que la règle…" || b.Contacts[0].Contact.Email != "presse@example.org" {
		t.Fatalf("the campaign's content changed after its start: %q, %q, %q", b.Communique.Title, b.Quotes[0].Quote.Text, b.Contacts[0].Contact.Email)
	}
	if live, _ := storage.Get[storage.Communique](f.s, f.communique.ID); live.Title != "Un autre titre" || live.Status != storage.CommuniqueDraft {
		t.Fatalf("the communiqué itself should have changed: %q, %q", live.Title, live.Status)
	}
}

// TestCampaignBeforeItsStartShowsTheCommuniqueAsItIs: a test send before the start shows
// the current words.
func TestCampaignBeforeItsStartShowsTheCommuniqueAsItIs(t *testing.T) {
	f := newFixture(t)
	camp := MustCreate(t, f.s, &storage.Campaign{CommuniqueID: f.communique.ID, ListIDs: []uint64{f.list.ID}, Subject: "S"})
	c, _ := storage.Get[storage.Communique](f.s, f.communique.ID)
	c.Title = "Un autre titre"
	must(t, storage.Update(f.s, "test", c))
	b, err := f.s.CampaignBundle(camp)
	if err != nil || b.Communique.Title != "Un autre titre" {
		t.Fatalf("before its start: %q, %v", b.Communique.Title, err)
	}
}

// must fails the test on an error.
func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

func TestApprovalSaysHowAndSurvivesAnEditAsPast(t *testing.T) {
	f := newFixture(t)
	if _, err := f.s.ApproveQuote("test", f.quote.ID, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RecordApproval("claire@example.org", f.communique.ID, storage.Approval{PoleID: f.poleA.ID, Via: storage.ApprovalByEmail}); storage.ErrorCode(err) != storage.EINVALID {
		t.Fatalf("an approval on the pôle's behalf names who gave it: %v", err)
	}
	c, err := f.s.RecordApproval("claire@example.org", f.communique.ID, storage.Approval{PoleID: f.poleA.ID, Via: storage.ApprovalByEmail, Approver: "Jeanne Roux"})
	if err != nil {
		t.Fatal(err)
	}
	approved := c.Revision
	if a := c.Approvals[0]; a.By != "claire@example.org" || a.Via != storage.ApprovalByEmail || a.Approver != "Jeanne Roux" || a.Revision != approved {
		t.Fatalf("approval %+v", a)
	}
	c.Lede = "Un autre chapeau."
	if err := storage.Update(f.s, "test", c); err != nil {
		t.Fatal(err)
	}
	if len(c.Approvals) != 0 || len(c.PastApprovals) != 1 || c.PastApprovals[0].Revision != approved || c.PastApprovals[0].Approver != "Jeanne Roux" {
		t.Fatalf("after an edit: approvals %+v, past %+v", c.Approvals, c.PastApprovals)
	}
}

func TestDraftBundleComposesWhatIsNotStored(t *testing.T) {
	f := newFixture(t)
	draft := *f.communique
	draft.Title = "Pas encore enregistré"
	b, err := f.s.DraftBundle(draft)
	if err != nil || b.Communique.Title != "Pas encore enregistré" || len(b.Poles) != len(draft.PoleIDs) {
		t.Fatalf("%v %+v", err, b)
	}
	draft.MeasureIDs = []uint64{9999}
	if _, err := f.s.DraftBundle(draft); storage.ErrorCode(err) != storage.EINVALID {
		t.Fatalf("a missing measure: %v", err)
	}
}

// A revision says who saved it and when: the write that made it, not the one before.
func TestRevisionsSayWhoSavedThem(t *testing.T) {
	f := newFixture(t)
	later := time.Date(2020, 5, 12, 11, 30, 0, 0, time.UTC)
	f.s.Now = func() time.Time { return later }
	c, _ := storage.Get[storage.Communique](f.s, f.communique.ID)
	c.Lede = "Chapeau"
	if err := storage.Update(f.s, "claire@example.org", c); err != nil {
		t.Fatal(err)
	}
	revs, err := f.s.Revisions(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].UpdatedBy != "test" || revs[0].UpdatedAt.IsZero() || revs[1].UpdatedBy != "claire@example.org" ||
		!revs[1].UpdatedAt.Equal(later) || revs[1].Version != c.Version {
		t.Fatalf("revisions: %+v / %+v", revs[0].Meta, revs[1].Meta)
	}
}
