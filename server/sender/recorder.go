package sender

import "portevoix/storage"

// depth is how many of a worker's outcomes may be on their way to the disk at once. A
// worker completes a message (sends its final ".") only once fewer than depth of its
// outcomes wait for their commit: message N+2 waits for N's. The commit of N thus overlaps
// the server's acceptance of N+1 (a real MTA syncs its queue file before it answers 250),
// rather than following it; with depth one, each connection would spend every cycle on the
// server's sync and then on ours, in series. The price is the crash bound: after a kill,
// at most depth messages per worker went out without a record and go out again.
const depth = 2

// recorder commits delivery outcomes as workers report them, in one transaction for all
// the outcomes ready at that moment (group commit). A worker holds at most depth outcomes
// not yet on disk and completes a message only when it holds fewer: at a crash, each
// worker has at most depth messages that the server took without a record, which bounds
// the duplicates by depth times the pool size, while the transactions still carry many
// outcomes each when the workers are busy.
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
	r := &recorder{store: store, queue: make(chan recorded, workers*depth), done: make(chan struct{})}
	go r.run()
	return r
}

// pending is one worker's outcomes on their way to the disk, oldest first: at most depth.
type pending struct {
	rec     *recorder
	replies [depth]chan error // a ring, each with room for its commit's error
	head, n int               // the oldest outcome in flight, and how many are
}

func (r *recorder) worker() *pending {
	p := &pending{rec: r}
	for i := range p.replies {
		p.replies[i] = make(chan error, 1)
	}
	return p
}

// submit queues an outcome for a coming commit and returns at once, unless depth outcomes
// are in flight already: then it waits for the oldest. It returns the error of any commit
// it waited for. Released deliveries were not attempted: they are handed back at the end
// of the batch instead.
func (p *pending) submit(result storage.DeliveryResult) error {
	if result.Outcome == storage.OutcomeRelease {
		return nil
	}
	err := p.waitBelow(depth)
	p.rec.queue <- recorded{result: result, reply: p.replies[(p.head+p.n)%depth]}
	p.n++
	return err
}

// ready returns once the worker may complete a message: fewer than depth outcomes are in
// flight, so that with this message's own there will be at most depth. It returns the
// error of any commit it waited for.
func (p *pending) ready() error { return p.waitBelow(depth) }

// flush returns once every outcome submitted is committed.
func (p *pending) flush() error { return p.waitBelow(1) }

// waitBelow waits for the oldest outcomes' commits until fewer than k are in flight, and
// returns the first error among them.
func (p *pending) waitBelow(k int) error {
	var first error
	for p.n >= k {
		if err := <-p.replies[p.head]; first == nil {
			first = err
		}
		p.head, p.n = (p.head+1)%depth, p.n-1
	}
	return first
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
