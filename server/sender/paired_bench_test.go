package sender_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"portevoix/server/mailer"
	"portevoix/server/sender"
)

// The paired benchmarks alternate, round after round in one run, the whole sender and a
// reference doing the same sending, and report the median rate of each side, the ratio of
// the medians and the spread of the per-round ratios: on a shared, busy machine only such
// paired figures mean something. Run them with a round count, for example
//
//	go test -run '^$' -bench SendPaired -benchtime 7x ./server/sender/
//	PORTEVOIX_BENCH_POSTFIX=127.0.0.1:10025 go test -run '^$' -bench PostfixPaired -benchtime 7x ./server/sender/
//
// (.ci/bench/send.sh sets Postfix up and runs both).

// BenchmarkSendPaired alternates the sender sending the 10,000-recipient campaign (messages
// built per recipient, every outcome committed to bbolt) with the project's own SMTP pool
// sending the same messages prebuilt, with no store, over the same connections to the same
// bare in-process sink.
func BenchmarkSendPaired(b *testing.B) {
	f, listID, _ := benchFixture(b)
	msgs := prebuilt(b, f, listID)
	r := newRounds(b, "sender", "pool")
	for b.Loop() {
		b.StopTimer()
		r.alternate(
			func() (time.Duration, uint64) { return sendCampaign(b, f, listID, benchConns, benchRecipients) },
			func() (time.Duration, uint64) { return sendPool(b, f.pool, msgs, benchConns) },
		)
		b.StartTimer()
	}
	r.report(benchRecipients)
}

// postfixRecipients and postfixConns are the Postfix comparison's campaign: 2,000
// journalists over 4 connections.
const (
	postfixRecipients = 2000
	postfixConns      = 4
)

// BenchmarkPostfixPaired alternates, through a Postfix that discards what it queues (at
// the address in PORTEVOIX_BENCH_POSTFIX; .ci/bench/postfix-setup.sh makes one), Postfix's
// own load generator smtp-source sending 2,000 messages of the campaign message's size over
// 4 sessions, the sender sending a 2,000-journalist campaign over 4 connections, and the
// project's pool sending the same messages prebuilt. A fourth side is smtp-source sending
// the campaign's first message itself (-F) 2,000 times: its own message is plain lines of
// "X", which Postfix processes faster than a MIME message with a base64 attachment, so this
// side does exactly the sender's work on the Postfix side. Postfix's queue is let empty
// before each side.
func BenchmarkPostfixPaired(b *testing.B) {
	addr := os.Getenv("PORTEVOIX_BENCH_POSTFIX")
	if addr == "" {
		b.Skip("PORTEVOIX_BENCH_POSTFIX (host:port of a discarding Postfix) is not set")
	}
	f, listID := benchFixtureTo(b, nil, addr, postfixConns, postfixRecipients)
	msgs := prebuilt(b, f, listID)
	size := len(msgs[0].data)
	// smtp-source -F ends every line with CRLF itself.
	file := filepath.Join(b.TempDir(), "campagne.eml")
	if err := os.WriteFile(file, bytes.ReplaceAll(msgs[0].data, []byte("\r\n"), []byte("\n")), 0o600); err != nil {
		b.Fatal(err)
	}
	r := newRounds(b, "sender", "smtp-source", "pool", "smtp-source-same-message")
	for b.Loop() {
		b.StopTimer()
		r.alternate(
			func() (time.Duration, uint64) {
				waitQueueEmpty(b)
				return sendCampaign(b, f, listID, postfixConns, postfixRecipients)
			},
			func() (time.Duration, uint64) {
				waitQueueEmpty(b)
				return smtpSource(b, addr, postfixRecipients, postfixConns, "-l", strconv.Itoa(size)), 0
			},
			func() (time.Duration, uint64) {
				waitQueueEmpty(b)
				return sendPool(b, f.pool, msgs, postfixConns)
			},
			func() (time.Duration, uint64) {
				waitQueueEmpty(b)
				return smtpSource(b, addr, postfixRecipients, postfixConns, "-F", file), 0
			},
		)
		b.StartTimer()
	}
	b.ReportMetric(float64(size)/1000, "kB/msg")
	r.report(postfixRecipients)
}

// rounds collects each side's durations, round by round.
type rounds struct {
	b     *testing.B
	names []string
	times [][]time.Duration // per side
	cpu   [][]time.Duration // per side: this process's CPU time (user and system)
	peak  uint64            // the sender's peak heap
}

func newRounds(b *testing.B, names ...string) *rounds {
	return &rounds{b: b, names: names, times: make([][]time.Duration, len(names)), cpu: make([][]time.Duration, len(names))}
}

// processCPU is the CPU time this process has used, in user and system mode.
func processCPU() time.Duration {
	var u syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// alternate runs every side once, rotating which goes first from round to round so that
// no side always follows the same one.
func (r *rounds) alternate(sides ...func() (time.Duration, uint64)) {
	start := len(r.times[0])
	for k := range sides {
		i := (start + k) % len(sides)
		cpu := processCPU()
		d, peak := sides[i]()
		r.cpu[i] = append(r.cpu[i], processCPU()-cpu)
		r.times[i] = append(r.times[i], d)
		r.peak = max(r.peak, peak)
	}
}

// report gives each side's median rate, and each reference's ratio: the first side's
// median over the reference's, and the lowest and highest per-round ratios.
func (r *rounds) report(messages int) {
	rate := func(d time.Duration) float64 { return float64(messages) / d.Seconds() }
	medians := make([]float64, len(r.names))
	for i, name := range r.names {
		rates := make([]float64, len(r.times[i]))
		for k, d := range r.times[i] {
			rates[k] = rate(d)
		}
		medians[i] = median(rates)
		r.b.ReportMetric(medians[i], name+"-msgs/s")
		r.b.Logf("%s msgs/s by round: %s", name, formatRates(rates))
		cpu := make([]float64, len(r.cpu[i]))
		for k, c := range r.cpu[i] {
			cpu[k] = float64(c.Microseconds()) / float64(messages)
		}
		r.b.Logf("%s CPU of this process (in-process sink included), µs per message, by round: %s", name, formatRates(cpu))
	}
	for i := 1; i < len(r.names); i++ {
		var ratios []float64
		for k := range r.times[0] {
			ratios = append(ratios, 100*rate(r.times[0][k])/rate(r.times[i][k]))
		}
		r.b.ReportMetric(100*medians[0]/medians[i], "%-of-"+r.names[i])
		r.b.ReportMetric(slices.Min(ratios), "%-of-"+r.names[i]+"-min")
		r.b.ReportMetric(slices.Max(ratios), "%-of-"+r.names[i]+"-max")
	}
	r.b.ReportMetric(float64(r.peak)/(1<<20), "peak-heap-MB")
	load, _ := os.ReadFile("/proc/loadavg")
	r.b.Logf("rounds: %d; load average: %s", len(r.times[0]), strings.TrimSpace(string(load)))
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func formatRates(rates []float64) string {
	parts := make([]string, len(rates))
	for i, r := range rates {
		parts[i] = strconv.FormatFloat(r, 'f', 0, 64)
	}
	return strings.Join(parts, " ")
}

// sendCampaign starts a campaign to the list (not timed) and times a fresh sender sending
// it to the end; it also returns the peak heap meanwhile.
func sendCampaign(b *testing.B, f *fixture, listID uint64, workers, n int) (time.Duration, uint64) {
	id := startBenchCampaign(b, f, listID)
	runtime.GC()
	stopHeap := peakHeap()
	start := time.Now()
	s, stop := f.run(sender.Config{Workers: workers, Poll: 20 * time.Millisecond})
	waitDone(b, f, s, id, n)
	elapsed := time.Since(start)
	stop()
	peak := stopHeap()
	if s.Handled() != int64(n) {
		b.Fatalf("%d messages handled, want %d", s.Handled(), n)
	}
	return elapsed, peak
}

// sendPool times the project's SMTP pool sending msgs from as many goroutines as it has
// connections, as the sender's workers do.
func sendPool(b *testing.B, pool *mailer.SMTP, msgs []prebuiltMessage, workers int) (time.Duration, uint64) {
	runtime.GC()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(msgs)); i = next.Add(1) - 1 {
				if err := pool.Send(context.Background(), msgs[i].from, msgs[i].to, msgs[i].data); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start), 0
}

// smtpSource times Postfix's load generator sending n messages over sessions connections,
// each reused from message to message (-d), as the pool does; content is "-l SIZE" (its
// own message of that size) or "-F FILE" (that message).
func smtpSource(b *testing.B, addr string, n, sessions int, content ...string) time.Duration {
	args := append([]string{"-d", "-s", strconv.Itoa(sessions), "-m", strconv.Itoa(n)}, content...)
	cmd := exec.Command("smtp-source", append(args, "-f", "presse@porte-voix.example.org", "-t", "journaliste@example.org", addr)...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("smtp-source: %v\n%s", err, out)
	}
	return time.Since(start)
}

// waitQueueEmpty waits until Postfix has discarded everything it queued, so that each
// side starts from the same state.
func waitQueueEmpty(b *testing.B) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := exec.Command("postqueue", "-p").CombinedOutput()
		if err != nil {
			b.Fatalf("postqueue: %v\n%s", err, out)
		}
		if strings.Contains(string(out), "is empty") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatal("the Postfix queue did not empty within 2 minutes")
}
