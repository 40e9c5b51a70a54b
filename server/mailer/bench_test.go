package mailer

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/smtp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jordan-wright/email"

	"portevoix/server/mailer/smtptest"
)

// BenchmarkBuild measures one personalised message with a 100 kB PDF attached.
func BenchmarkBuild(b *testing.B) {
	c := MustCampaign(b, 100_000)
	r := testRecipient(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is BenchmarkBuild reusing one buffer, as a worker does.
func BenchmarkAppend(b *testing.B) {
	c := MustCampaign(b, 100_000)
	r := testRecipient(1)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = c.Append(buf[:0], r); err != nil {
			b.Fatal(err)
		}
	}
}

// benchConns is the number of connections in the sending benchmarks.
const benchConns = 16

// benchMessages returns personalised messages with a 100 kB PDF, built once.
func benchMessages(b *testing.B) [][]byte {
	c := MustCampaign(b, 100_000)
	msgs := make([][]byte, 64)
	for i := range msgs {
		msgs[i] = MustBuild(b, c, uint64(i))
	}
	return msgs
}

// runSenders sends b.N messages from benchConns goroutines and reports messages/second.
// send is called with the index of a message; each goroutine is identified by worker.
func runSenders(b *testing.B, send func(worker, i int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	b.SetBytes(150_000)
	b.ResetTimer()
	start := time.Now()
	for w := range benchConns {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
				if err := send(w, i); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// benchServers are the receiving ends of the sending benchmarks: go-smtp, whose
// byte-by-byte DATA reader dominates the cost, and a bare sink that shows the client's own.
var benchServers = []struct {
	name  string
	start func(tb testing.TB) string
}{
	{"go-smtp", startDiscard},
	{"sink", startSink},
}

// startSink runs the bare sink of smtptest; it returns its address.
func startSink(tb testing.TB) string { return smtptest.StartSink(tb).Addr }

// startDiscard runs a go-smtp server that reads and drops every message; it returns its address.
func startDiscard(tb testing.TB) string {
	return smtptest.Start(tb, func(ts *smtptest.Server) { ts.Discard = true }).Addr
}

// BenchmarkSendPool sends prebuilt messages through our pool of 16 connections to an
// in-process server that discards them.
func BenchmarkSendPool(b *testing.B) {
	msgs := benchMessages(b)
	for _, srv := range benchServers {
		b.Run(srv.name, func(b *testing.B) {
			cfg, _ := ParseSMTPURL("smtp://" + srv.start(b))
			cfg.Conns = benchConns
			s := NewSMTP(cfg)
			defer s.Close()
			runSenders(b, func(_, i int) error {
				return s.Send(context.Background(), envelopeFrom, "journaliste@example.com", msgs[i%len(msgs)])
			})
		})
	}
}

// BenchmarkReferenceNetSMTP sends the same messages with net/smtp, one client per
// goroutine on as many connections: the reference BenchmarkSendPool is held to.
func BenchmarkReferenceNetSMTP(b *testing.B) {
	msgs := benchMessages(b)
	for _, srv := range benchServers {
		b.Run(srv.name, func(b *testing.B) {
			addr := srv.start(b)
			clients := make([]*smtp.Client, benchConns)
			for i := range clients {
				c, err := smtp.Dial(addr)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Quit()
				clients[i] = c
			}
			runSenders(b, func(w, i int) error { return netSMTPSend(clients[w], msgs[i%len(msgs)]) })
		})
	}
}

func netSMTPSend(c *smtp.Client, msg []byte) error {
	if err := c.Mail(envelopeFrom); err != nil {
		return err
	}
	if err := c.Rcpt("journaliste@example.com"); err != nil {
		return err
	}
	data, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := data.Write(msg); err != nil {
		return err
	}
	return data.Close()
}

// BenchmarkReferenceJordanWright builds the same message with jordan-wright/email's
// Bytes(), which re-encodes the attachment every time: what Build avoids.
func BenchmarkReferenceJordanWright(b *testing.B) {
	content := testContent(b, 100_000)
	c := MustCampaign(b, 100_000)
	r := testRecipient(1)
	b.ReportAllocs()
	for b.Loop() {
		e := email.NewEmail()
		e.From, e.To, e.Subject = content.From, []string{r.Email}, content.Subject
		e.Text = []byte(textBody(content, greeting("", "Hélène"), c.textFooter(r.Source, r.UnsubscribeURL)))
		e.HTML = []byte(htmlBody(content, htmlGreeting(greeting("", "Hélène")), c.htmlFooter(r.Source, r.UnsubscribeURL)))
		e.Attach(bytes.NewReader(content.PDF), content.PDFName, "application/pdf")
		if _, err := e.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteData measures dot-stuffing and writing one personalised message with a
// 100 kB PDF, prebuilt.
func BenchmarkWriteData(b *testing.B) {
	msg := MustBuild(b, MustCampaign(b, 100_000), 1)
	w := bufio.NewWriterSize(io.Discard, 4096)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if err := writeData(w, Stuff(msg)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendData measures building one recipient's data phase from the campaign's
// parts stuffed once, and writing it.
func BenchmarkAppendData(b *testing.B) {
	c := MustCampaign(b, 100_000)
	r := testRecipient(1)
	w := bufio.NewWriterSize(io.Discard, 4096)
	var buf []byte
	var d Data
	for b.Loop() {
		var err error
		if d, buf, err = c.AppendData(buf, d.Parts, r); err != nil {
			b.Fatal(err)
		}
		if err := writeData(w, d); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(d.Size))
}
