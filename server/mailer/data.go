package mailer

import (
	"bufio"
	"bytes"
)

// Data is a message as the SMTP data phase carries it: dot-stuffed (RFC 5321 §4.5.2: a "."
// that starts a line is doubled) and ending with a line break, in parts written in order.
// A campaign stuffs the parts all its messages share once (Campaign.AppendData), so that
// sending one recipient's message neither copies nor scans its attachment again.
type Data struct {
	Parts [][]byte
	Size  int // the message's length before stuffing, announced with SIZE
}

var (
	dot  = []byte(".")
	crlf = []byte("\r\n")
)

// Stuff returns msg as Data, made of slices of msg: nothing is copied.
func Stuff(msg []byte) Data {
	d := Data{Parts: stuff(nil, msg, true), Size: len(msg)}
	if !bytes.HasSuffix(msg, crlf) {
		d.Parts = append(d.Parts, crlf)
	}
	return d
}

// stuff appends to parts the slices of src, with a "." before each line that starts with
// one; lineStart says whether src begins a line. Campaign messages rarely hold such a line,
// so src mostly stays one slice. The search is for "." alone, then a look at the byte
// before: a message is mostly base64 (a PDF), which has no "." but a line break every 76
// bytes.
func stuff(parts [][]byte, src []byte, lineStart bool) [][]byte {
	start := 0 // src[start:] is not in parts yet
	for at := 0; ; at++ {
		i := bytes.IndexByte(src[at:], '.')
		if i < 0 {
			break
		}
		at += i
		if (at == 0 && lineStart) || (at > 0 && src[at-1] == '\n') {
			if at > start {
				parts = append(parts, src[start:at:at]) // capped: an append must never write into src
			}
			parts = append(parts, dot)
			start = at
		}
	}
	if start < len(src) {
		parts = append(parts, src[start:len(src):len(src)])
	}
	return parts
}

// Bytes returns the message as it was before stuffing, for a Sender that stores it.
func (d Data) Bytes() []byte {
	out := make([]byte, 0, d.Size+len(crlf))
	lineStart := true
	for _, p := range d.Parts {
		for len(p) > 0 {
			if lineStart && p[0] == '.' {
				p = p[1:] // the "." stuffing added
				lineStart = false
				continue
			}
			end := bytes.IndexByte(p, '\n') + 1
			if end == 0 {
				end = len(p)
			}
			out = append(out, p[:end]...)
			lineStart, p = p[end-1] == '\n', p[end:]
		}
	}
	return out[:d.Size]
}

// writeData writes the stuffed parts and flushes them; endData then sends the final ".".
func writeData(w *bufio.Writer, d Data) error {
	for _, p := range d.Parts {
		w.Write(p)
	}
	return w.Flush()
}

// endData sends the "." that ends the data: from then on the server may take the message.
func endData(w *bufio.Writer) error {
	w.WriteString(".\r\n")
	return w.Flush()
}
