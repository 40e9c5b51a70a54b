// Package smtptest runs a real SMTP server on 127.0.0.1 for tests: github.com/emersion/go-smtp
// behind a small backend that keeps what it accepts and lets a test script its answers.
//
//	srv := smtptest.Start(t, func(s *smtptest.Server) {
//		s.Rcpt = func(to string) error { … }                        // refuse a recipient
//		s.Data = func(c *smtp.Conn, m smtptest.Message) error { … } // fail, stall or drop
//	})
//	… send to srv.Addr …
//	got := srv.Received()
//
// The server answers as "mx.example.com", takes messages of up to 10 MiB, logs nothing and
// closes when the test ends. It is for tests only: nothing in the product imports it.
package smtptest

import (
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// MaxMessageBytes is the size limit the server advertises (SIZE) and enforces.
const MaxMessageBytes = 10 << 20

// Message is one message the server got, for one recipient.
type Message struct {
	From, To string
	Data     []byte
	// TLS says whether it came over TLS (implicit or after STARTTLS).
	TLS bool
	// Seq numbers the server's DATA commands from 0: a hook can act on the first one only.
	Seq int
}

// Server is a real SMTP server on 127.0.0.1. Start sets Addr; the other fields are set by
// Start's configure function, before the server listens, and never changed afterwards.
type Server struct {
	// Addr is the host:port the server listens on.
	Addr string

	// Rcpt may refuse a recipient with its error (an *smtp.SMTPError scripts the reply);
	// nil accepts everybody.
	Rcpt func(to string) error
	// Data runs once per recipient after the data is read and before the reply; an error
	// is the reply and nothing is kept (unless the hook called Keep). nil accepts.
	Data func(c *smtp.Conn, m Message) error
	// Delay is slept after each message's data is read, before Data and the reply, so
	// that a campaign lasts long enough to be watched or stopped.
	Delay time.Duration
	// TLS, when set, wraps the listener: TLS from the first byte (smtps).
	TLS *tls.Config
	// StartTLS, when set, offers STARTTLS; AUTH is then offered only once TLS is on.
	StartTLS *tls.Config
	// Password, when set, requires AUTH PLAIN as "user" with this password before MAIL.
	Password string
	// Discard reads each message's data and drops it, with no Delay and no Data hook: a
	// benchmark sink that only counts (Discarded).
	Discard bool

	mu        sync.Mutex
	received  []Message
	starts    []time.Time
	rcpts     map[string]int
	sessions  int
	datas     int
	discarded atomic.Int64
}

// Start runs a server on 127.0.0.1:0 until the test ends; configure, which may be nil,
// sets its fields first.
func Start(tb testing.TB, configure func(*Server)) *Server {
	tb.Helper()
	s := &Server{rcpts: map[string]int{}}
	if configure != nil {
		configure(s)
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "mx.example.com"
	srv.MaxMessageBytes = MaxMessageBytes
	srv.ErrorLog = quietLog{}
	srv.TLSConfig = s.StartTLS
	// Without STARTTLS, AUTH in clear is what a loopback test wants; with it, AUTH waits
	// for TLS, as on a real submission server.
	srv.AllowInsecureAuth = s.StartTLS == nil
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	if s.TLS != nil {
		l = tls.NewListener(l, s.TLS)
	}
	s.Addr = l.Addr().String()
	go srv.Serve(l)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// Keep records m as accepted; a Data hook calls it to keep a message and still fail, as a
// server that queued the message but whose reply was lost.
func (s *Server) Keep(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, m)
}

// Received returns a copy of the accepted messages, in order.
func (s *Server) Received() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}

// Count is how many messages were accepted.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.received)
}

// PerRecipient counts the accepted messages by recipient.
func (s *Server) PerRecipient() map[string]int {
	out := map[string]int{}
	for _, m := range s.Received() {
		out[m.To]++
	}
	return out
}

// Starts returns when each transaction began (MAIL FROM), accepted or not.
func (s *Server) Starts() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.starts...)
}

// Rcpts is how many times the server was asked to take a message for to.
func (s *Server) Rcpts(to string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcpts[to]
}

// Sessions is how many connections the server saw.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// Discarded is how many messages a Discard server read and dropped.
func (s *Server) Discarded() int64 {
	return s.discarded.Load()
}

// errDropped is the reply a dropped connection never carries.
var errDropped = errors.New("connection dropped by the test")

// Drop closes the connection under the client, as a crashing server or a broken network
// does; a Data hook returns its error.
func Drop(c *smtp.Conn) error {
	c.Conn().Close()
	return errDropped
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	s.sessions++
	s.mu.Unlock()
	return &session{srv: s, conn: c}, nil
}

// nextSeq counts a DATA command and returns its number.
func (s *Server) nextSeq() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.datas++
	return s.datas - 1
}

type quietLog struct{}

func (quietLog) Printf(string, ...any) {}
func (quietLog) Println(...any)        {}
