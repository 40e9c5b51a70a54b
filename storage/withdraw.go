package storage

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// WithdrawCommunique takes a published communiqué off the newsroom, its PDF and its feed
// (a correction, a mistake). The communiqué stays in the staff's records, status
// "withdrawn", with its publication snapshot, the reason, who and when. The campaigns of
// the communiqué not finished yet are cancelled in the same transaction: a withdrawn text
// must not reach more inboxes, and resuming a paused campaign later would send it.
// Returns ENOTFOUND, EINVALID (no reason) or ECONFLICT (not published).
func (s *Store) WithdrawCommunique(actor string, id uint64, reason string) (*Communique, error) {
	var p Problems
	p.text("reason", &reason, true, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	v := &Communique{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, id, v); err != nil {
			return err
		}
		switch v.Status {
		case CommuniqueWithdrawn:
			return Errorf(ECONFLICT, "Ce communiqué est déjà retiré de la salle de presse.")
		case CommuniquePublished:
		default:
			return Errorf(ECONFLICT, "Seul un communiqué publié peut être retiré (statut\u00a0: %s).", StatusLabel(v.Bucket(), v.Status))
		}
		now := s.Now().UTC()
		v.Status, v.WithdrawnAt, v.WithdrawnBy, v.WithdrawalReason = CommuniqueWithdrawn, &now, actor, reason
		tx.OnCommit(func() { s.published.gen.Add(1) })
		if err := put(tx, v, now, actor); err != nil {
			return err
		}
		if err := auditDetail(tx, now, actor, "withdraw", v.Bucket(), id, reason); err != nil {
			return err
		}
		return cancelCampaignsOf(tx, id, now, actor)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// cancelCampaignsOf cancels every unfinished campaign of a withdrawn communiqué; its
// pending deliveries become skipped, messages already on the wire finish.
func cancelCampaignsOf(tx *bolt.Tx, communiqueID uint64, now time.Time, actor string) error {
	var unfinished []*Campaign // cancelled after the scan: a bucket cannot change during ForEach
	err := tx.Bucket([]byte("campaigns")).ForEach(func(_, data []byte) error {
		v := &Campaign{}
		if err := decodeRecord(data, v); err != nil {
			return err
		}
		if v.CommuniqueID == communiqueID && containsString(unfinishedCampaign, v.Status) {
			unfinished = append(unfinished, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, v := range unfinished {
		if err := cancelWithdrawn(tx, v, now, actor); err != nil {
			return err
		}
	}
	return nil
}

// unfinishedCampaign are the statuses of a campaign that may still send.
var unfinishedCampaign = []string{CampaignDraft, CampaignScheduled, CampaignSending, CampaignPaused}

func cancelWithdrawn(tx *bolt.Tx, v *Campaign, now time.Time, actor string) error {
	if err := skipPending(tx, v, now); err != nil {
		return err
	}
	v.Status = CampaignCancelled
	if err := put(tx, v, now, actor); err != nil {
		return err
	}
	return auditDetail(tx, now, actor, "cancel", v.Bucket(), v.ID, "communiqué retiré de la salle de presse")
}

// wasPublic reports whether a withdrawn communiqué had been public before its withdrawal:
// one withdrawn under embargo must stay unknown to the public.
func (v *Communique) wasPublic() bool {
	return v.Status == CommuniqueWithdrawn && v.WithdrawnAt != nil &&
		(v.EmbargoUntil == nil || !v.WithdrawnAt.Before(*v.EmbargoUntil))
}
