package sender

import "portevoix/storage"

// recorder commits delivery outcomes as workers report them, in one transaction for all
// the outcomes ready at that moment (group commit). A worker's next message is completed
// (its final "." sent) only once its previous outcome is on disk: at a crash, each worker
// has at most one message that went out without a record, which bounds the duplicates by
// the pool size, while the transactions still carry many outcomes each when the workers
// are busy. The commit overlaps the next message's building and transfer.
type recorder struct {
	store  *storage.Store
	queue  chan recorded
	done   chan struct{}
	closed []uint64 // campaigns the outcomes finished
	err    error    // the first failed commit
}

type recorded struct {
	result storage.DeliveryResult
	reply  chan error
}

func newRecorder(store *storage.Store, workers int) *recorder {
	r := &recorder{store: store, queue: make(chan recorded, workers), done: make(chan struct{})}
	go r.run()
	return r
}

// pending is one worker's outcome on its way to the disk: at most one at a time.
type pending struct {
	rec     *recorder
	reply   chan error // room for one error
	waiting bool       // an outcome was queued and its commit not yet awaited
}

func (r *recorder) worker() *pending {
	return &pending{rec: r, reply: make(chan error, 1)}
}

// submit queues an outcome for the next commit, after the previous one's commit, and
// returns at once. Released deliveries were not attempted: they are handed back at the
// end of the batch instead.
func (p *pending) submit(result storage.DeliveryResult) error {
	err := p.wait()
	if result.Outcome != storage.OutcomeRelease {
		p.rec.queue <- recorded{result: result, reply: p.reply}
		p.waiting = true
	}
	return err
}

// wait returns once the last outcome submitted is committed, with the commit's error.
func (p *pending) wait() error {
	if !p.waiting {
		return nil
	}
	p.waiting = false
	return <-p.reply
}

func (r *recorder) run() {
	defer close(r.done)
	var group []recorded
	var results []storage.DeliveryResult
	for first := range r.queue {
		group = r.drain(append(group[:0], first))
		results = results[:0]
		for _, g := range group {
			results = append(results, g.result)
		}
		closed, err := r.store.RecordResults(results)
		if err == nil {
			r.closed = append(r.closed, closed...)
		} else if r.err == nil {
			r.err = err
		}
		for _, g := range group {
			g.reply <- err
		}
	}
}

// drain adds the outcomes already queued, without waiting for more.
func (r *recorder) drain(group []recorded) []recorded {
	for {
		select {
		case g, ok := <-r.queue:
			if !ok {
				return group
			}
			group = append(group, g)
		default:
			return group
		}
	}
}

// close waits for the last commit, once every worker has returned, and reports the
// campaigns closed and the first error.
func (r *recorder) close() ([]uint64, error) {
	close(r.queue)
	<-r.done
	return r.closed, r.err
}
