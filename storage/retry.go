package storage

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RetryFailed sends again, now, a campaign's failed deliveries and those waiting for a
// later try after a temporary refusal. A retried delivery gets a fresh 24-hour window; an
// address that has since unsubscribed or bounced is left as it is. A finished campaign
// sends again; a paused one keeps the deliveries queued until it resumes. It returns how
// many deliveries were queued. Returns ENOTFOUND, or ECONFLICT (cancelled, never started,
// or nothing to retry).
func (s *Store) RetryFailed(actor string, id uint64) (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		v := &Campaign{}
		if err := load(tx, id, v); err != nil {
			return err
		}
		if v.StartedAt == nil || v.Status == CampaignCancelled {
			return Errorf(ECONFLICT, "Seul un envoi commencé et non annulé peut relancer ses échecs.")
		}
		now := s.Now().UTC()
		var err error
		if n, err = requeue(tx, v, now); err != nil {
			return err
		}
		if n == 0 {
			return Errorf(ECONFLICT, "Aucun envoi en échec ou en attente d’un nouvel essai à relancer.")
		}
		if v.Status == CampaignDone {
			v.Status, v.FinishedAt = CampaignSending, nil
		}
		if err := put(tx, v, now, actor); err != nil {
			return err
		}
		return auditDetail(tx, now, actor, "retry", v.Bucket(), v.ID, fmt.Sprintf("envois relancés\u00a0: %d", n))
	})
	return n, err
}

// requeue puts the campaign's failed and waiting deliveries back in its queue, due now,
// with the counts kept in step.
func requeue(tx *bolt.Tx, v *Campaign, now time.Time) (int, error) {
	counts, err := loadCounts(tx, v.ID)
	if err != nil {
		return 0, err
	}
	n := 0
	err = eachDelivery(tx, v.ID, func(d *Delivery) error {
		if !retriable(tx, d) {
			return nil
		}
		if d.Status == DeliveryPending && d.NextAttemptAt != nil {
			if err := index(tx, "delivery_queue").Delete(queueKey(v.ID, *d.NextAttemptAt, d.ID)); err != nil {
				return err
			}
		}
		counts[d.Status]--
		d.Status, d.FirstAttempt, d.At = DeliveryPending, nil, &now
		counts[d.Status]++
		n++
		if err := enqueue(tx, d, now); err != nil {
			return err
		}
		return putDelivery(tx, d)
	})
	if err != nil {
		return 0, err
	}
	return n, saveCounts(tx, v.ID, counts)
}

// retriable: a failed delivery, or one waiting after a temporary refusal, whose contact
// still accepts mail.
func retriable(tx *bolt.Tx, d *Delivery) bool {
	waiting := d.Status == DeliveryPending && d.Attempts > 0
	if d.Status != DeliveryFailed && !waiting {
		return false
	}
	c := &Contact{}
	if err := load(tx, d.ContactID, c); err == nil && (c.OptedOut || c.Bounced) {
		return false
	}
	return !suppressed(tx, d.Email)
}

// eachDelivery calls fn with each of a campaign's deliveries, in creation order; the
// deliveries are read first, so fn may change the buckets.
func eachDelivery(tx *bolt.Tx, campaignID uint64, fn func(*Delivery) error) error {
	return eachIndexedDelivery(tx, "delivery_campaign", campaignID, fn)
}

// eachIndexedDelivery is eachDelivery for the deliveries an index of owner id + delivery
// id (delivery_campaign, delivery_contact) lists under owner.
func eachIndexedDelivery(tx *bolt.Tx, name string, owner uint64, fn func(*Delivery) error) error {
	var ids []uint64
	c := index(tx, name).Cursor()
	prefix := itob(owner)
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, binary.BigEndian.Uint64(k[8:]))
	}
	for _, id := range ids {
		d, err := loadDelivery(tx, id)
		if err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return nil
}

// Retrying counts a campaign's deliveries waiting for another try after a temporary
// refusal (they are among the pending ones of CampaignCounts). Returns ENOTFOUND.
func (s *Store) Retrying(campaignID uint64) (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if !exists(tx, "campaigns", campaignID) {
			return notFound("campaigns", campaignID)
		}
		q := index(tx, "delivery_queue").Cursor()
		prefix := itob(campaignID)
		for k, _ := q.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = q.Next() {
			d, err := loadDelivery(tx, binary.BigEndian.Uint64(k[16:]))
			if err != nil {
				return err
			}
			if d.Attempts > 0 {
				n++
			}
		}
		return nil
	})
	return n, err
}

// CampaignDeliveries lists every delivery of a campaign in creation order, for its
// report. Returns ENOTFOUND.
func (s *Store) CampaignDeliveries(campaignID uint64) ([]Delivery, error) {
	out := []Delivery{}
	err := s.db.View(func(tx *bolt.Tx) error {
		if !exists(tx, "campaigns", campaignID) {
			return notFound("campaigns", campaignID)
		}
		return eachDelivery(tx, campaignID, func(d *Delivery) error {
			out = append(out, *d)
			return nil
		})
	})
	return out, err
}

// CountListsRecipients counts the recipients a campaign to these lists would have: each
// address once however many lists hold it, without the unsubscribed, bounced or
// suppressed ones. Returns ENOTFOUND for a missing list.
func (s *Store) CountListsRecipients(listIDs []uint64) (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		lists := make([]*List, len(listIDs))
		for i, id := range listIDs {
			lists[i] = &List{}
			if err := load(tx, id, lists[i]); err != nil {
				return err
			}
		}
		return scanRecipients(tx, lists, 0, func(uint64, *matchRecord) error { n++; return nil })
	})
	return n, err
}
