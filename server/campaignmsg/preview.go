package campaignmsg

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"

	"portevoix/server/mailer"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
)

// Preview is a campaign's message as one recipient would read it: its HTML and its text.
type Preview struct {
	HTML, Text string
}

// Preview builds the campaign's message for r, as it would be sent now, and takes its
// HTML and text parts back out, so that staff see exactly what leaves. Returns EINVALID,
// ENOTFOUND.
func (s *Composer) Preview(v *storage.Campaign, r mailer.Recipient) (Preview, error) {
	msg, err := s.Prepare(v)
	if err != nil {
		return Preview{}, err
	}
	r.UnsubscribeURL = s.Unsubscribe(unsubscribe.TestID) // a link that unsubscribes nobody
	r.MessageID = "<apercu@" + msg.Domain() + ">"
	data, err := msg.Build(r)
	if err != nil {
		return Preview{}, err
	}
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Preview{}, fmt.Errorf("read the preview: %w", err)
	}
	var p Preview
	images := map[string]string{}
	if err := readParts(m.Header.Get("Content-Type"), m.Header.Get("Content-ID"), m.Body, &p, images); err != nil {
		return Preview{}, err
	}
	for cid, uri := range images {
		p.HTML = strings.ReplaceAll(p.HTML, "cid:"+cid, uri) // the page cannot reach the message's parts
	}
	return p, nil
}

// readParts walks a MIME tree and keeps its text/plain and text/html bodies
// (quoted-printable is decoded by multipart), and its images with a Content-ID as data:
// URIs (they are base64 already).
func readParts(contentType, contentID string, body io.Reader, p *Preview, images map[string]string) error {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("preview part: %w", err)
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("preview part: %w", err)
			}
			if err := readParts(part.Header.Get("Content-Type"), part.Header.Get("Content-ID"), part, p, images); err != nil {
				return err
			}
		}
	}
	data, err := io.ReadAll(body)
	text := strings.ReplaceAll(string(data), "\r\n", "\n") // mail's line ends, not a page's
	switch media {
	case "text/plain":
		p.Text = text
	case "text/html":
		p.HTML = text
	default:
		if id := strings.Trim(contentID, "<> "); id != "" && strings.HasPrefix(media, "image/") {
			images[id] = "data:" + media + ";base64," + strings.Join(strings.Fields(string(data)), "")
		}
	}
	return err
}
