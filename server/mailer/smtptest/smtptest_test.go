package smtptest_test

import (
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"portevoix/server/mailer/smtptest"
)

// TestServerKeepsOneMessagePerRecipient sends one transaction to two recipients, one of
// them refused, then a second transaction the Data hook fails, and reads the accessors.
func TestServerKeepsOneMessagePerRecipient(t *testing.T) {
	srv := smtptest.Start(t, func(s *smtptest.Server) {
		s.Rcpt = func(to string) error {
			if to == "refused@example.com" {
				return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
			}
			return nil
		}
		s.Data = func(_ *gosmtp.Conn, m smtptest.Message) error {
			if m.Seq == 1 {
				return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
			}
			return nil
		}
	})
	msg := []byte("Subject: x\r\n\r\nx\r\n")
	to := []string{"a@example.org", "b@example.org"}
	if err := smtp.SendMail(srv.Addr, nil, "presse@example.org", to, msg); err != nil {
		t.Fatal(err)
	}
	if err := smtp.SendMail(srv.Addr, nil, "presse@example.org", []string{"refused@example.com"}, msg); err == nil {
		t.Error("the refused recipient was accepted")
	}
	if err := smtp.SendMail(srv.Addr, nil, "presse@example.org", to[:1], msg); err == nil {
		t.Error("the second DATA was accepted despite the hook's 451")
	}
	got := srv.Received()
	if len(got) != 2 || got[0].To != to[0] || got[1].To != to[1] || got[0].Seq != 0 || string(got[1].Data) != string(msg) {
		t.Fatalf("received %+v, want the first transaction once per recipient", got)
	}
	if srv.Count() != 2 || srv.PerRecipient()[to[0]] != 1 || srv.Rcpts(to[0]) != 2 || srv.Rcpts("refused@example.com") != 1 {
		t.Errorf("count %d, per recipient %v, RCPT for %s %d", srv.Count(), srv.PerRecipient(), to[0], srv.Rcpts(to[0]))
	}
	if n, starts := srv.Sessions(), len(srv.Starts()); n != 3 || starts != 3 {
		t.Errorf("%d sessions and %d transactions, want 3 of each", n, starts)
	}
}

// TestServerRequiresAuth: with a password, MAIL is refused until AUTH PLAIN succeeds.
func TestServerRequiresAuth(t *testing.T) {
	srv := smtptest.Start(t, func(s *smtptest.Server) { s.Password = "secret" })
	msg := []byte("Subject: x\r\n\r\nx\r\n")
	if err := smtp.SendMail(srv.Addr, nil, "presse@example.org", []string{"a@example.org"}, msg); err == nil {
		t.Error("a message without AUTH was accepted")
	}
	auth := smtp.PlainAuth("", "user", "secret", "127.0.0.1")
	if err := smtp.SendMail(srv.Addr, auth, "presse@example.org", []string{"a@example.org"}, msg); err != nil {
		t.Fatal(err)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("received %d messages, want the authenticated one", n)
	}
}

// TestServerDiscard counts messages without keeping them.
func TestServerDiscard(t *testing.T) {
	srv := smtptest.Start(t, func(s *smtptest.Server) { s.Discard = true })
	if err := smtp.SendMail(srv.Addr, nil, "presse@example.org", []string{"a@example.org"}, []byte("x\r\n")); err != nil {
		t.Fatal(err)
	}
	if srv.Discarded() != 1 || srv.Count() != 0 {
		t.Errorf("discarded %d, kept %d; want 1 and 0", srv.Discarded(), srv.Count())
	}
}

// TestSinkSpeaksPipelinedSMTP drives the benchmarks' sink as a pipelining client does:
// replies come in order, in step with the commands; the end of the data is found when it
// arrives split across writes, not in a dot-stuffed line, and at once for empty data.
func TestSinkSpeaksPipelinedSMTP(t *testing.T) {
	sink := smtptest.StartSink(t)
	nc, err := net.Dial("tcp", sink.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c := textproto.NewConn(nc)
	expect := func(code int) {
		t.Helper()
		if _, msg, err := c.ReadResponse(code); err != nil {
			t.Fatalf("want %d: %v %s", code, err, msg)
		}
	}
	send := func(s string) {
		t.Helper()
		if _, err := io.WriteString(nc, s); err != nil {
			t.Fatal(err)
		}
	}
	expect(220)
	send("EHLO client.example.org\r\n")
	if _, msg, err := c.ReadResponse(250); err != nil || !strings.Contains(msg, "PIPELINING") || !strings.Contains(msg, "8BITMIME") {
		t.Fatalf("EHLO: %v %q", err, msg)
	}
	// Out of order: refused, and nothing taken.
	send("RCPT TO:<a@example.org>\r\nDATA\r\n")
	expect(503)
	expect(554)
	// A pipelined envelope, then data whose end comes in pieces, after a dot-stuffed line
	// and a line holding only "..".
	send("MAIL FROM:<p@example.org>\r\nRCPT TO:<a@example.org>\r\nDATA\r\n")
	expect(250)
	expect(250)
	expect(354)
	for _, piece := range []string{"Subject: x\r\n\r\n..stuffed\r\n", "..\r\nend\r", "\n", ".", "\r", "\n"} {
		send(piece)
		time.Sleep(time.Millisecond) // let each piece arrive on its own
	}
	expect(250)
	// Empty data, then a transaction reset before its data.
	send("MAIL FROM:<p@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
	expect(250)
	expect(250)
	expect(354)
	send(".\r\n")
	expect(250)
	send("MAIL FROM:<p@example.org>\r\nRSET\r\nMAIL FROM:<p@example.org>\r\nRCPT TO:<c@example.org>\r\nNOOP\r\nQUIT\r\n")
	for _, code := range []int{250, 250, 250, 250, 250, 221} {
		expect(code)
	}
	if got := sink.Messages(); got != 2 {
		t.Errorf("the sink took %d messages, want 2", got)
	}
}
