package storage_test

import (
	"testing"
	"time"

	"portevoix/storage"
)

func TestWithdrawCommunique(t *testing.T) {
	f := newFixture(t)
	now := f.s.Now()
	f.publish(t, f.s, "Reste", "2020-05-11", nil)
	gone := f.publish(t, f.s, "Erreur", "2020-05-12", nil)
	wantSlugs(t, f.s, now, "erreur", "reste")

	t.Run("ErrReasonMissing", func(t *testing.T) {
		if _, err := f.s.WithdrawCommunique("test", gone.ID, "  "); storage.ErrorCode(err) != storage.EINVALID {
			t.Fatalf("%v, want EINVALID", err)
		}
	})
	t.Run("ErrNotPublished", func(t *testing.T) {
		if _, err := f.s.WithdrawCommunique("test", f.communique.ID, "Erreur de chiffre"); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Fatalf("%v, want ECONFLICT", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		later := now.Add(time.Hour)
		f.s.Now = func() time.Time { return later }
		v, err := f.s.WithdrawCommunique("editor@example.org", gone.ID, "Chiffre erroné")
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != storage.CommuniqueWithdrawn || v.WithdrawnBy != "editor@example.org" || v.WithdrawalReason != "Chiffre erroné" || !v.WithdrawnAt.Equal(later) {
			t.Fatalf("withdrawn: %+v", v)
		}
		// Gone from the public lists, answered as gone, kept in the records with its snapshot.
		wantSlugs(t, f.s, later, "reste")
		if _, err := f.s.PublicCommunique("erreur", later); storage.ErrorCode(err) != storage.EGONE {
			t.Fatalf("public: %v, want EGONE", err)
		}
		if _, err := f.s.PublicCommunique("reste", later); err != nil {
			t.Fatal(err)
		}
		if list, err := f.s.Withdrawn(); err != nil || len(list) != 1 || list[0].ID != gone.ID || !list[0].WithdrawnAt.Equal(later) {
			t.Fatalf("Withdrawn = %v, %v", list, err)
		}
		if b, err := f.s.CommuniqueBundle(gone.ID); err != nil || b.Communique.Status != storage.CommuniquePublished {
			t.Fatalf("the snapshot as published must stay: %+v %v", b.Communique, err)
		}
		entries, _ := f.s.AuditLog(storage.ListOptions{Limit: 1})
		if e := entries.Items[0]; e.Action != "withdraw" || e.RecordID != gone.ID || e.Detail != "Chiffre erroné" {
			t.Fatalf("audit: %+v", e)
		}
	})
	t.Run("ErrAlreadyWithdrawn", func(t *testing.T) {
		if _, err := f.s.WithdrawCommunique("test", gone.ID, "Encore"); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Fatalf("%v, want ECONFLICT", err)
		}
	})
	t.Run("ErrFrozen", func(t *testing.T) {
		v, _ := storage.Get[storage.Communique](f.s, gone.ID)
		v.Title = "Corrigé"
		if err := storage.Update(f.s, "test", v); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Errorf("update: %v, want ECONFLICT", err)
		}
		if err := storage.Delete[storage.Communique](f.s, "test", gone.ID); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Errorf("delete: %v, want ECONFLICT", err)
		}
		if _, err := f.s.PublishCommunique("test", gone.ID); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Errorf("publish again: %v, want ECONFLICT", err)
		}
		if _, err := f.s.ApproveCommunique("test", gone.ID, f.poleA.ID); storage.ErrorCode(err) != storage.ECONFLICT {
			t.Errorf("approve: %v, want ECONFLICT", err)
		}
		if got, _ := storage.Get[storage.Communique](f.s, gone.ID); got.Status != storage.CommuniqueWithdrawn {
			t.Errorf("status %q after refused writes", got.Status)
		}
	})
}

// A communiqué withdrawn before its embargo ended was never public: the public must not
// learn it existed.
func TestWithdrawnUnderEmbargoStaysUnknown(t *testing.T) {
	f := newFixture(t)
	now := f.s.Now()
	embargo := now.Add(time.Hour)
	v := f.publish(t, f.s, "Sous embargo", "2020-05-12", &embargo)
	if _, err := f.s.WithdrawCommunique("test", v.ID, "Annulé"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.PublicCommunique("sous-embargo", embargo.Add(time.Hour)); storage.ErrorCode(err) != storage.ENOTFOUND {
		t.Fatalf("%v, want ENOTFOUND", err)
	}
	if list, _ := f.s.Withdrawn(); len(list) != 0 {
		t.Fatalf("Withdrawn = %v, want none", list)
	}
}

// Withdrawing cancels the communiqué's unfinished campaigns (their pending deliveries are
// skipped) and leaves finished ones and other communiqués' campaigns alone; a new
// campaign of the withdrawn communiqué cannot start.
func TestWithdrawCancelsCampaigns(t *testing.T) {
	f := newFixture(t)
	f.approveAndPublish(t)
	other := f.publish(t, f.s, "Autre", "2020-05-12", nil)
	newCampaign := func(communiqueID uint64) *storage.Campaign {
		return MustCreate(t, f.s, &storage.Campaign{CommuniqueID: communiqueID, ListIDs: []uint64{f.list.ID}, Subject: "S"})
	}
	draft, sending, paused, otherSending := newCampaign(f.communique.ID), newCampaign(f.communique.ID), newCampaign(f.communique.ID), newCampaign(other.ID)
	for _, c := range []*storage.Campaign{sending, paused, otherSending} {
		if _, err := f.s.StartCampaign("test", c.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.s.PauseCampaign("test", paused.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.WithdrawCommunique("test", f.communique.ID, "Erreur"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*storage.Campaign{draft, sending, paused} {
		got, _ := storage.Get[storage.Campaign](f.s, c.ID)
		if got.Status != storage.CampaignCancelled {
			t.Errorf("campaign %d: %q, want cancelled", c.ID, got.Status)
		}
		counts, _ := f.s.CampaignCounts(c.ID)
		if counts[storage.DeliveryPending] != 0 {
			t.Errorf("campaign %d: %d deliveries still pending", c.ID, counts[storage.DeliveryPending])
		}
	}
	if got, _ := storage.Get[storage.Campaign](f.s, otherSending.ID); got.Status != storage.CampaignSending {
		t.Errorf("another communiqué's campaign: %q, want sending", got.Status)
	}
	late := newCampaign(f.communique.ID)
	if _, err := f.s.StartCampaign("test", late.ID); storage.ErrorCode(err) != storage.ECONFLICT {
		t.Errorf("start after withdrawal: %v, want ECONFLICT", err)
	}
}

// Only WithdrawCommunique withdraws: the fields a client sends are ignored, at creation as
// on update.
func TestWithdrawalFieldsAreTheServers(t *testing.T) {
	f := newFixture(t)
	at := f.s.Now()
	v := MustCreate(t, f.s, &storage.Communique{Title: "Neuf", Date: "2020-05-12", Template: "mesures", PoleIDs: []uint64{f.poleA.ID},
		Status: storage.CommuniqueWithdrawn, WithdrawnAt: &at, WithdrawnBy: "x", WithdrawalReason: "y"})
	if v.Status != storage.CommuniqueDraft || v.WithdrawnAt != nil || v.WithdrawnBy != "" || v.WithdrawalReason != "" {
		t.Fatalf("created: %+v", v)
	}
	v.WithdrawnAt, v.WithdrawalReason = &at, "z"
	must(t, storage.Update(f.s, "test", v))
	if got, _ := storage.Get[storage.Communique](f.s, v.ID); got.WithdrawnAt != nil || got.WithdrawalReason != "" {
		t.Fatalf("updated: %+v", got)
	}
}
