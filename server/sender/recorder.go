package sender

import "portevoix/storage"

// recorder commits delivery outcomes as workers report them, in one transaction for all
// the outcomes ready at that moment (group commit). A worker waits for its outcome to be
// on disk before sending again: at a crash, each worker has at most one message that went
// out without a record, which bounds the duplicates by the pool size, while the
// transactions still carry many outcomes each when the workers are busy.
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

// record commits one outcome, with whatever others are waiting, and returns the commit's
// error. reply is the caller's own channel, with room for one error. Released deliveries
// were not attempted: they are handed back at the end of the batch instead.
func (r *recorder) record(result storage.DeliveryResult, reply chan error) error {
	if result.Outcome == storage.OutcomeRelease {
		return nil
	}
	r.queue <- recorded{result: result, reply: reply}
	return <-reply
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
