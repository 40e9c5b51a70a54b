package smtptest

import (
	"io"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one connection's state, as go-smtp drives it.
type session struct {
	srv    *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if s.srv.Password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "user" || pass != s.srv.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.Password != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.srv.mu.Lock()
	s.srv.starts = append(s.srv.starts, time.Now())
	s.srv.mu.Unlock()
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	s.srv.rcpts[to]++
	s.srv.mu.Unlock()
	if s.srv.Rcpt != nil {
		if err := s.srv.Rcpt(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	if s.srv.Discard {
		_, err := io.Copy(io.Discard, r)
		s.srv.discarded.Add(1)
		return err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	seq := s.srv.nextSeq()
	time.Sleep(s.srv.Delay)
	_, isTLS := s.conn.TLSConnectionState()
	msgs := make([]Message, len(s.to))
	for i, to := range s.to {
		msgs[i] = Message{From: s.from, To: to, Data: data, TLS: isTLS, Seq: seq}
		if s.srv.Data == nil {
			continue
		}
		if err := s.srv.Data(s.conn, msgs[i]); err != nil {
			return err
		}
	}
	for _, m := range msgs {
		s.srv.Keep(m)
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
