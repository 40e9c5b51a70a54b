// Package sender runs campaigns: it hands deliveries out of the store in batches, builds
// one message per recipient and sends it through a mailer.Sender with a pool of workers,
// then records the outcomes, grouping into one transaction those that are ready together.
//
// Crash safety comes from the store: a delivery is "sending" before its SMTP transaction
// and "sent" after; at start-up RecoverInFlight puts the "sending" ones back in the queue.
// A worker completes a message (sends the final "." after which the server takes it) only
// once the outcome of its previous message is committed (group commit: one transaction for
// every outcome ready at that moment): the commit of message N overlaps the building and
// transfer of N+1, and N+1's final "." waits for it. So after a crash only the messages
// that were on the wire or awaiting their commit can repeat, at most one per worker, with
// the same Message-ID.
package sender

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"portevoix/server/mailer"
	"portevoix/storage"
)

// Config holds the sender's settings.
type Config struct {
	Workers  int             // parallel sends; the SMTP pool size (PORTEVOIX_SMTP_CONNS)
	Limiter  *mailer.Limiter // messages per second (PORTEVOIX_RATE); nil for unlimited
	RetryMin time.Duration   // first retry delay (PORTEVOIX_RETRY_MIN)
	Timeout  time.Duration   // bound on one message's delivery
	// Poll is how often the sender looks for due retries and scheduled campaigns.
	Poll time.Duration
	// PauseAfter is how many batches in a row in which no attempt got an answer from the
	// SMTP server (connection refused, timeouts, 421) pause the campaign; 3 when zero.
	PauseAfter int
	// Now is the clock deliveries are due, retried and given up by; time.Now when nil.
	// Tests set it to cross the 24-hour retry window without waiting.
	Now func() time.Time
}

// Sender runs every sending campaign until its context ends.
type Sender struct {
	store    *storage.Store
	mail     mailer.Sender
	prepare  Preparer
	cfg      Config
	log      *slog.Logger
	wake     chan struct{}
	secret   []byte
	progress atomic.Int64   // messages handled since start, for tests and logs
	failing  map[uint64]int // campaign id → batches in a row that only failed temporarily; Run's goroutine only
}

// Preparer builds what all of a campaign's messages share (bodies, PDF, headers), once,
// and says how to reach each recipient's unsubscribe link.
type Preparer interface {
	Prepare(campaign *storage.Campaign) (*mailer.Campaign, error)
	UnsubscribeURL(contactID uint64) string
}

// New returns a Sender; call Run to start it.
func New(store *storage.Store, mail mailer.Sender, prepare Preparer, cfg Config, log *slog.Logger) (*Sender, error) {
	secret, err := store.Secret()
	if err != nil {
		return nil, err
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.RetryMin <= 0 {
		cfg.RetryMin = time.Minute
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.PauseAfter <= 0 {
		cfg.PauseAfter = 3
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Sender{store: store, mail: mail, prepare: prepare, cfg: cfg, log: log, wake: make(chan struct{}, 1),
		secret: secret, failing: map[uint64]int{}}, nil
}

// Wake makes the sender look at the campaigns now rather than at its next poll.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Handled is the number of delivery attempts finished since the sender started.
func (s *Sender) Handled() int64 { return s.progress.Load() }

// Run recovers deliveries left in flight by a crash, then sends until ctx ends. It returns
// once every in-flight message has been recorded.
func (s *Sender) Run(ctx context.Context) error {
	if n, err := s.store.RecoverInFlight(); err != nil {
		return err
	} else if n > 0 {
		s.log.Warn("deliveries interrupted by a stop are queued again", "count", n)
	}
	prepared := map[uint64]preparedCampaign{}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-timer.C:
		}
		s.runAll(ctx, prepared)
		timer.Reset(s.cfg.Poll)
	}
}

// runAll works through every sending campaign until none has a due delivery.
func (s *Sender) runAll(ctx context.Context, prepared map[uint64]preparedCampaign) {
	ids, err := s.store.CampaignsToRun(s.cfg.Now())
	if err != nil {
		s.log.Error("list campaigns", "err", err)
		return
	}
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		if err := s.runCampaign(ctx, id, prepared); err != nil {
			s.log.Error("campaign", "id", id, "err", err)
		}
	}
}

// runCampaign sends batches until the campaign has nothing due, is paused, or ctx ends.
// The workers and the recorder last the whole run and the next batch is claimed while the
// workers send the current one, so that no worker waits for a claim, for the slowest of
// the others, or for a batch's last commit.
func (s *Sender) runCampaign(ctx context.Context, id uint64, prepared map[uint64]preparedCampaign) error {
	stop := s.watch(ctx, id)
	defer stop.close()
	rec := newRecorder(s.store, s.cfg.Workers)
	// jobs holds a whole batch: once it is handed out, the next claim (a commit) overlaps
	// the sending of that batch, not just of the last message each worker took.
	jobs := make(chan job, s.batchSize())
	var wg sync.WaitGroup
	for range s.cfg.Workers {
		wg.Go(func() { s.work(ctx, id, jobs, rec, stop) })
	}
	closed, err := s.feed(ctx, id, prepared, jobs, stop)
	close(jobs)
	wg.Wait()
	more, recErr := rec.close()
	for _, c := range append(closed, more...) {
		delete(prepared, c)
		delete(s.failing, c)
		s.log.Info("campaign finished", "id", c)
	}
	return errors.Join(err, recErr)
}

// batch is one claim of deliveries on its way through the workers.
type batch struct {
	deliveries []storage.Delivery
	contacts   map[uint64]storage.Contact
	msg        *mailer.Campaign
	results    []storage.DeliveryResult
	down       []bool         // per result: the attempt got no answer from the SMTP server
	left       sync.WaitGroup // deliveries not yet handled
}

// job is one delivery of a batch, for a worker.
type job struct {
	b *batch
	i int
}

// feed claims batches and hands their deliveries to the workers until the campaign has
// nothing due or stops; each batch is reported on once the next one is handed out. It
// returns the campaigns the released deliveries closed.
func (s *Sender) feed(ctx context.Context, id uint64, prepared map[uint64]preparedCampaign, jobs chan<- job, stop *stopWatch) (closed []uint64, err error) {
	var prev *batch
	finish := func() {
		if prev == nil {
			return
		}
		more, ferr := s.finish(id, prev, stop)
		closed, err, prev = append(closed, more...), errors.Join(err, ferr), nil
	}
	defer finish()
	for ctx.Err() == nil && !stop.stopped() && err == nil {
		batches, cerr := s.claim(id, prepared)
		if cerr != nil || len(batches) == 0 {
			return closed, cerr
		}
		for _, b := range batches {
			b.left.Add(len(b.deliveries))
			for i := range b.deliveries {
				jobs <- job{b: b, i: i}
			}
			finish()
			prev = b
		}
	}
	return closed, err
}

// claimBatches is how many batches one claim takes. A claim is a commit, with its two
// syncs, and while it holds bbolt's writer the outcomes wait for theirs: a batch is eight
// deliveries per worker and a commit holds at most one outcome per worker, so claiming
// one batch at a time made at least one commit in five a claim.
const claimBatches = 2

// claim takes the campaign's next due deliveries with what their messages need, in
// batches; none when none is due or the campaign stopped sending. A campaign whose
// messages cannot be built is paused, its deliveries handed back.
func (s *Sender) claim(id uint64, prepared map[uint64]preparedCampaign) ([]*batch, error) {
	deliveries, err := s.store.ClaimDeliveries(id, claimBatches*s.batchSize(), s.cfg.Now())
	if err != nil || len(deliveries) == 0 {
		return nil, err
	}
	msg, err := s.campaignMessage(id, prepared)
	if err != nil {
		s.release(deliveries)
		return nil, s.halt(id, err)
	}
	contacts, err := s.store.ContactsByID(contactIDs(deliveries))
	if err != nil {
		s.release(deliveries)
		return nil, err
	}
	var batches []*batch
	for len(deliveries) > 0 {
		n := min(len(deliveries), s.batchSize())
		batches = append(batches, &batch{deliveries: deliveries[:n:n], contacts: contacts, msg: msg,
			results: make([]storage.DeliveryResult, n), down: make([]bool, n)})
		deliveries = deliveries[n:]
	}
	return batches, nil
}

// batchSize is how many deliveries a batch holds: the unit of checkFailing.
func (s *Sender) batchSize() int { return s.cfg.Workers * 8 }

// finish waits for a batch's deliveries to be handled, hands back those not attempted, and
// pauses the campaign when the SMTP server has not answered for several batches.
func (s *Sender) finish(id uint64, b *batch, stop *stopWatch) ([]uint64, error) {
	b.left.Wait()
	var closed []uint64
	if back := released(b.results); len(back) > 0 {
		var err error
		if closed, err = s.store.RecordResults(back); err != nil {
			return closed, err
		}
	}
	paused, err := s.checkFailing(id, b.results, b.down)
	if paused {
		stop.halt()
	}
	return closed, err
}

// checkFailing pauses a campaign after PauseAfter batches in a row in which no attempt
// reached the SMTP server: it is down or stalls, and going on would only burn the 24-hour
// retry window of every delivery. Staff resume it by hand. A recipient's own temporary
// refusal (451 greylisting, a full mailbox) does not count: the tail of a campaign may
// consist of such retries alone while the server works.
func (s *Sender) checkFailing(id uint64, results []storage.DeliveryResult, down []bool) (paused bool, err error) {
	attempted, lastError := 0, ""
	for i, r := range results {
		if r.Outcome == storage.OutcomeRelease {
			continue
		}
		if !down[i] {
			s.failing[id] = 0
			return false, nil
		}
		attempted, lastError = attempted+1, r.Error
	}
	if attempted == 0 {
		return false, nil
	}
	s.failing[id]++
	if s.failing[id] < s.cfg.PauseAfter {
		return false, nil
	}
	delete(s.failing, id)
	s.log.Warn("campaign paused: the SMTP server did not answer in several batches in a row", "id", id,
		"batches", s.cfg.PauseAfter, "last_error", lastError)
	_, err = s.store.PauseCampaign("system", id)
	return true, err
}

// preparedCampaign is a campaign's shared message parts and when they go stale: an embargo
// notice must not outlive the embargo.
type preparedCampaign struct {
	msg   *mailer.Campaign
	until time.Time // zero: valid for as long as the server runs
}

// campaignMessage prepares a campaign's shared message parts once, or again after the
// communiqué's embargo has passed.
func (s *Sender) campaignMessage(id uint64, prepared map[uint64]preparedCampaign) (*mailer.Campaign, error) {
	if p, ok := prepared[id]; ok && (p.until.IsZero() || s.cfg.Now().Before(p.until)) {
		return p.msg, nil
	}
	v, err := storage.Get[storage.Campaign](s.store, id)
	if err != nil {
		return nil, err
	}
	c, err := storage.Get[storage.Communique](s.store, v.CommuniqueID)
	if err != nil {
		return nil, err
	}
	msg, err := s.prepare.Prepare(v)
	if err != nil {
		return nil, err
	}
	p := preparedCampaign{msg: msg}
	if c.EmbargoUntil != nil && s.cfg.Now().Before(*c.EmbargoUntil) {
		p.until = *c.EmbargoUntil
	}
	prepared[id] = p
	return msg, nil
}

// halt pauses a campaign whose messages cannot be built (a deleted communiqué, a bad sender
// address): sending nothing is better than sending something broken. Staff see why in the log.
func (s *Sender) halt(id uint64, cause error) error {
	if _, err := s.store.PauseCampaign("system", id); err != nil {
		return errors.Join(cause, err)
	}
	return cause
}

func (s *Sender) release(batch []storage.Delivery) {
	results := make([]storage.DeliveryResult, len(batch))
	for i, d := range batch {
		results[i] = storage.DeliveryResult{DeliveryID: d.ID, Outcome: storage.OutcomeRelease}
	}
	if _, err := s.store.RecordResults(results); err != nil {
		s.log.Error("release deliveries", "err", err)
	}
}

// work sends the deliveries it is handed until jobs closes; each outcome is committed
// before the worker completes its next message (see depth).
func (s *Sender) work(ctx context.Context, campaignID uint64, jobs <-chan job, rec *recorder, stop *stopWatch) {
	var out outgoing
	last := rec.worker()
	// gate lets a message be completed once fewer than depth of the worker's outcomes wait
	// for their commit.
	gate := func() error {
		err := last.ready()
		if err != nil {
			stop.halt()
		}
		return err
	}
	for j := range jobs {
		b, i := j.b, j.i
		d := b.deliveries[i]
		if stop.stopped() {
			b.results[i] = storage.DeliveryResult{DeliveryID: d.ID, Outcome: storage.OutcomeRelease}
		} else {
			b.results[i], b.down[i] = s.deliver(ctx, campaignID, b.msg, d, b.contacts[d.ContactID], &out, gate)
			s.progress.Add(1)
			if err := last.submit(b.results[i]); err != nil {
				stop.halt()
			}
		}
		b.left.Done()
	}
	if last.flush() != nil {
		stop.halt()
	}
}

// outgoing is a worker's message, its buffers reused from one recipient to the next.
type outgoing struct {
	data mailer.Data
	buf  []byte
}

// released picks the outcomes that hand deliveries back unattempted.
func released(results []storage.DeliveryResult) []storage.DeliveryResult {
	var out []storage.DeliveryResult
	for _, r := range results {
		if r.Outcome == storage.OutcomeRelease {
			out = append(out, r)
		}
	}
	return out
}

func contactIDs(batch []storage.Delivery) []uint64 {
	ids := make([]uint64, len(batch))
	for i, d := range batch {
		ids[i] = d.ContactID
	}
	return ids
}

// deliver builds and sends one message and turns the outcome into a result; down says
// whether the SMTP server gave no answer. gate waits until fewer than depth of the
// worker's earlier outcomes wait for their commit: when that fails, the message is left
// unfinished and handed back.
func (s *Sender) deliver(ctx context.Context, campaignID uint64, msg *mailer.Campaign, d storage.Delivery, c storage.Contact, out *outgoing, gate func() error) (r storage.DeliveryResult, down bool) {
	r = storage.DeliveryResult{DeliveryID: d.ID, MessageID: mailer.MessageID(campaignID, d.ID, msg.Domain(), s.secret)}
	if s.cfg.Limiter != nil {
		if err := s.cfg.Limiter.Wait(ctx); err != nil {
			r.Outcome = storage.OutcomeRelease
			return r, false
		}
	}
	var err error
	out.data, out.buf, err = msg.AppendData(out.buf, out.data.Parts, mailer.Recipient{Email: d.Email, FirstName: c.FirstName,
		LastName: c.LastName, Source: c.Source, UnsubscribeURL: s.prepare.UnsubscribeURL(d.ContactID), MessageID: r.MessageID})
	if err != nil {
		r.Outcome, r.Error = storage.OutcomeFailed, err.Error()
		return r, false
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.Timeout)
	defer cancel()
	var refused bool // the previous outcome could not be recorded: this message was left unfinished
	err = s.mail.SendGated(sendCtx, msg.Sender(), d.Email, out.data, func() error {
		err := gate()
		refused = err != nil
		return err
	})
	if refused {
		r.Outcome = storage.OutcomeRelease
		return r, false
	}
	return s.outcome(r, d, err), serverDown(err)
}

// serverDown reports whether a send failed without an answer about the recipient: no
// connection, a timeout, or 421 (the service is not available).
func serverDown(err error) bool {
	var se *mailer.SendError
	switch {
	case err == nil:
		return false
	case !errors.As(err, &se):
		return true
	default:
		return se.Temporary && (se.Code == 0 || se.Code == 421)
	}
}

// outcome classifies a send error: temporary ones are retried with back-off for 24 hours.
func (s *Sender) outcome(r storage.DeliveryResult, d storage.Delivery, err error) storage.DeliveryResult {
	var se *mailer.SendError
	now := s.cfg.Now()
	switch {
	case err == nil:
		r.Outcome = storage.OutcomeSent
	case errors.As(err, &se) && se.Temporary && (d.FirstAttempt == nil || !mailer.GiveUp(*d.FirstAttempt, now)):
		r.Outcome, r.Error, r.RetryAt = storage.OutcomeRetry, se.Error(), now.Add(mailer.Backoff(d.Attempts, s.cfg.RetryMin))
	case errors.As(err, &se):
		r.Outcome, r.Error, r.Bounced = storage.OutcomeFailed, se.Error(), se.Bounce
	default:
		r.Outcome, r.Error, r.RetryAt = storage.OutcomeRetry, err.Error(), now.Add(mailer.Backoff(d.Attempts, s.cfg.RetryMin))
	}
	return r
}

// stopWatch notices, within a fraction of a second, that a campaign left "sending".
type stopWatch struct {
	flag atomic.Bool
	done chan struct{}
	wg   sync.WaitGroup
}

func (s *Sender) watch(ctx context.Context, campaignID uint64) *stopWatch {
	w := &stopWatch{done: make(chan struct{})}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-ctx.Done():
				w.flag.Store(true)
				return
			case <-tick.C:
				if v, err := storage.Get[storage.Campaign](s.store, campaignID); err == nil && v.Status != storage.CampaignSending {
					w.flag.Store(true)
				}
			}
		}
	}()
	return w
}

func (w *stopWatch) stopped() bool { return w.flag.Load() }

// halt stops the batch from within, when its outcomes can no longer be recorded.
func (w *stopWatch) halt() { w.flag.Store(true) }

func (w *stopWatch) close() {
	close(w.done)
	w.wg.Wait()
}
