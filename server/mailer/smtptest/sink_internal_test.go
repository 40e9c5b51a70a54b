package smtptest

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
)

// trickle hands out its data a few bytes per Read, so that the end of a message's data
// falls across reads in every possible way.
type trickle struct {
	data []byte
	rnd  *rand.Rand
}

func (t *trickle) Read(p []byte) (int, error) {
	if len(t.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(t.data), 1+t.rnd.IntN(7))
	copy(p, t.data[:n])
	t.data = t.data[n:]
	return n, nil
}

// TestSkipDataStopsAtTheEnd feeds random dot-stuffed messages, full of dots, line breaks
// and lone CRs, a few bytes at a time, each followed by a command: skipData must stop
// exactly after the ".\r\n" that ends the data and leave the command to be read.
func TestSkipDataStopsAtTheEnd(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(".\r\nab.=")
	for i := range 5000 {
		body := make([]byte, rnd.IntN(200))
		for j := range body {
			body[j] = alphabet[rnd.IntN(len(alphabet))]
		}
		var data bytes.Buffer // stuffed as a client does: a "." starting a line is doubled
		for _, line := range bytes.SplitAfter(body, []byte("\n")) {
			if len(line) > 0 && line[0] == '.' {
				data.WriteByte('.')
			}
			data.Write(line)
		}
		if !bytes.HasSuffix(data.Bytes(), []byte("\r\n")) {
			data.WriteString("\r\n")
		}
		data.WriteString(".\r\nQUIT\r\n")
		r := bufio.NewReaderSize(&trickle{data: data.Bytes(), rnd: rnd}, 16)
		if err := skipData(r); err != nil {
			t.Fatalf("message %d %q: %v", i, body, err)
		}
		if rest, _ := io.ReadAll(r); string(rest) != "QUIT\r\n" {
			t.Fatalf("message %d %q: after the data, %q is left, want the QUIT", i, body, rest)
		}
	}
}
