package storage

import (
	"encoding/binary"
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The sender's side of campaigns. A delivery is marked "sending" in the transaction that
// hands it out, before any SMTP work, and "sent" in a later batched transaction: after a
// crash, the deliveries still "sending" are the only ones that may have gone out without a
// record, and they are the only ones sent again (with the same Message-ID).

// ClaimDeliveries hands out up to max deliveries of a sending campaign that are due at now,
// marking them sending. It returns none when the campaign is paused, cancelled or done.
func (s *Store) ClaimDeliveries(campaignID uint64, max int, now time.Time) ([]Delivery, error) {
	var out []Delivery
	err := s.db.Update(func(tx *bolt.Tx) error {
		v := &Campaign{}
		if err := load(tx, campaignID, v); err != nil || v.Status != CampaignSending {
			return err
		}
		var err error
		out, err = takeQueued(tx, campaignID, now.UnixNano(), max, func(d *Delivery) {
			d.Status, d.Attempts, d.At, d.NextAttemptAt = DeliverySending, d.Attempts+1, &now, nil
			if d.FirstAttempt == nil {
				d.FirstAttempt = &now
			}
		})
		return err
	})
	return out, err
}

// Delivery outcomes reported by the sender.
const (
	OutcomeSent   = "sent"
	OutcomeFailed = "failed" // permanent
	OutcomeRetry  = "retry"  // temporary: try again at RetryAt
	// OutcomeRelease hands back a claimed delivery that was not attempted (pause, shutdown).
	OutcomeRelease = "release"
)

// DeliveryResult is what the sender learnt about one delivery.
type DeliveryResult struct {
	DeliveryID uint64
	Outcome    string
	MessageID  string
	Error      string    // French or SMTP text, shown to staff
	RetryAt    time.Time // with OutcomeRetry
	Bounced    bool      // with OutcomeFailed: the address does not exist
}

// RecordResults stores a batch of outcomes in one transaction, marks hard bounces on their
// contacts, and closes campaigns that have nothing left to send. It returns the ids of the
// campaigns it closed.
func (s *Store) RecordResults(results []DeliveryResult) ([]uint64, error) {
	var closed []uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		closed = closed[:0]
		now := s.Now().UTC()
		touched := map[uint64]Counts{}
		// cancelled is looked up only for outcomes that would queue a delivery again:
		// decoding the campaign for every commit of sent outcomes cost as much as the rest.
		cancelled := map[uint64]bool{}
		isCancelledOnce := func(id uint64) bool {
			c, ok := cancelled[id]
			if !ok {
				c = isCancelled(tx, id)
				cancelled[id] = c
			}
			return c
		}
		for _, r := range results {
			d, err := loadDelivery(tx, r.DeliveryID)
			if err != nil {
				return err
			}
			counts, ok := touched[d.CampaignID]
			if !ok {
				if counts, err = loadCounts(tx, d.CampaignID); err != nil {
					return err
				}
				touched[d.CampaignID] = counts
			}
			counts[d.Status]--
			if (r.Outcome == OutcomeRetry || r.Outcome == OutcomeRelease) && isCancelledOnce(d.CampaignID) {
				skip(d, now) // cancelled while the sender held it: it must not go back to the queue
				err = putDelivery(tx, d)
			} else {
				err = applyResult(tx, d, r, now)
			}
			if err != nil {
				return err
			}
			counts[d.Status]++
		}
		for id, counts := range touched {
			if err := saveCounts(tx, id, counts); err != nil {
				return err
			}
			if counts[DeliveryPending] == 0 && counts[DeliverySending] == 0 {
				if err := finishCampaign(tx, id, now); err != nil {
					return err
				}
				closed = append(closed, id)
			}
		}
		return nil
	})
	return closed, err
}

func applyResult(tx *bolt.Tx, d *Delivery, r DeliveryResult, now time.Time) error {
	d.At, d.LastError = &now, r.Error
	if r.MessageID != "" {
		d.MessageID = r.MessageID
	}
	switch r.Outcome {
	case OutcomeSent:
		d.Status, d.LastError = DeliverySent, ""
	case OutcomeRetry:
		d.Status = DeliveryPending
		if err := enqueue(tx, d, r.RetryAt); err != nil {
			return err
		}
	case OutcomeRelease:
		d.Status, d.Attempts = DeliveryPending, max(d.Attempts-1, 0)
		if d.Attempts == 0 {
			d.FirstAttempt = nil
		}
		if err := enqueue(tx, d, now); err != nil {
			return err
		}
	default:
		d.Status = DeliveryFailed
		if r.Bounced {
			c := &Contact{}
			if err := load(tx, d.ContactID, c); err == nil {
				c.Bounced = true
				if err := put(tx, c, now, "system"); err != nil {
					return err
				}
			}
		}
	}
	return putDelivery(tx, d)
}

func isCancelled(tx *bolt.Tx, campaignID uint64) bool {
	v := &Campaign{}
	return load(tx, campaignID, v) == nil && v.Status == CampaignCancelled
}

func finishCampaign(tx *bolt.Tx, id uint64, now time.Time) error {
	v := &Campaign{}
	if err := load(tx, id, v); err != nil {
		return err
	}
	if v.Status != CampaignSending && v.Status != CampaignPaused {
		return nil
	}
	v.Status, v.FinishedAt = CampaignDone, &now
	if err := put(tx, v, now, "system"); err != nil {
		return err
	}
	return audit(tx, now, "system", "done", v.Bucket(), id)
}

// RecoverInFlight is called at start-up: deliveries left "sending" by a crash go back to the
// queue, due now, to be sent again with their Message-ID (skipped if their campaign was
// cancelled meanwhile). It returns how many. Only the campaigns whose counts hold
// deliveries in flight are looked at, so that starting does not read every delivery ever
// made, and nothing is written when none is in flight.
func (s *Store) RecoverInFlight() (int, error) {
	var campaigns []uint64
	if err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		campaigns, err = campaignsInFlight(tx)
		return err
	}); err != nil || len(campaigns) == 0 {
		return 0, err
	}
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		n = 0
		now := s.Now().UTC()
		for _, id := range campaigns {
			var stuck []*Delivery
			if err := eachDelivery(tx, id, func(d *Delivery) error {
				if d.Status == DeliverySending {
					stuck = append(stuck, d)
				}
				return nil
			}); err != nil {
				return err
			}
			if err := recoverStuck(tx, id, stuck, now); err != nil {
				return err
			}
			n += len(stuck)
		}
		return nil
	})
	return n, err
}

// campaignsInFlight lists the campaigns whose counts hold deliveries "sending": the counts
// change in the same transactions as the deliveries' statuses.
func campaignsInFlight(tx *bolt.Tx) ([]uint64, error) {
	var ids []uint64
	err := tx.Bucket([]byte("campaign_counts")).ForEach(func(k, data []byte) error {
		var counts Counts
		if err := json.Unmarshal(data, &counts); err != nil {
			return err
		}
		if counts[DeliverySending] > 0 {
			ids = append(ids, binary.BigEndian.Uint64(k))
		}
		return nil
	})
	return ids, err
}

// recoverStuck puts a campaign's stuck deliveries back in its queue, or skips them when the
// campaign was cancelled.
func recoverStuck(tx *bolt.Tx, campaignID uint64, stuck []*Delivery, now time.Time) error {
	counts, err := loadCounts(tx, campaignID)
	if err != nil {
		return err
	}
	cancelled := isCancelled(tx, campaignID)
	for _, d := range stuck {
		counts[DeliverySending]--
		if cancelled {
			skip(d, now)
		} else {
			d.Status = DeliveryPending
			if err := enqueue(tx, d, now); err != nil {
				return err
			}
		}
		counts[d.Status]++
		if err := putDelivery(tx, d); err != nil {
			return err
		}
	}
	return saveCounts(tx, campaignID, counts)
}

// CampaignsToRun starts the scheduled campaigns that are due and returns the ids of every
// campaign now sending, for the sender to work on.
func (s *Store) CampaignsToRun(now time.Time) ([]uint64, error) {
	var due, sending []uint64
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("campaigns")).ForEach(func(_, data []byte) error {
			v := &Campaign{}
			if err := json.Unmarshal(data, v); err != nil {
				return err
			}
			switch {
			case v.Status == CampaignSending:
				sending = append(sending, v.ID)
			case v.Status == CampaignScheduled && v.ScheduledAt != nil && !now.Before(*v.ScheduledAt):
				due = append(due, v.ID)
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, id := range due {
		if err := s.startScheduled(id, now); err != nil {
			return nil, err
		}
		sending = append(sending, id)
	}
	return sending, nil
}

// startScheduled fixes a scheduled campaign's recipients at its start time. A campaign that
// can no longer be sent (its lists emptied, say) is cancelled with the reason in the audit log.
func (s *Store) startScheduled(id uint64, now time.Time) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		v := &Campaign{}
		if err := load(tx, id, v); err != nil || v.Status != CampaignScheduled {
			return err
		}
		err := checkSendable(tx, v)
		if err == nil {
			err = createDeliveries(tx, v, now)
		}
		if err == nil {
			err = freezeContent(tx, v)
		}
		if ErrorCode(err) == ECONFLICT || ErrorCode(err) == EINVALID {
			v.Status, v.FinishedAt = CampaignCancelled, &now
			if perr := put(tx, v, now, "system"); perr != nil {
				return perr
			}
			return auditDetail(tx, now, "system", "cancel", v.Bucket(), id, err.Error())
		}
		if err != nil {
			return err
		}
		v.Status, v.StartedAt = CampaignSending, &now
		return s.saveCampaign(tx, v, "system", "start")
	})
}

// NextDue returns when the campaign's earliest queued delivery is due (zero when none).
func (s *Store) NextDue(campaignID uint64) time.Time {
	var due time.Time
	_ = s.db.View(func(tx *bolt.Tx) error {
		k, _ := index(tx, "delivery_queue").Cursor().Seek(itob(campaignID))
		if k != nil && btoi(k[:8]) == campaignID {
			due = time.Unix(0, int64(binary.BigEndian.Uint64(k[8:16])))
		}
		return nil
	})
	return due
}

// ContactsByID loads the contacts with those ids (missing ones are left out), in one
// transaction: the sender needs names and sources for a batch of deliveries. They are
// read from their contact_match copies, which decode about ten times faster than the
// JSON, and from the JSON when a copy is missing or unreadable.
func (s *Store) ContactsByID(ids []uint64) (map[uint64]Contact, error) {
	out := make(map[uint64]Contact, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		matches := index(tx, "contact_match")
		var m matchRecord
		for _, id := range ids {
			if data := matches.Get(itob(id)); data != nil && m.decode(data) == nil {
				if c, err := m.contact(id); err == nil {
					out[id] = c
					continue
				}
			}
			var c Contact
			if err := load(tx, id, &c); err == nil {
				out[id] = c
			}
		}
		return nil
	})
	return out, err
}
