package mailer

import (
	"context"
	"errors"
	"strings"
	"sync"
)

// Sender delivers prebuilt messages. Send returns nil or a *SendError; it is safe for
// concurrent use. SendGated is Send of a message already dot-stuffed, calling gate before
// the message is complete and leaving it incomplete (not delivered) when gate fails. Close
// waits for the sends in progress.
type Sender interface {
	Send(ctx context.Context, from, to string, msg []byte) error
	SendGated(ctx context.Context, from, to string, msg Data, gate func() error) error
	Close() error
}

// Both senders satisfy Sender.
var (
	_ Sender = (*SMTP)(nil)
	_ Sender = (*Outbox)(nil)
)

// SMTP is a Sender holding a pool of connections to one server, reused from message to
// message and reopened when they drop.
type SMTP struct {
	cfg   Config
	slots chan *conn // Conns entries; nil for a slot not connected
	done  chan struct{}
	once  sync.Once
}

// NewSMTP returns a pool for cfg. Connections open on first use, so a server that is
// down shows up as temporary errors on Send, not here.
func NewSMTP(cfg Config) *SMTP {
	cfg = cfg.withDefaults()
	s := &SMTP{cfg: cfg, slots: make(chan *conn, cfg.Conns), done: make(chan struct{})}
	for range cfg.Conns {
		s.slots <- nil
	}
	return s
}

var errClosed = &SendError{Temporary: true, Message: "l’expéditeur est fermé"}

// Send delivers msg to one recipient on a pooled connection, waiting for a free one
// (or ctx's end). A failed transaction leaves the connection reset or, when the failure
// was on the wire, closed to be reopened by the next Send.
func (s *SMTP) Send(ctx context.Context, from, to string, msg []byte) error {
	return s.SendGated(ctx, from, to, Stuff(msg), nil)
}

// SendGated is Send holding the message's final "." until gate returns: the envelope and
// the data go to the server meanwhile, so that the caller's own work (committing the
// previous outcome) overlaps the transfer. The server takes a message only at that ".",
// so when gate fails the connection is closed without it: the server drops the message,
// and the *SendError returned wraps gate's error.
func (s *SMTP) SendGated(ctx context.Context, from, to string, msg Data, gate func() error) error {
	if err := checkEnvelope(from, to); err != nil {
		return err
	}
	var c *conn
	select {
	case c = <-s.slots:
	case <-ctx.Done():
		return classify(ctx.Err(), "en attente d’une connexion SMTP")
	case <-s.done:
		return errClosed
	}
	select {
	case <-s.done:
		s.slots <- c
		return errClosed
	default:
	}
	c, err := s.transact(ctx, c, from, to, msg, gate)
	s.slots <- c
	return err
}

// transact sends on c, or on a new connection when c is nil, and returns the connection
// to keep. A used connection that fails before the data went out has probably been closed
// by the server while idle: the message is tried once more on a fresh one.
func (s *SMTP) transact(ctx context.Context, c *conn, from, to string, msg Data, gate func() error) (*conn, error) {
	for {
		if c == nil {
			var err error
			if c, err = dial(ctx, s.cfg); err != nil {
				return nil, err
			}
		}
		reused := c.used
		stop := c.watch(ctx)
		sent, err := c.send(from, to, msg, gate)
		stop()
		if err == nil {
			return c, nil
		}
		var refused *gateError
		if errors.As(err, &refused) {
			c.nc.Close()
			return nil, interrupted(refused.err)
		}
		if c.keep(err) {
			return c, classify(err, "")
		}
		c.nc.Close()
		if sent || !reused || ctx.Err() != nil {
			return nil, classify(err, "connexion SMTP interrompue")
		}
		c = nil
	}
}

// Close says QUIT on every connection, after the sends in progress.
func (s *SMTP) Close() error {
	s.once.Do(func() {
		close(s.done)
		for range cap(s.slots) {
			if c := <-s.slots; c != nil {
				c.close()
			}
		}
	})
	return nil
}

// checkEnvelope refuses addresses that could inject SMTP commands.
func checkEnvelope(from, to string) error {
	for _, a := range []string{from, to} {
		if a == "" || !isASCII(a) || strings.ContainsAny(a, "<> ") || checkHeader("adresse", a) != nil {
			return &SendError{Message: "adresse d’enveloppe « " + a + " » invalide"}
		}
	}
	return nil
}
