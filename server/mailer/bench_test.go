package mailer

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/smtp"
	"strings"
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
	{"sink", StartSink},
}

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

// StartSink runs a bare SMTP server that accepts and drops every message, reading the data
// a line at a time through a large buffer; it returns its address.
func StartSink(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	tb.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { sink(nc) })
		}
	})
	return l.Addr().String()
}

func sink(nc net.Conn) {
	defer nc.Close()
	r, w := bufio.NewReaderSize(nc, 64<<10), bufio.NewWriter(nc)
	reply := func(s string) bool { w.WriteString(s + "\r\n"); return w.Flush() == nil }
	reply("220 sink.example.com ESMTP")
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(string(line))); {
		case strings.HasPrefix(cmd, "EHLO"):
			reply("250-sink.example.com\r\n250-PIPELINING\r\n250 SIZE 100000000")
		case cmd == "DATA":
			reply("354 go ahead")
			for string(line) != ".\r\n" && err == nil {
				line, err = r.ReadSlice('\n')
			}
			reply("250 2.0.0 dropped")
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("250 ok")
		}
	}
}

// BenchmarkWriteData measures dot-stuffing one personalised message with a 100 kB PDF.
func BenchmarkWriteData(b *testing.B) {
	msg := MustBuild(b, MustCampaign(b, 100_000), 1)
	w := bufio.NewWriterSize(io.Discard, 4096)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if err := writeData(w, msg); err != nil {
			b.Fatal(err)
		}
	}
}
