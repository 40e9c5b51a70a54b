package mailer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portevoix/storage"
)

// stuffedReference dot-stuffs msg line by line, the plain way, as the reference the parts
// are checked against.
func stuffedReference(msg []byte) []byte {
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter(msg, []byte("\n")) {
		if len(line) > 0 && line[0] == '.' {
			b.WriteByte('.')
		}
		b.Write(line)
	}
	if !bytes.HasSuffix(msg, crlf) {
		b.Write(crlf)
	}
	return b.Bytes()
}

func TestStuffDoublesLeadingDots(t *testing.T) {
	for _, msg := range []string{
		".a\r\n.\r\nb.\r\n..c\r\n",
		"no dot at all",
		".",
		"x\r\n.",
		"a.b\r\n.c.d\r\n\r\n...\r\nend.\r\n",
		"",
	} {
		d := Stuff([]byte(msg))
		if got, want := bytes.Join(d.Parts, nil), stuffedReference([]byte(msg)); !bytes.Equal(got, want) {
			t.Errorf("%q: stuffed %q, want %q", msg, got, want)
		}
		if d.Size != len(msg) {
			t.Errorf("%q: size %d, want %d", msg, d.Size, len(msg))
		}
		if got := d.Bytes(); string(got) != msg {
			t.Errorf("%q: unstuffed %q", msg, got)
		}
	}
}

// TestAppendDataMatchesBuild checks that the data phase of a campaign message, made of the
// recipient's own lines and the parts the campaign stuffed once, is byte for byte Build's
// message stuffed line by line: with lines starting with "." in the shared body, and in
// personal lines where quoted-printable's soft line breaks put a "." first.
func TestAppendDataMatchesBuild(t *testing.T) {
	content := testContent(t, 3000)
	content.BodyText += "\n.un point seul en tête\n.\n..deux\n"
	dots := strings.Repeat(".", 200)
	recipients := []Recipient{testRecipient(1), testRecipient(2)}
	r := testRecipient(3)
	r.FirstName, r.LastName, r.Source = "...", "Point.", dots
	recipients = append(recipients, r)
	r = testRecipient(4)
	r.Source = strings.Repeat("a.", 150)
	recipients = append(recipients, r)
	for _, how := range []string{storage.GreetingName, storage.GreetingFormal, storage.GreetingNone} {
		content.Greeting = how
		c, err := NewCampaign(content)
		if err != nil {
			t.Fatal(err)
		}
		var buf []byte
		var parts [][]byte
		for _, r := range recipients {
			msg, err := c.Build(r)
			if err != nil {
				t.Fatal(err)
			}
			var d Data
			d, buf, err = c.AppendData(buf, parts, r)
			if err != nil {
				t.Fatal(err)
			}
			parts = d.Parts
			if got, want := bytes.Join(d.Parts, nil), stuffedReference(msg); !bytes.Equal(got, want) {
				t.Errorf("greeting %q, %s: the data differs from Build's message stuffed (%d bytes against %d)", how, r.Email, len(got), len(want))
			}
			if d.Size != len(msg) {
				t.Errorf("greeting %q, %s: size %d, want %d", how, r.Email, d.Size, len(msg))
			}
			if !bytes.Equal(d.Bytes(), msg) {
				t.Errorf("greeting %q, %s: unstuffed data differs from Build's message", how, r.Email)
			}
		}
	}
}

func TestAppendDataRefusesWhatBuildRefuses(t *testing.T) {
	c := MustCampaign(t, 1000)
	r := testRecipient(1)
	r.Email = "Hélène <helene@example.com>"
	if _, _, err := c.AppendData(nil, nil, r); err == nil {
		t.Error("AppendData took an address with a display name")
	}
}

// TestOutboxKeepsTheUnstuffedMessage sends a campaign message whose shared and personal
// lines start with "." through the outbox, the path used until SMTP is configured: the
// file must be Build's message, without the stuffing.
func TestOutboxKeepsTheUnstuffedMessage(t *testing.T) {
	content := testContent(t, 2000)
	content.BodyText += "\n.un point seul en tête\n.\n"
	c, err := NewCampaign(content)
	if err != nil {
		t.Fatal(err)
	}
	r := testRecipient(1)
	r.FirstName, r.Source = ".Point", strings.Repeat("a.", 150)
	want, err := c.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := c.AppendData(nil, nil, r)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	o, err := NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	gated := false
	if err := o.SendGated(t.Context(), c.Sender(), r.Email, d, func() error { gated = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if !gated {
		t.Error("the outbox wrote the message without waiting for the gate")
	}
	got, err := os.ReadFile(filepath.Join(dir, fileName(r.MessageID)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the outbox file differs from Build's message (%d bytes against %d)", len(got), len(want))
	}
}
