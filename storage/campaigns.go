package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bucket implements Record.
func (*Campaign) Bucket() string { return "campaigns" }

// Validate implements Record.
func (v *Campaign) Validate() error {
	var p Problems
	if v.CommuniqueID == 0 {
		p.Add("communique_id", "champ obligatoire")
	}
	v.ListIDs = uniqueIDs(v.ListIDs)
	if len(v.ListIDs) == 0 {
		p.Add("list_ids", "au moins une liste de diffusion")
	}
	// The subject becomes a mail header: line() refuses CR, LF and other control characters.
	p.line("subject", &v.Subject, true, 250)
	p.text("pitch", &v.Pitch, false, 5000)
	switch v.Greeting {
	case "":
		v.Greeting = GreetingName // campaigns stored before the choice existed greeted by name
	case GreetingName, GreetingFormal, GreetingNone:
	default:
		p.Add("greeting", "formule inconnue («\u202fname\u202f», «\u202fformal\u202f» ou «\u202fnone\u202f»)")
	}
	return p.Err()
}

func (v *Campaign) checkRefs(tx *bolt.Tx) error {
	var p Problems
	missingRef(tx, &p, "communique_id", "communiques", v.CommuniqueID)
	for i, id := range v.ListIDs {
		missingRef(tx, &p, fmt.Sprintf("list_ids[%d]", i), "lists", id)
	}
	return p.Err()
}

func (v *Campaign) checkCreate() error {
	v.Status, v.StartedAt, v.FinishedAt = CampaignDraft, nil, nil
	return nil
}

// keep: the status moves only through Start, Pause, Cancel and the sender; once a campaign
// has started its content is fixed, since some journalists already have it.
func (v *Campaign) keep(old Record) {
	o := old.(*Campaign)
	v.Status, v.StartedAt, v.FinishedAt = o.Status, o.StartedAt, o.FinishedAt
}

func (v *Campaign) putIndexes(tx *bolt.Tx, old Record) error {
	if old != nil && old.(*Campaign).StartedAt != nil {
		return Errorf(ECONFLICT, "Cette campagne a déjà commencé\u00a0: elle ne peut plus être modifiée.")
	}
	return nil
}

func (v *Campaign) deleteIndexes(*bolt.Tx) error { return nil }

func (v *Campaign) checkDelete(*bolt.Tx) error {
	if v.StartedAt != nil {
		return Errorf(ECONFLICT, "Cette campagne a déjà commencé\u00a0: elle reste dans l’historique des envois.")
	}
	return nil
}

// Counts is the number of deliveries in each status.
type Counts map[string]int

// CampaignCounts returns a campaign's deliveries per status. Returns ENOTFOUND.
func (s *Store) CampaignCounts(id uint64) (Counts, error) {
	var counts Counts
	err := s.db.View(func(tx *bolt.Tx) error {
		if !exists(tx, "campaigns", id) {
			return notFound("campaigns", id)
		}
		var err error
		counts, err = loadCounts(tx, id)
		return err
	})
	return counts, err
}

func loadCounts(tx *bolt.Tx, id uint64) (Counts, error) {
	counts := Counts{DeliveryPending: 0, DeliverySending: 0, DeliverySent: 0, DeliveryFailed: 0, DeliverySkipped: 0}
	if data := tx.Bucket([]byte("campaign_counts")).Get(itob(id)); data != nil {
		if err := json.Unmarshal(data, &counts); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

func saveCounts(tx *bolt.Tx, id uint64, counts Counts) error {
	data, err := json.Marshal(counts)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte("campaign_counts")).Put(itob(id), data)
}

// StartCampaign starts (or resumes) a campaign. The recipients are fixed now, one Delivery
// each; starting a campaign that is already sending changes nothing, so a double click never
// sends twice. A campaign scheduled for later becomes "scheduled" and starts when due.
// Returns ENOTFOUND, or ECONFLICT (finished, cancelled, communiqué not approved, no recipient).
func (s *Store) StartCampaign(actor string, id uint64) (*Campaign, error) {
	v := &Campaign{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, id, v); err != nil {
			return err
		}
		now := s.Now().UTC()
		switch v.Status {
		case CampaignSending:
			return nil
		case CampaignDone, CampaignCancelled:
			return Errorf(ECONFLICT, "Cette campagne est terminée ou annulée\u00a0: créez-en une nouvelle.")
		case CampaignPaused:
			if v.StartedAt != nil {
				v.Status = CampaignSending
				return s.saveCampaign(tx, v, actor, "resume")
			}
			// Paused while scheduled: it has no recipients yet, so it starts as a draft would.
		}
		if err := checkSendable(tx, v); err != nil {
			return err
		}
		if v.ScheduledAt != nil && now.Before(*v.ScheduledAt) {
			v.Status = CampaignScheduled
			return s.saveCampaign(tx, v, actor, "schedule")
		}
		if err := createDeliveries(tx, v, now); err != nil {
			return err
		}
		if err := freezeContent(tx, v); err != nil {
			return err
		}
		v.Status, v.StartedAt = CampaignSending, &now
		return s.saveCampaign(tx, v, actor, "start")
	})
	return v, err
}

func (s *Store) saveCampaign(tx *bolt.Tx, v *Campaign, actor, action string) error {
	now := s.Now().UTC()
	if err := put(tx, v, now, actor); err != nil {
		return err
	}
	return audit(tx, now, actor, action, v.Bucket(), v.ID)
}

// checkSendable refuses to mail a communiqué its co-signers have not all approved. A
// published communiqué is sent as frozen at publication, so later edits or deletions of
// its records do not matter.
func checkSendable(tx *bolt.Tx, v *Campaign) error {
	if err := v.checkRefs(tx); err != nil {
		return err
	}
	c := &Communique{}
	if err := load(tx, v.CommuniqueID, c); err != nil {
		return err
	}
	switch c.Status {
	case CommuniquePublished:
		return nil
	case CommuniqueWithdrawn:
		return Errorf(ECONFLICT, "Le communiqué a été retiré de la salle de presse\u00a0: il ne peut plus être envoyé.")
	case CommuniqueDraft:
		return Errorf(ECONFLICT, "Le communiqué n’est pas encore approuvé par tous ses pôles signataires\u00a0: %s.", strings.Join(missingApprovals(tx, c), ", "))
	}
	return checkPublishable(tx, c)
}

// freezeContent keeps what a campaign sends as it is when the campaign starts, so that
// every recipient gets the same words even if the communiqué or its records change while
// it sends. A published communiqué is frozen already: CampaignBundle reads that snapshot.
func freezeContent(tx *bolt.Tx, v *Campaign) error {
	if tx.Bucket([]byte("published")).Get(itob(v.CommuniqueID)) != nil {
		return nil
	}
	c := &Communique{}
	if err := load(tx, v.CommuniqueID, c); err != nil {
		return err
	}
	return putBundle(tx, "campaign_bundles", v.ID, c)
}

// CampaignBundle loads what the campaign sends: its communiqué frozen when the campaign
// started (as published, or as approved then), or as it is now before the start, for a
// test send. Returns ENOTFOUND, or EINVALID naming a deleted record before the start.
func (s *Store) CampaignBundle(v *Campaign) (*Bundle, error) {
	b := &Bundle{Logos: map[uint64]Logo{}}
	err := s.db.View(func(tx *bolt.Tx) error {
		if data := tx.Bucket([]byte("campaign_bundles")).Get(itob(v.ID)); data != nil {
			return json.Unmarshal(data, b)
		}
		return communiqueBundle(tx, v.CommuniqueID, b)
	})
	return b, err
}

// createDeliveries resolves the lists once and queues one pending delivery per recipient.
func createDeliveries(tx *bolt.Tx, v *Campaign, now time.Time) error {
	lists := make([]*List, len(v.ListIDs))
	for i, id := range v.ListIDs {
		lists[i] = &List{}
		if err := load(tx, id, lists[i]); err != nil {
			return err
		}
	}
	recipients, err := resolveRecipients(tx, lists)
	if err != nil {
		return err
	}
	if len(recipients) == 0 {
		return Errorf(ECONFLICT, "Les listes choisies n’ont aucun destinataire joignable.")
	}
	b := tx.Bucket([]byte("deliveries"))
	for _, r := range recipients {
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		d := &Delivery{ID: id, CampaignID: v.ID, ContactID: r.ID, Email: r.Email, Name: r.Name, Status: DeliveryPending, At: &now}
		if err := putDelivery(tx, d); err != nil {
			return err
		}
		if err := index(tx, "delivery_campaign").Put(pairKey(v.ID, id), nil); err != nil {
			return err
		}
		if err := index(tx, "delivery_contact").Put(pairKey(r.ID, id), nil); err != nil {
			return err
		}
		if err := enqueue(tx, d, now); err != nil {
			return err
		}
	}
	return saveCounts(tx, v.ID, Counts{DeliveryPending: len(recipients), DeliverySending: 0, DeliverySent: 0, DeliveryFailed: 0, DeliverySkipped: 0})
}

// queueKey orders a campaign's pending deliveries by due time, then id.
func queueKey(campaignID uint64, due time.Time, deliveryID uint64) []byte {
	k := make([]byte, 24)
	binary.BigEndian.PutUint64(k, campaignID)
	binary.BigEndian.PutUint64(k[8:], uint64(due.UnixNano()))
	binary.BigEndian.PutUint64(k[16:], deliveryID)
	return k
}

func enqueue(tx *bolt.Tx, d *Delivery, due time.Time) error {
	d.NextAttemptAt = &due
	return index(tx, "delivery_queue").Put(queueKey(d.CampaignID, due, d.ID), nil)
}

func putDelivery(tx *bolt.Tx, d *Delivery) error {
	data, err := d.appendJSON(nil)
	if err != nil {
		return err
	}
	return tx.Bucket([]byte("deliveries")).Put(itob(d.ID), data)
}

func loadDelivery(tx *bolt.Tx, id uint64) (*Delivery, error) {
	data := tx.Bucket([]byte("deliveries")).Get(itob(id))
	if data == nil {
		return nil, notFound("deliveries", id)
	}
	d := &Delivery{}
	return d, decodeDelivery(data, d)
}

// PauseCampaign stops handing out deliveries; messages already on the wire finish.
// Returns ENOTFOUND or ECONFLICT.
func (s *Store) PauseCampaign(actor string, id uint64) (*Campaign, error) {
	return s.moveCampaign(actor, id, "pause", CampaignPaused, CampaignSending, CampaignScheduled)
}

// CancelCampaign stops a campaign for good; its pending deliveries become skipped.
// Returns ENOTFOUND or ECONFLICT.
func (s *Store) CancelCampaign(actor string, id uint64) (*Campaign, error) {
	return s.moveCampaign(actor, id, "cancel", CampaignCancelled, unfinishedCampaign...)
}

func (s *Store) moveCampaign(actor string, id uint64, action, to string, from ...string) (*Campaign, error) {
	v := &Campaign{}
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := load(tx, id, v); err != nil {
			return err
		}
		if v.Status == to {
			return nil
		}
		if !containsString(from, v.Status) {
			return Errorf(ECONFLICT, "Impossible de passer cette campagne de «\u202f%s\u202f» à «\u202f%s\u202f».", StatusLabel(v.Bucket(), v.Status), StatusLabel(v.Bucket(), to))
		}
		if to == CampaignCancelled {
			if err := skipPending(tx, v, s.Now().UTC()); err != nil {
				return err
			}
		}
		v.Status = to
		return s.saveCampaign(tx, v, actor, action)
	})
	return v, err
}

func skipPending(tx *bolt.Tx, v *Campaign, now time.Time) error {
	v.FinishedAt = &now
	_, err := takeQueued(tx, v.ID, math.MaxInt64, math.MaxInt, func(d *Delivery) { skip(d, now) })
	return err
}

// takeQueued removes from a campaign's queue up to max deliveries due by dueBy (Unix
// nanoseconds), applies change to each and stores them with the counts kept in step. The
// queue is ordered by due time, so it stops at the first delivery not yet due.
func takeQueued(tx *bolt.Tx, campaignID uint64, dueBy int64, max int, change func(*Delivery)) ([]Delivery, error) {
	counts, err := loadCounts(tx, campaignID)
	if err != nil {
		return nil, err
	}
	var out []Delivery
	q := index(tx, "delivery_queue").Cursor()
	prefix := itob(campaignID)
	for k, _ := q.Seek(prefix); k != nil && len(out) < max && bytes.HasPrefix(k, prefix); k, _ = q.Seek(prefix) {
		if int64(binary.BigEndian.Uint64(k[8:16])) > dueBy {
			break
		}
		d, err := loadDelivery(tx, binary.BigEndian.Uint64(k[16:]))
		if err != nil {
			return nil, err
		}
		if err := q.Delete(); err != nil {
			return nil, err
		}
		counts[d.Status]--
		change(d)
		counts[d.Status]++
		if err := putDelivery(tx, d); err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, saveCounts(tx, campaignID, counts)
}

// skip marks a delivery of a cancelled campaign.
func skip(d *Delivery, now time.Time) {
	d.Status, d.LastError, d.NextAttemptAt, d.At = DeliverySkipped, "campagne annulée", nil, &now
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Deliveries lists a campaign's deliveries in creation order. Returns ENOTFOUND.
func (s *Store) Deliveries(campaignID uint64, opts ListOptions, status string) (Page[Delivery], error) {
	opts, from, err := opts.Normalized()
	if err != nil {
		return Page[Delivery]{}, err
	}
	page := Page[Delivery]{Items: []Delivery{}}
	err = s.db.View(func(tx *bolt.Tx) error {
		if !exists(tx, "campaigns", campaignID) {
			return notFound("campaigns", campaignID)
		}
		c := index(tx, "delivery_campaign").Cursor()
		prefix := string(itob(campaignID))
		for k, _ := c.Seek(pairKey(campaignID, from)); k != nil && strings.HasPrefix(string(k), prefix); k, _ = c.Next() {
			d, err := loadDelivery(tx, binary.BigEndian.Uint64(k[8:]))
			if err != nil {
				return err
			}
			if status != "" && d.Status != status {
				continue
			}
			if len(page.Items) == opts.Limit {
				page.Next = itoa(d.ID)
				return nil
			}
			page.Items = append(page.Items, *d)
		}
		return nil
	})
	return page, err
}
