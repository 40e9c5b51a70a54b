package mailer

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testServer is a real SMTP server on 127.0.0.1 whose answers a test can script.
type testServer struct {
	Addr      string
	Server    *smtp.Server
	Password  string      // when set, AUTH PLAIN as "user" is required
	ListenTLS *tls.Config // when set, TLS from the first byte (smtps)

	mu       sync.Mutex
	received []received
	sessions int
	datas    int
	rcpt     func(to string) error                     // nil: accept
	data     func(c *smtp.Conn, n int, b []byte) error // n counts DATA commands from 0; nil: accept
	discard  bool                                      // only count, as a benchmark sink
}

// received is one message as the server got it.
type received struct {
	From, To string
	Data     []byte
	TLS      bool
}

// StartServer runs a server until the test ends; configure may set TLS and hooks before
// it starts.
func StartServer(tb testing.TB, configure func(*testServer)) *testServer {
	tb.Helper()
	ts := &testServer{}
	ts.Server = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		ts.mu.Lock()
		ts.sessions++
		ts.mu.Unlock()
		return &testSession{ts: ts, conn: c}, nil
	}))
	ts.Server.Domain = "mx.example.com"
	ts.Server.AllowInsecureAuth = true
	ts.Server.ErrorLog = discardLog{}
	if configure != nil {
		configure(ts)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil && ts.ListenTLS != nil {
		l = tls.NewListener(l, ts.ListenTLS)
	}
	if err != nil {
		tb.Fatal(err)
	}
	ts.Addr = l.Addr().String()
	go ts.Server.Serve(l)
	tb.Cleanup(func() { ts.Server.Close() })
	return ts
}

// Config returns a client configuration for this server, with short timeouts.
func (ts *testServer) Config(conns int) Config {
	host, port, _ := net.SplitHostPort(ts.Addr)
	return Config{Host: host, Port: port, StartTLS: true, Conns: conns, Timeout: 2 * time.Second}
}

// Received returns a copy of what the server accepted.
func (ts *testServer) Received() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.received...)
}

// Sessions returns how many connections the server saw.
func (ts *testServer) Sessions() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.sessions
}

type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}

type testSession struct {
	ts     *testServer
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (s *testSession) AuthMechanisms() []string {
	if s.ts.Password == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *testSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "user" || pass != s.ts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Bad credentials"}
		}
		s.authed = true
		return nil
	}), nil
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.Password != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.ts.rcpt != nil {
		if err := s.ts.rcpt(to); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	if s.ts.discard {
		_, err := io.Copy(io.Discard, r)
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.ts.mu.Lock()
	n := s.ts.datas
	s.ts.datas++
	s.ts.mu.Unlock()
	if s.ts.data != nil {
		if err := s.ts.data(s.conn, n, b); err != nil {
			return err
		}
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.ts.mu.Lock()
	defer s.ts.mu.Unlock()
	for _, to := range s.to {
		s.ts.received = append(s.ts.received, received{From: s.from, To: to, Data: b, TLS: isTLS})
	}
	return nil
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

// MustCert returns a self-signed certificate for 127.0.0.1 and a pool trusting it.
func MustCert(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mx.example.com"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// errSMTP builds a scripted server reply.
func errSMTP(code int, enhanced smtp.EnhancedCode, msg string) error {
	return &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: msg}
}

var errDropped = errors.New("connection dropped by the test")

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
