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
				ok = reply("554 5.5.1 no valid recipients")
				continue
			}
			if !reply("354 end with <CRLF>.<CRLF>") || skipData(r) != nil {
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

// endOfData ends the data; its first line break is the one before the final ".".
var endOfData = []byte("\r\n.\r\n")

// skipData reads up to the end of a message's data, a buffer at a time. It looks for
// "\r\n.\r\n", keeping the last bytes of each block that could start it, and treats the
// data as following a line break (the DATA command's), so that ".\r\n" at once ends it.
func skipData(r *bufio.Reader) error {
	if first, err := r.Peek(3); err != nil {
		return err
	} else if string(first) == ".\r\n" {
		_, err := r.Discard(3)
		return err
	}
	kept := 0 // bytes at the start of the buffer already searched
	for {
		block, err := r.Peek(kept + 1)
		if err != nil {
			return err
		}
		block, _ = r.Peek(r.Buffered())
		if i := bytes.Index(block, endOfData); i >= 0 {
			_, err := r.Discard(i + len(endOfData))
			return err
		}
		// Keep the tail that could be the start of the end: at most len(endOfData)-1 bytes.
		kept = min(len(block), len(endOfData)-1)
		if _, err := r.Discard(len(block) - kept); err != nil {
			return err
		}
	}
}
