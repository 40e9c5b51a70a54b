package sender

import (
	"testing"
	"time"

	"portevoix/storage"
	"portevoix/storage/demo"
)

// TestLoneOutcomeIsCommitted checks that the recorder, which gathers outcomes to share a
// commit, still commits one that no worker waits for and that no other joins: a worker's
// outcome must reach the disk while it sends its next message, not only once it waits.
func TestLoneOutcomeIsCommitted(t *testing.T) {
	store, err := storage.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := demo.Load(store, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	lists, err := storage.Find[storage.List](store, storage.ListOptions{Limit: 1}, nil)
	if err != nil || len(lists.Items) == 0 {
		t.Fatalf("no demo list: %v", err)
	}
	comms, err := storage.Find[storage.Communique](store, storage.ListOptions{Limit: 1}, nil)
	if err != nil || len(comms.Items) == 0 {
		t.Fatalf("no demo communiqué: %v", err)
	}
	c := &storage.Campaign{CommuniqueID: comms.Items[0].ID, ListIDs: []uint64{lists.Items[0].ID}, Subject: "Santé : sept propositions"}
	if err := storage.Create(store, "test", c); err != nil {
		t.Fatal(err)
	}
	if _, err := store.StartCampaign("test", c.ID); err != nil {
		t.Fatal(err)
	}
	claimed, err := store.ClaimDeliveries(c.ID, 1, time.Now())
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claimed %d deliveries: %v", len(claimed), err)
	}

	rec := newRecorder(store, 4)
	p := rec.worker()
	if err := p.submit(storage.DeliveryResult{DeliveryID: claimed[0].ID, Outcome: storage.OutcomeSent, MessageID: "<1@example.org>"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		counts, err := store.CampaignCounts(c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if counts[storage.DeliverySent] == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the lone outcome was not committed within 10 s: %v", counts)
		}
		time.Sleep(time.Millisecond)
	}
	if err := p.flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.close(); err != nil {
		t.Fatal(err)
	}
}
