package mailer

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"time"
)

// conn is one SMTP client connection. Writing prebuilt bytes ourselves, rather than through
// net/smtp or jordan-wright's Pool, lets a message go to the socket in a few large writes
// (dot-stuffing searches for "\n." instead of copying byte by byte) and lets us pipeline
// MAIL, RCPT and DATA (RFC 2920) when the server allows it.
type conn struct {
	raw     net.Conn // the TCP connection, whose deadlines also bound TLS above it
	nc      net.Conn // raw, or TLS over raw
	r       *textproto.Reader
	w       *bufio.Writer
	ext     map[string]string // EHLO keywords, upper case, with their parameters
	timeout time.Duration
	used    bool // has carried a transaction: the server may have closed it meanwhile

	mu      sync.Mutex // orders deadline updates against the context's end
	stopped bool       // the context of the current exchange has ended
	gen     int        // counts exchanges watched
}

// dial connects, reads the greeting, says EHLO, upgrades to TLS and authenticates as
// configured.
func dial(ctx context.Context, cfg Config) (*conn, error) {
	d := net.Dialer{Timeout: cfg.Timeout}
	nc, err := d.DialContext(ctx, "tcp", cfg.addr())
	if err != nil {
		return nil, classify(err, "connexion au serveur SMTP impossible")
	}
	c := newConn(nc, cfg.Timeout)
	if err := c.setup(ctx, cfg); err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

func newConn(nc net.Conn, timeout time.Duration) *conn {
	c := &conn{raw: nc, timeout: timeout}
	c.use(nc)
	return c
}

// use reads and writes through nc from now on.
func (c *conn) use(nc net.Conn) {
	c.nc, c.r, c.w = nc, textproto.NewReader(bufio.NewReader(nc)), bufio.NewWriter(nc)
}

func (c *conn) setup(ctx context.Context, cfg Config) error {
	stop := c.watch(ctx)
	defer stop()
	if cfg.TLS {
		if err := c.handshake(ctx, cfg.TLSConfig); err != nil {
			return err
		}
	}
	if _, err := c.read(220); err != nil {
		return setupError(err, "accueil du serveur SMTP")
	}
	if err := c.hello(cfg.LocalName); err != nil {
		return err
	}
	if _, ok := c.ext["STARTTLS"]; ok && cfg.StartTLS && !cfg.TLS {
		if _, err := c.cmd(220, "STARTTLS"); err != nil {
			return setupError(err, "STARTTLS")
		}
		if err := c.handshake(ctx, cfg.TLSConfig); err != nil {
			return err
		}
		if err := c.hello(cfg.LocalName); err != nil {
			return err
		}
	}
	return c.auth(cfg)
}

// handshake wraps the connection in TLS.
func (c *conn) handshake(ctx context.Context, config *tls.Config) error {
	tc := tls.Client(c.nc, config)
	c.deadline()
	if err := tc.HandshakeContext(ctx); err != nil {
		return setupError(err, "négociation TLS avec le serveur SMTP")
	}
	c.use(tc)
	return nil
}

func (c *conn) hello(name string) error {
	msg, err := c.cmd(250, "EHLO %s", name)
	if err != nil {
		return setupError(err, "EHLO")
	}
	c.ext = map[string]string{}
	for _, line := range strings.Split(msg, "\n")[1:] {
		keyword, params, _ := strings.Cut(line, " ")
		c.ext[strings.ToUpper(keyword)] = params
	}
	return nil
}

// auth uses AUTH PLAIN, which sends the password as is: only over TLS or to this machine.
func (c *conn) auth(cfg Config) error {
	if cfg.Username == "" {
		return nil
	}
	_, isTLS := c.nc.(*tls.Conn)
	if !isTLS && !cfg.loopback() {
		return setupError(fmt.Errorf("la connexion n’est pas chiffrée"), "authentification refusée sans chiffrement")
	}
	if !strings.Contains(" "+strings.ToUpper(c.ext["AUTH"])+" ", " PLAIN ") {
		return setupError(fmt.Errorf("le serveur n’accepte pas AUTH PLAIN"), "authentification impossible")
	}
	token := base64.StdEncoding.EncodeToString([]byte("\x00" + cfg.Username + "\x00" + cfg.Password))
	if _, err := c.cmd(235, "AUTH PLAIN %s", token); err != nil {
		return setupError(err, "authentification")
	}
	return nil
}

// watch makes ctx's end, or its deadline, interrupt any read or write in progress, until
// stop is called. The generation keeps a late callback from an earlier exchange from
// cutting a later one.
func (c *conn) watch(ctx context.Context) (stop func() bool) {
	c.mu.Lock()
	c.stopped = false
	c.gen++
	gen := c.gen
	c.mu.Unlock()
	return context.AfterFunc(ctx, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.gen == gen {
			c.stopped = true
			c.raw.SetDeadline(time.Unix(1, 0))
		}
	})
}

// deadline bounds the next exchange: a stalled server must not hold a worker forever.
// Once the context has ended, the past deadline it set stays.
func (c *conn) deadline() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.stopped {
		c.raw.SetDeadline(time.Now().Add(c.timeout))
	}
}

// cmd sends one command and reads its reply; expect may be one digit ("any 2xx").
func (c *conn) cmd(expect int, format string, args ...any) (string, error) {
	c.deadline()
	fmt.Fprintf(c.w, format+"\r\n", args...)
	if err := c.w.Flush(); err != nil {
		return "", err
	}
	return c.read(expect)
}

func (c *conn) read(expect int) (string, error) {
	c.deadline()
	_, msg, err := c.r.ReadResponse(expect)
	return msg, err
}

// send runs one mail transaction. sent reports whether the end of the data went out, after
// which the server may have accepted the message even if its reply was lost. gate, when
// not nil, is called once the data is on the wire but before the final "." that makes the
// server take the message; when it fails, the "." is not sent and the error is a *gateError.
func (c *conn) send(from, to string, msg Data, gate func() error) (sent bool, err error) {
	c.used = true
	if err := c.envelope(from, to, msg.Size); err != nil {
		return false, err
	}
	c.deadline()
	if err := writeData(c.w, msg); err != nil {
		return true, err
	}
	if gate != nil {
		if err := gate(); err != nil {
			return false, &gateError{err}
		}
	}
	c.deadline()
	if err := endData(c.w); err != nil {
		return true, err
	}
	_, err = c.read(250)
	return true, err
}

// gateError is a gate's refusal: the message was left unfinished.
type gateError struct{ err error }

func (e *gateError) Error() string { return e.err.Error() }
func (e *gateError) Unwrap() error { return e.err }

// interrupted is the SendError of a message left unfinished because its gate failed with err.
func interrupted(err error) *SendError {
	return &SendError{Temporary: true, Message: "envoi interrompu avant la fin du message", err: err}
}

// envelope sends MAIL, RCPT and DATA, in one write when the server allows pipelining.
func (c *conn) envelope(from, to string, size int) error {
	mail := "MAIL FROM:<" + from + ">"
	if _, ok := c.ext["SIZE"]; ok {
		mail += fmt.Sprintf(" SIZE=%d", size)
	}
	cmds := []struct {
		line   string
		expect int
	}{{mail, 250}, {"RCPT TO:<" + to + ">", 25}, {"DATA", 354}}
	if _, ok := c.ext["PIPELINING"]; !ok {
		for _, cmd := range cmds {
			if _, err := c.cmd(cmd.expect, "%s", cmd.line); err != nil {
				return err
			}
		}
		return nil
	}
	c.deadline()
	for _, cmd := range cmds {
		c.w.WriteString(cmd.line + "\r\n")
	}
	if err := c.w.Flush(); err != nil {
		return err
	}
	return c.readPipelined(cmds[0].expect, cmds[1].expect)
}

// readPipelined reads the three replies of a pipelined envelope. When MAIL or RCPT failed
// but the server still said 354 to DATA, an empty message is ended so that the
// connection stays in step.
func (c *conn) readPipelined(mailCode, rcptCode int) error {
	_, _, errMail := c.r.ReadResponse(mailCode)
	_, _, errRcpt := c.r.ReadResponse(rcptCode)
	_, _, errData := c.r.ReadResponse(354)
	first := firstError(errMail, errRcpt, errData)
	if first != nil && errData == nil {
		if _, err := c.cmd(0, "."); err != nil && !isReply(err) {
			return err
		}
	}
	return first
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// isReply reports whether err is an SMTP reply, after which the connection is still usable.
func isReply(err error) bool {
	_, ok := err.(*textproto.Error)
	return ok
}

// keep reports whether the connection can carry the next message after err: the server
// replied (other than 421, "closing") and accepted RSET, which clears the failed transaction.
func (c *conn) keep(err error) bool {
	var reply *textproto.Error
	if !errors.As(err, &reply) || reply.Code == 421 {
		return false
	}
	_, err = c.cmd(250, "RSET")
	return err == nil
}

// close says QUIT, briefly, and closes.
func (c *conn) close() {
	c.raw.SetDeadline(time.Now().Add(time.Second))
	fmt.Fprintf(c.w, "QUIT\r\n")
	c.w.Flush()
	c.r.ReadResponse(221)
	c.nc.Close()
}
