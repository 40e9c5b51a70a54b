package sender

import (
	"sync/atomic"
	"time"

	"portevoix/storage"
)

// depth is how many of a worker's outcomes may be on their way to the disk at once. A
// worker completes a message (sends its final ".") only once fewer than depth of its
// outcomes wait for their commit: message N+1 waits for N's. After a kill, at most depth
// messages per worker went out without a record and go out again: the design promises at
// most one per connection. (Depth two, which lets N's commit overlap the server's
// acceptance of N+1, was measured: no faster through Postfix on our machine, and it doubles
// the duplicates.)
const depth = 1

// recorder commits delivery outcomes as workers report them, many in one transaction
// (group commit; see gather for when). A worker holds at most depth outcomes not yet on
// disk and completes a message only when it holds fewer: at a crash, each worker has at
// most depth messages that the server took without a record, which bounds the duplicates
// by depth times the pool size.
type recorder struct {
	store *storage.Store
	queue chan recorded
	done  chan struct{}
	// demand wakes the recorder when a worker starts waiting for a commit.
	demand chan struct{}
	closed []uint64 // campaigns the outcomes finished
	err    error    // the first failed commit
}

type recorded struct {
	result  storage.DeliveryResult
	reply   chan error
	awaited *atomic.Bool // a worker waits for this outcome's commit
}

func newRecorder(store *storage.Store, workers int) *recorder {
	r := &recorder{store: store, queue: make(chan recorded, workers*depth), done: make(chan struct{}), demand: make(chan struct{}, 1)}
	go r.run()
	return r
}

// pending is one worker's outcomes on their way to the disk, oldest first: at most depth.
type pending struct {
	rec     *recorder
	replies [depth]chan error  // a ring, each with room for its commit's error
	awaited [depth]atomic.Bool // per slot: the worker waits for that commit
	head, n int                // the oldest outcome in flight, and how many are
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
	slot := (p.head + p.n) % depth
	p.awaited[slot].Store(false)
	p.rec.queue <- recorded{result: result, reply: p.replies[slot], awaited: &p.awaited[slot]}
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
		if err := p.await(p.head); first == nil {
			first = err
		}
		p.head, p.n = (p.head+1)%depth, p.n-1
	}
	return first
}

// await returns the error of the commit of the outcome in slot, telling the recorder when
// the worker has to wait for it.
func (p *pending) await(slot int) error {
	select {
	case err := <-p.replies[slot]:
		return err
	default:
	}
	p.awaited[slot].Store(true)
	select {
	case p.rec.demand <- struct{}{}:
	default:
	}
	return <-p.replies[slot]
}

func (r *recorder) run() {
	defer close(r.done)
	var group []recorded
	var results []storage.DeliveryResult
	for first := range r.queue {
		group = r.gather(append(group[:0], first))
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

// gatherFor bounds how long an outcome waits for others to share its commit. Each commit
// syncs the file twice and costs the processor some 0.3 ms whatever it holds: through a
// real MTA, where messages come a few milliseconds apart per connection, committing each
// outcome alone took more processor than the whole SMTP transaction. An outcome is needed
// when its worker completes its next message, and a worker that gets there first ends the
// gathering at once. (Measured at depth one through Postfix, alternated: 647–658 messages
// per second with this window, 610–633 without.)
const gatherFor = 2 * time.Millisecond

// gather adds outcomes to the group until a worker waits for one of them, every worker has
// all the outcomes it may hold in it, or the first has waited gatherFor.
func (r *recorder) gather(group []recorded) []recorded {
	timer := time.NewTimer(gatherFor)
	defer timer.Stop()
	for {
		group = r.drain(group)
		if len(group) >= cap(r.queue) || awaited(group) {
			return group
		}
		select {
		case g, ok := <-r.queue:
			if !ok {
				return group
			}
			group = append(group, g)
		case <-r.demand:
		case <-timer.C:
			return group
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

func awaited(group []recorded) bool {
	for _, g := range group {
		if g.awaited.Load() {
			return true
		}
	}
	return false
}

// close waits for the last commit, once every worker has returned, and reports the
// campaigns closed and the first error.
func (r *recorder) close() ([]uint64, error) {
	close(r.queue)
	<-r.done
	return r.closed, r.err
}
