package sender_test

import (
	"fmt"
	"net/smtp"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"portevoix/server/mailer"
	"portevoix/server/mailer/smtptest"
	"portevoix/server/sender"
	"portevoix/storage"
)

// benchConns is the number of SMTP connections both benchmarks use.
const benchConns = 16

// benchRecipients is the size of the benchmarks' campaign.
const benchRecipients = 10_000

// benchFixture is the demo base plus benchRecipients journalists on one list, sending to
// a bare sink that drops what it reads (go-smtp, reading DATA byte by byte, would take
// most of the CPU both sides share).
func benchFixture(b *testing.B) (*fixture, uint64, *smtptest.Sink) {
	b.Helper()
	sink := smtptest.StartSink(b)
	f, listID := benchFixtureTo(b, nil, sink.Addr, benchConns, benchRecipients)
	return f, listID, sink
}

// benchFixtureTo is the demo base plus n journalists on one list, sending over conns
// connections to ms or, when addr is set, to that server.
func benchFixtureTo(b *testing.B, ms *smtptest.Server, addr string, conns, n int) (*fixture, uint64) {
	b.Helper()
	f := newFixture(b, ms, func(f *fixture) { f.Conns = conns; f.MailTimeout = 30 * time.Second; f.Addr = addr })
	rows := make([]storage.ImportRow, n)
	for i := range rows {
		rows[i] = storage.ImportRow{Line: i + 2, Contact: storage.Contact{
			FirstName: "Élodie", LastName: fmt.Sprintf("Lefèvre-%d", i), Email: fmt.Sprintf("journaliste.%d@example.org", i),
			Organization: "Ouest-France", Regions: []string{"Bretagne"}, Tags: []string{"bench"}, Source: "Fichier presse 2025",
		}}
	}
	if report, err := f.store.ImportContacts("bench", rows, false); err != nil || report.Created != n {
		b.Fatalf("import: %v %+v", err, report)
	}
	list := &storage.List{Name: "Presse banc d’essai", Tags: []string{"bench"}}
	if err := storage.Create(f.store, "bench", list); err != nil {
		b.Fatal(err)
	}
	return f, list.ID
}

// startBenchCampaign creates and starts a campaign to the bench list (not timed).
func startBenchCampaign(b *testing.B, f *fixture, listID uint64) uint64 {
	b.Helper()
	c := &storage.Campaign{CommuniqueID: seed001ID, ListIDs: []uint64{listID}, Subject: "Santé : sept propositions des pôles",
		Pitch: "Le communiqué commun des pôles, ci-dessous et en PDF."}
	if err := storage.Create(f.store, "bench", c); err != nil {
		b.Fatal(err)
	}
	if _, err := f.store.StartCampaign("bench", c.ID); err != nil {
		b.Fatal(err)
	}
	return c.ID
}

// peakHeap samples the live heap until stop is called, which returns the highest value.
// It reads runtime/metrics, which, unlike runtime.ReadMemStats, does not stop the world:
// sampling every 5 ms must not slow the side it measures.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// BenchmarkSend10k sends a 10,000-recipient campaign of the seed-001 communiqué (PDF
// attached, one personalised message each) through the real sender, store and SMTP pool
// to a bare in-process sink that drops the data; every outcome is committed to bbolt.
func BenchmarkSend10k(b *testing.B) {
	f, listID, sink := benchFixture(b)
	var peak uint64
	var elapsed time.Duration
	for range b.N {
		b.StopTimer()
		id := startBenchCampaign(b, f, listID)
		runtime.GC()
		stopHeap := peakHeap()
		start := time.Now()
		b.StartTimer()
		s, stop := f.run(sender.Config{Workers: benchConns, Poll: 20 * time.Millisecond})
		waitDone(b, f, s, id, benchRecipients)
		b.StopTimer()
		elapsed += time.Since(start)
		stop()
		peak = max(peak, stopHeap())
		if s.Handled() != benchRecipients {
			b.Fatalf("%d messages handled, want %d", s.Handled(), benchRecipients)
		}
	}
	b.ReportMetric(float64(benchRecipients*b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	if got := sink.Messages(); got != int64(benchRecipients*b.N) {
		b.Fatalf("the server read %d messages, want %d", got, benchRecipients*b.N)
	}
}

// waitDone waits until the sender has handled n messages, then polls the campaign every
// millisecond until it is done. Polling the store all along would decode the campaign a
// thousand times a second on the side being measured.
func waitDone(b *testing.B, f *fixture, s *sender.Sender, id uint64, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for s.Handled() < int64(n) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	for {
		v, err := storage.Get[storage.Campaign](f.store, id)
		if err != nil {
			b.Fatal(err)
		}
		if v.Status == storage.CampaignDone {
			return
		}
		if time.Now().After(deadline) {
			b.Fatal("the campaign did not finish within 5 minutes")
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkSend10kReferenceNetSMTP sends the same 10,000 messages, built beforehand, with
// net/smtp over the same number of connections, with no store: the bar the sender is
// measured against.
func BenchmarkSend10kReferenceNetSMTP(b *testing.B) {
	f, listID, sink := benchFixture(b)
	msgs := prebuilt(b, f, listID)
	var elapsed time.Duration
	for range b.N {
		runtime.GC()
		stopHeap := peakHeap()
		start := time.Now()
		b.StartTimer()
		sendNetSMTP(b, sink.Addr, msgs)
		b.StopTimer()
		elapsed += time.Since(start)
		b.ReportMetric(float64(stopHeap())/(1<<20), "peak-heap-MB")
	}
	b.ReportMetric(float64(benchRecipients*b.N)/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(len(msgs[0].data))/1024, "kB/msg")
}

type prebuiltMessage struct {
	from, to string
	data     []byte
}

// prebuiltBodies is how many distinct messages prebuilt builds: every recipient's would
// take over a gigabyte for 10,000 recipients, which would weigh on the measure itself.
const prebuiltBodies = 64

// prebuilt builds, with the campaign's own Prepare, one message per recipient of the list:
// the first prebuiltBodies personalised, the others sharing their data in turn.
func prebuilt(b *testing.B, f *fixture, listID uint64) []prebuiltMessage {
	b.Helper()
	c := &storage.Campaign{CommuniqueID: seed001ID, ListIDs: []uint64{listID}, Subject: "Santé : sept propositions des pôles"}
	msg, err := f.app.Prepare(c)
	if err != nil {
		b.Fatal(err)
	}
	contacts, err := f.store.Recipients(listID)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]prebuiltMessage, len(contacts))
	for i, ct := range contacts {
		out[i] = prebuiltMessage{from: msg.Sender(), to: ct.Email}
		if i >= prebuiltBodies {
			out[i].data = out[i%prebuiltBodies].data
			continue
		}
		out[i].data, err = msg.Build(mailer.Recipient{Email: ct.Email, FirstName: ct.FirstName, LastName: ct.LastName, Source: ct.Source,
			UnsubscribeURL: f.app.UnsubscribeURL(ct.ID), MessageID: mailer.MessageID(99, uint64(i+1), msg.Domain(), f.secret)})
		if err != nil {
			b.Fatal(err)
		}
	}
	return out
}

// sendNetSMTP sends msgs over benchConns net/smtp connections, one transaction each.
func sendNetSMTP(b *testing.B, addr string, msgs []prebuiltMessage) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range benchConns {
		wg.Go(func() {
			c, err := smtp.Dial(addr)
			if err != nil {
				b.Error(err)
				return
			}
			defer c.Quit()
			for i := next.Add(1) - 1; i < int64(len(msgs)); i = next.Add(1) - 1 {
				if err := sendOne(c, msgs[i]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func sendOne(c *smtp.Client, m prebuiltMessage) error {
	if err := c.Mail(m.from); err != nil {
		return err
	}
	if err := c.Rcpt(m.to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(m.data); err != nil {
		return err
	}
	return w.Close()
}
