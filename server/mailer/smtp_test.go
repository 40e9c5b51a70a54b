package mailer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"portevoix/server/mailer/smtptest"
)

const envelopeFrom = "presse@porte-voix.example.org"

// testConfig is a client configuration for ts, with short timeouts.
func testConfig(ts *smtptest.Server, conns int) Config {
	host, port, _ := net.SplitHostPort(ts.Addr)
	return Config{Host: host, Port: port, StartTLS: true, Conns: conns, Timeout: 2 * time.Second}
}

// errSMTP builds a scripted server reply.
func errSMTP(code int, enhanced smtp.EnhancedCode, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: msg}
}

// MustSend sends and fails the test on error.
func MustSend(tb testing.TB, s Sender, to string, msg []byte) {
	tb.Helper()
	if err := s.Send(context.Background(), envelopeFrom, to, msg); err != nil {
		tb.Fatalf("Send to %s: %v", to, err)
	}
}

// MustSendError sends and returns the *SendError it must fail with.
func MustSendError(tb testing.TB, s Sender, to string, msg []byte) *SendError {
	tb.Helper()
	err := s.Send(context.Background(), envelopeFrom, to, msg)
	var se *SendError
	if !errors.As(err, &se) {
		tb.Fatalf("Send to %s: err = %v, want a *SendError", to, err)
	}
	return se
}

func TestSMTPDeliversEachMessageOnce(t *testing.T) {
	ts := smtptest.Start(t, nil)
	s := NewSMTP(testConfig(ts, 2))
	defer s.Close()
	c := MustCampaign(t, 100_000)
	const n = 12
	var wg sync.WaitGroup
	for d := range uint64(n) {
		wg.Go(func() { MustSend(t, s, testRecipient(d).Email, MustBuild(t, c, d)) })
	}
	wg.Wait()
	got := ts.Received()
	if len(got) != n {
		t.Fatalf("server received %d messages, want %d", len(got), n)
	}
	seen := map[string]bool{}
	for _, r := range got {
		m, parts := MustParse(t, r.Data)
		to, _ := m.Header.AddressList("To")
		id := m.Header.Get("Message-ID")
		if len(to) != 1 || to[0].Address != r.To || seen[id] {
			t.Errorf("envelope to %s carries To %v, Message-ID %s (seen before: %v)", r.To, to, id, seen[id])
		}
		seen[id] = true
		if len(parts) != 5 || !bytes.Equal(parts["application/pdf"].body, testContent(t, 100_000).PDF) { // text, HTML, 2 logos, PDF
			t.Errorf("message to %s has parts %d, or a PDF that differs", r.To, len(parts))
		}
	}
	if n := ts.Sessions(); n > 2 {
		t.Errorf("%d connections for a pool of 2", n)
	}
}

func TestSMTPRetryAfter451(t *testing.T) {
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(_ *smtp.Conn, m smtptest.Message) error {
			if m.Seq == 0 {
				return errSMTP(451, smtp.EnhancedCode{4, 3, 0}, "Try again later")
			}
			return nil
		}
	})
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := MustBuild(t, MustCampaign(t, 1000), 1)
	se := MustSendError(t, s, "a@example.com", msg)
	if !se.Temporary || se.Bounce || se.Code != 451 || se.Enhanced != "4.3.0" || se.Message != "Try again later" {
		t.Fatalf("first send: %#v, want a temporary 451 4.3.0", se)
	}
	MustSend(t, s, "a@example.com", msg)
	if n := len(ts.Received()); n != 1 {
		t.Errorf("received %d messages, want 1", n)
	}
	if n := ts.Sessions(); n != 1 {
		t.Errorf("%d connections, want the first one kept after RSET", n)
	}
}

func TestSMTPBounce(t *testing.T) {
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Rcpt = func(to string) error {
			if to == "nobody@example.com" {
				return errSMTP(550, smtp.EnhancedCode{5, 1, 1}, "No such user")
			}
			return nil
		}
	})
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := MustBuild(t, MustCampaign(t, 1000), 1)
	se := MustSendError(t, s, "nobody@example.com", msg)
	if se.Temporary || !se.Bounce || se.Code != 550 || se.Enhanced != "5.1.1" {
		t.Fatalf("got %#v, want a permanent 550 5.1.1 bounce", se)
	}
	if want := "le serveur SMTP a répondu 550 5.1.1 No such user"; se.Error() != want {
		t.Errorf("Error() = %q, want %q", se.Error(), want)
	}
	MustSend(t, s, "somebody@example.com", msg)
	if got := ts.Received(); len(got) != 1 || got[0].To != "somebody@example.com" {
		t.Errorf("received %v", got)
	}
}

func TestSMTPPermanentWithoutBounce(t *testing.T) {
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(*smtp.Conn, smtptest.Message) error {
			return errSMTP(554, smtp.EnhancedCode{5, 7, 1}, "Rejected as spam")
		}
	})
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	se := MustSendError(t, s, "a@example.com", MustBuild(t, MustCampaign(t, 1000), 1))
	if se.Temporary || se.Bounce || se.Code != 554 {
		t.Fatalf("got %#v, want permanent, no bounce", se)
	}
}

func TestSMTPConnectionDroppedDuringData(t *testing.T) {
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(c *smtp.Conn, m smtptest.Message) error {
			if m.Seq == 0 {
				return smtptest.Drop(c)
			}
			return nil
		}
	})
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := MustBuild(t, MustCampaign(t, 100_000), 1)
	se := MustSendError(t, s, "a@example.com", msg)
	if !se.Temporary || se.Code != 0 {
		t.Fatalf("got %#v, want a temporary error without reply", se)
	}
	MustSend(t, s, "a@example.com", msg)
	if n := ts.Sessions(); n != 2 {
		t.Errorf("%d connections, want a second one after the drop", n)
	}
}

func TestSMTPReconnectsWhenIdleConnectionWasClosed(t *testing.T) {
	var mu sync.Mutex
	var serverConns []*smtp.Conn
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(c *smtp.Conn, _ smtptest.Message) error {
			mu.Lock()
			serverConns = append(serverConns, c)
			mu.Unlock()
			return nil
		}
	})
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := MustBuild(t, MustCampaign(t, 1000), 1)
	MustSend(t, s, "a@example.com", msg)
	mu.Lock()
	serverConns[0].Conn().Close() // as a server does after its idle timeout
	mu.Unlock()
	MustSend(t, s, "b@example.com", msg)
	if got := ts.Received(); len(got) != 2 {
		t.Errorf("received %d messages, want 2", len(got))
	}
}

func TestSMTPStalledServerTimesOut(t *testing.T) {
	stall := make(chan struct{})
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(*smtp.Conn, smtptest.Message) error { <-stall; return nil }
	})
	t.Cleanup(func() { close(stall) }) // runs before the server's Close
	cfg := testConfig(ts, 1)
	cfg.Timeout = 100 * time.Millisecond
	s := NewSMTP(cfg)
	defer s.Close()
	se := MustSendError(t, s, "a@example.com", MustBuild(t, MustCampaign(t, 1000), 1))
	if !se.Temporary || !errors.Is(se, os.ErrDeadlineExceeded) {
		t.Fatalf("got %v, want a temporary timeout", se)
	}
}

func TestSMTPContextEndsSend(t *testing.T) {
	stall := make(chan struct{})
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(*smtp.Conn, smtptest.Message) error { <-stall; return nil }
	})
	t.Cleanup(func() { close(stall) })
	cfg := testConfig(ts, 1)
	cfg.Timeout = time.Hour
	s := NewSMTP(cfg)
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := s.Send(ctx, envelopeFrom, "a@example.com", MustBuild(t, MustCampaign(t, 1000), 1))
	var se *SendError
	if !errors.As(err, &se) || !se.Temporary {
		t.Fatalf("got %v, want a temporary error when the context ends", err)
	}
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	cert, roots := smtptest.MustCert(t)
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.StartTLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		ts.Password = "secret"
	})
	cfg := testConfig(ts, 1)
	cfg.Username, cfg.Password = "user", "secret"
	cfg.TLSConfig = &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}
	s := NewSMTP(cfg)
	defer s.Close()
	MustSend(t, s, "a@example.com", MustBuild(t, MustCampaign(t, 1000), 1))
	if got := ts.Received(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %v, want one message over TLS", got)
	}

	t.Run("ErrUntrustedCertificate", func(t *testing.T) {
		cfg.TLSConfig = &tls.Config{ServerName: "127.0.0.1"}
		s := NewSMTP(cfg)
		defer s.Close()
		if se := MustSendError(t, s, "a@example.com", []byte("x\r\n")); !se.Temporary {
			t.Errorf("got %#v, want a temporary setup error", se)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		cfg.TLSConfig = &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}
		cfg.Password = "wrong"
		s := NewSMTP(cfg)
		defer s.Close()
		if se := MustSendError(t, s, "a@example.com", []byte("x\r\n")); !se.Temporary || se.Code != 535 {
			t.Errorf("got %#v, want a temporary 535", se)
		}
	})
}

func TestSMTPImplicitTLS(t *testing.T) {
	cert, roots := smtptest.MustCert(t)
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	})
	cfg, err := ParseSMTPURL("smtps://" + ts.Addr + "?timeout=2s")
	if err != nil {
		t.Fatal(err)
	}
	cfg.TLSConfig = &tls.Config{RootCAs: roots} // ServerName comes from the URL
	s := NewSMTP(cfg)
	defer s.Close()
	MustSend(t, s, "a@example.com", MustBuild(t, MustCampaign(t, 1000), 1))
	if got := ts.Received(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %v, want one message over TLS", got)
	}
}

func TestSMTPAuthOnLoopbackWithoutTLS(t *testing.T) {
	ts := smtptest.Start(t, func(ts *smtptest.Server) { ts.Password = "secret" })
	cfg, err := ParseSMTPURL("smtp://user:secret@" + ts.Addr + "?starttls=false&timeout=2s")
	if err != nil {
		t.Fatal(err)
	}
	s := NewSMTP(cfg)
	defer s.Close()
	MustSend(t, s, "a@example.com", MustBuild(t, MustCampaign(t, 1000), 1))
	if got := ts.Received(); len(got) != 1 || got[0].From != envelopeFrom {
		t.Fatalf("received %v", got)
	}
}

func TestSMTPDotStuffing(t *testing.T) {
	ts := smtptest.Start(t, nil)
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := []byte(".first\r\nSubject: x\r\n\r\n.\r\n..two\r\nlast line without end")
	MustSend(t, s, "a@example.com", msg)
	got := ts.Received()
	if want := append(msg, "\r\n"...); len(got) != 1 || !bytes.Equal(got[0].Data, want) {
		t.Fatalf("received %v, want %q", got, want)
	}
}

func TestWriteDataStuffsDots(t *testing.T) {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	writeData(w, Stuff([]byte(".a\r\n.\r\nb.\r\n..c\r\n")))
	endData(w)
	if want := "..a\r\n..\r\nb.\r\n...c\r\n.\r\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestSMTPRefusesEnvelopeInjection(t *testing.T) {
	ts := smtptest.Start(t, nil)
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	for _, to := range []string{"a@example.com>\r\nRCPT TO:<b@example.com", "a@example.com\n", "<a@example.com>", ""} {
		if se := MustSendError(t, s, to, []byte("x\r\n")); se.Temporary {
			t.Errorf("to %q: got %#v, want a permanent refusal", to, se)
		}
	}
	if n := ts.Sessions(); n != 0 {
		t.Errorf("%d connections opened for refused envelopes", n)
	}
}

func TestSMTPClose(t *testing.T) {
	ts := smtptest.Start(t, nil)
	s := NewSMTP(testConfig(ts, 2))
	MustSend(t, s, "a@example.com", []byte("Subject: x\r\n\r\nx\r\n"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if se := MustSendError(t, s, "a@example.com", []byte("x\r\n")); se != errClosed {
		t.Errorf("Send after Close: %v", se)
	}
	s.Close() // a second Close is harmless
}

func TestSMTPDownServerIsTemporary(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	cfg, _ := ParseSMTPURL("smtp://" + addr)
	s := NewSMTP(cfg)
	defer s.Close()
	if se := MustSendError(t, s, "a@example.com", []byte("x\r\n")); !se.Temporary {
		t.Errorf("got %#v, want temporary", se)
	}
}

// TestSMTPWithoutPipelining talks to a scripted server that offers neither PIPELINING nor
// STARTTLS, and checks the commands, one at a time, and SIZE.
func TestSMTPWithoutPipelining(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	transcript := make(chan []string, 1)
	go func() {
		nc, err := l.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		transcript <- scriptedServer(textproto.NewConn(nc))
	}()
	cfg, _ := ParseSMTPURL("smtp://" + l.Addr().String() + "?timeout=2s")
	s := NewSMTP(cfg)
	msg := []byte("Subject: x\r\n\r\n.point\r\n")
	MustSend(t, s, "a@example.com", msg)
	s.Close()
	want := []string{"EHLO localhost", "MAIL FROM:<" + envelopeFrom + "> SIZE=22", "RCPT TO:<a@example.com>", "DATA", "Subject: x\n\n.point\n", "QUIT"}
	if got := <-transcript; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("server saw %q, want %q", got, want)
	}
}

// scriptedServer answers like a minimal SMTP server and returns what it was sent.
func scriptedServer(tp *textproto.Conn) (log []string) {
	tp.PrintfLine("220 mx.example.com ESMTP")
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return log
		}
		log = append(log, line)
		switch line {
		case "EHLO localhost":
			tp.PrintfLine("250-mx.example.com\r\n250 SIZE 1000000")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			body, _ := tp.ReadDotBytes()
			log = append(log, string(body))
			tp.PrintfLine("250 2.0.0 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return log
		default:
			tp.PrintfLine("250 ok")
		}
	}
}

func TestSMTPCloseWaitsForSendsInProgress(t *testing.T) {
	inData, stall := make(chan struct{}), make(chan struct{})
	ts := smtptest.Start(t, func(ts *smtptest.Server) {
		ts.Data = func(*smtp.Conn, smtptest.Message) error { close(inData); <-stall; return nil }
	})
	t.Cleanup(func() { close(stall) })
	cfg := testConfig(ts, 1)
	cfg.Timeout = 200 * time.Millisecond
	s := NewSMTP(cfg)
	sent := make(chan error, 1)
	go func() {
		sent <- s.Send(context.Background(), envelopeFrom, "a@example.com", []byte("Subject: x\r\n\r\nx\r\n"))
	}()
	<-inData
	start := time.Now()
	s.Close()
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("Close returned after %v, before the stalled send timed out", waited)
	}
	if err := <-sent; err == nil {
		t.Error("the stalled send succeeded")
	}
}

// TestSMTPSendGatedEndsAfterGate checks that the server has the data but not yet the
// message while the gate runs, and takes the message once the gate returns.
func TestSMTPSendGatedEndsAfterGate(t *testing.T) {
	ts := smtptest.Start(t, nil)
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := []byte("Subject: x\r\n\r\ncorps\r\n")
	calls := 0
	err := s.SendGated(context.Background(), envelopeFrom, "a@example.com", Stuff(msg), func() error {
		calls++
		if n := len(ts.Received()); n != 0 {
			t.Errorf("the server took %d messages before the gate returned", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := ts.Received(); calls != 1 || len(got) != 1 || !bytes.Equal(got[0].Data, msg) {
		t.Fatalf("gate called %d times, received %v", calls, got)
	}
}

// TestSMTPSendGatedRefused checks that a failing gate leaves the message undelivered,
// comes back as a temporary SendError wrapping the gate's error, and that the pool's next
// message goes through on a fresh connection.
func TestSMTPSendGatedRefused(t *testing.T) {
	ts := smtptest.Start(t, nil)
	s := NewSMTP(testConfig(ts, 1))
	defer s.Close()
	msg := []byte("Subject: x\r\n\r\ncorps\r\n")
	cause := errors.New("commit failed")
	err := s.SendGated(context.Background(), envelopeFrom, "a@example.com", Stuff(msg), func() error { return cause })
	var se *SendError
	if !errors.As(err, &se) || !se.Temporary || !errors.Is(err, cause) {
		t.Fatalf("got %v, want a temporary SendError wrapping the gate's error", err)
	}
	MustSend(t, s, "b@example.com", msg)
	got := ts.Received()
	if len(got) != 1 || got[0].To != "b@example.com" {
		t.Fatalf("received %v, want only b@example.com's message", got)
	}
}
