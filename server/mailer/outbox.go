package mailer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Outbox is the Sender used when no SMTP server is configured: each message becomes an
// .eml file in a folder (DATA/outbox), so that nothing leaves by accident. The file is
// named after the Message-ID, so a message resent after a crash replaces its first copy.
type Outbox struct {
	dir string
}

// NewOutbox creates dir if needed.
func NewOutbox(dir string) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create outbox: %w", err)
	}
	return &Outbox{dir: dir}, nil
}

// Send writes msg atomically (a temporary file renamed into place), so a reader never sees
// half a message. from and to are not recorded: the message's headers carry them.
func (o *Outbox) Send(ctx context.Context, from, to string, msg []byte) error {
	if err := checkEnvelope(from, to); err != nil {
		return err
	}
	id := messageIDOf(msg)
	if id == "" {
		return &SendError{Message: "le message n’a pas de Message-ID"}
	}
	if err := writeAtomic(filepath.Join(o.dir, fileName(id)), msg); err != nil {
		return &SendError{Temporary: true, Message: "écriture dans la boîte d’envoi impossible\u00a0: " + err.Error(), err: err}
	}
	return nil
}

// SendGated writes msg once gate has returned: a file has no transfer to overlap.
func (o *Outbox) SendGated(ctx context.Context, from, to string, msg Data, gate func() error) error {
	if err := gate(); err != nil {
		return interrupted(err)
	}
	return o.Send(ctx, from, to, msg.Bytes())
}

// Close has nothing to release.
func (o *Outbox) Close() error { return nil }

func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".envoi-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// messageIDOf reads the Message-ID header of a message.
func messageIDOf(msg []byte) string {
	end := bytes.Index(msg, []byte("\r\n\r\n"))
	if end < 0 {
		return ""
	}
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(msg[:end+4]))).ReadMIMEHeader()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(h.Get("Message-Id"))
}

var safeName = regexp.MustCompile(`^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*$`)

// fileName is "campaign.delivery.tag@domain.eml" for our Message-IDs, or a hash of any
// other id, which could hold characters a file name cannot.
func fileName(id string) string {
	bare := strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
	if !safeName.MatchString(bare) || len(bare) > 200 {
		sum := sha256.Sum256([]byte(id))
		bare = hex.EncodeToString(sum[:16])
	}
	return bare + ".eml"
}
