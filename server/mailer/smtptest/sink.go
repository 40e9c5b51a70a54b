package smtptest

import (
	"bufio"
	"bytes"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// Sink is a bare SMTP server on 127.0.0.1 for benchmarks: it accepts every message and
// drops it, doing as little work as a server can, so that the client's cost is what a
// benchmark measures. go-smtp reads DATA a byte at a time and took most of the CPU of the
// sending benchmarks; the sink reads through a large buffer and looks for the end of the
// data ("\r\n.\r\n") a block at a time. It speaks enough ESMTP for a pipelining client:
// EHLO (PIPELINING, 8BITMIME, SIZE), HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, with the
// replies to pipelined commands sent together once the commands read are answered.
type Sink struct {
	// Addr is the host:port the sink listens on.
	Addr     string
	messages atomic.Int64
}

// StartSink runs a sink until the test ends.
func StartSink(tb testing.TB) *Sink {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Sink{Addr: l.Addr().String()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	open := map[net.Conn]bool{}
	tb.Cleanup(func() {
		l.Close()
		mu.Lock()
		for nc := range open {
			nc.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open[nc] = true
			mu.Unlock()
			wg.Go(func() {
				s.serve(nc)
				mu.Lock()
				delete(open, nc)
				mu.Unlock()
			})
		}
	})
	return s
}

// Messages is how many messages the sink took.
func (s *Sink) Messages() int64 { return s.messages.Load() }

// sinkBuffer is the size of each connection's read buffer: a campaign message with its
// PDF is about 140 kB.
const sinkBuffer = 256 << 10

// serve runs one SMTP session.
func (s *Sink) serve(nc net.Conn) {
	defer nc.Close()
	r, w := bufio.NewReaderSize(nc, sinkBuffer), bufio.NewWriter(nc)
	// reply queues a reply, and sends what is queued once no command read is left
	// unanswered: a pipelining client gets its replies in one write.
	reply := func(s string) bool {
		w.WriteString(s)
		w.WriteString("\r\n")
		return r.Buffered() > 0 || w.Flush() == nil
	}
	var mail bool
	var rcpts int
	ok := reply("220 sink.example.com ESMTP")
	for ok {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(strings.TrimSpace(string(line)), " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			mail, rcpts = false, 0
			ok = reply("250-sink.example.com\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600")
		case "HELO":
			mail, rcpts = false, 0
			ok = reply("250 sink.example.com")
		case "MAIL":
			if mail {
				ok = reply("503 5.5.1 MAIL already given")
				continue
			}
			mail = true
			ok = reply("250 2.1.0 ok")
		case "RCPT":
			if !mail {
				ok = reply("503 5.5.1 MAIL first")
				continue
			}
			rcpts++
			ok = reply("250 2.1.5 ok")
		case "DATA":
			if rcpts == 0 {
				mail = false
				ok = reply("554 5.5.1 no valid recipients")
				continue
			}
			// The 354 goes out at once: a client may not wait for it before the data.
			w.WriteString("354 end with <CRLF>.<CRLF>\r\n")
			if w.Flush() != nil || skipData(r) != nil {
				return
			}
			mail, rcpts = false, 0
			s.messages.Add(1)
			ok = reply("250 2.0.0 dropped")
		case "RSET":
			mail, rcpts = false, 0
			ok = reply("250 2.0.0 ok")
		case "NOOP":
			ok = reply("250 2.0.0 ok")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			ok = reply("500 5.5.2 unknown command")
		}
	}
}

// skipData reads up to the end of a message's data, a buffer at a time. The data follows
// a line break (the DATA command's), so ".\r\n" at once ends it.
func skipData(r *bufio.Reader) error {
	lineStart, need := true, 1 // whether the buffered bytes start a line; how many to wait for
	for {
		if _, err := r.Peek(need); err != nil {
			return err
		}
		block, _ := r.Peek(r.Buffered())
		end, keep := findEnd(block, lineStart)
		if end > 0 {
			_, err := r.Discard(end)
			return err
		}
		// Read on behind what may start the end, keeping it.
		done := len(block) - keep
		lineStart = done == 0 && lineStart || done > 0 && block[done-1] == '\n'
		r.Discard(done)
		need = keep + 1
	}
}

// findEnd looks in block for the line holding only "." that ends the data and returns the
// length up to its end; otherwise keep is the length of the tail that may start it (a "."
// starting a line, too close to the end of the block to tell). The search is for "."
// alone, then a look around it: a message is mostly base64, which has no "." but a line
// break every 76 bytes.
func findEnd(block []byte, lineStart bool) (end, keep int) {
	for at := 0; ; at++ {
		i := bytes.IndexByte(block[at:], '.')
		if i < 0 {
			return 0, 0
		}
		at += i
		if at == 0 && !lineStart || at > 0 && block[at-1] != '\n' {
			continue
		}
		switch rest := block[at+1:]; {
		case len(rest) >= 2 && rest[0] == '\r' && rest[1] == '\n':
			return at + 3, 0
		case len(rest) == 0 || len(rest) == 1 && rest[0] == '\r':
			return 0, len(block) - at
		}
	}
}
