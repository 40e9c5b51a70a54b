package server_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"portevoix/server"
	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// TestPublishedCommuniqueIsSentAsPublished deletes a press contact that the published demo
// communiqué names and edits one of its measures, then mails it: the campaign starts and
// every message carries the words and the contact frozen at publication.
func TestPublishedCommuniqueIsSentAsPublished(t *testing.T) {
	in := smtptest.Start(t, func(s *smtptest.Server) { s.Delay = time.Millisecond })
	a := newSendingAPI(t, in)
	var c storage.Communique
	a.do(storage.RoleEditor, "GET", "/api/v1/communiques/1", nil).decode(t, &c)
	if c.Status != storage.CommuniquePublished || len(c.ContactIDs) == 0 || len(c.MeasureIDs) == 0 {
		t.Fatalf("demo communiqué 1: status %q, %d contacts, %d measures", c.Status, len(c.ContactIDs), len(c.MeasureIDs))
	}
	var contact storage.Contact
	a.do(storage.RoleEditor, "GET", fmt.Sprintf("/api/v1/contacts/%d", c.ContactIDs[0]), nil).decode(t, &contact)
	if r := a.do(storage.RoleEditor, "DELETE", fmt.Sprintf("/api/v1/contacts/%d", contact.ID), nil); r.status != http.StatusNoContent {
		t.Fatalf("delete contact: %d %s", r.status, r.body)
	}
	var measure storage.Measure
	a.do(storage.RoleEditor, "GET", fmt.Sprintf("/api/v1/measures/%d", c.MeasureIDs[0]), nil).decode(t, &measure)
	const edited = "Mesure réécrite après la publication"
	if r := a.do(storage.RoleEditor, "PATCH", fmt.Sprintf("/api/v1/measures/%d", measure.ID), map[string]string{"text": edited}); r.status != http.StatusOK {
		t.Fatalf("edit measure: %d %s", r.status, r.body)
	}

	id := a.create("/api/v1/campaigns", map[string]any{
		"communique_id": c.ID, "list_ids": a.listIDs("Presse nationale santé"), "subject": "Communiqué des pôles",
	})
	if r := a.do(storage.RoleEditor, "POST", fmt.Sprintf("/api/v1/campaigns/%d/start", id), nil); r.status != http.StatusOK {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	final := a.waitCampaign(id)
	if final.Status != storage.CampaignDone || final.Total == 0 || final.Counts[storage.DeliverySent] != final.Total {
		t.Fatalf("final event: status %q, counts %v, total %d", final.Status, final.Counts, final.Total)
	}
	for _, m := range in.Received() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		if got := msg.Header.Get("Reply-To"); !strings.Contains(got, contact.Email) {
			t.Errorf("%s: Reply-To %q, want the deleted press contact %s", m.To, got, contact.Email)
		}
		text := plainText(t, msg)
		if !strings.Contains(text, firstWords(measure.Text)) || strings.Contains(text, edited) {
			t.Errorf("%s: the text part does not carry the measure as published", m.To)
		}
	}
}

// waitCampaign polls a campaign until it is done, paused or cancelled, for 30 s at most.
func (a *api) waitCampaign(id uint64) server.CampaignView {
	a.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var v server.CampaignView
		a.do(storage.RoleEditor, "GET", fmt.Sprintf("/api/v1/campaigns/%d", id), nil).decode(a.t, &v)
		switch {
		case v.Status == storage.CampaignDone || v.Status == storage.CampaignPaused || v.Status == storage.CampaignCancelled:
			return v
		case time.Now().After(deadline):
			a.t.Fatalf("campaign %d still %q after 30 s", id, v.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// firstWords is the start of a text, short enough not to be cut by a line break.
func firstWords(s string) string {
	words := strings.Fields(s)
	return strings.Join(words[:min(3, len(words))], " ")
}

// plainText finds a message's text/plain part, decoded, with its lines joined.
func plainText(t *testing.T, msg *mail.Message) string {
	t.Helper()
	text, ok := findPlain(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if !ok {
		t.Fatal("no text/plain part")
	}
	return strings.Join(strings.Fields(text), " ")
}

func findPlain(t *testing.T, contentType, encoding string, body io.Reader) (string, bool) {
	t.Helper()
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(media, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return "", false
			}
			if err != nil {
				t.Fatal(err)
			}
			if text, ok := findPlain(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); ok {
				return text, true
			}
		}
	}
	if media != "text/plain" {
		return "", false
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), true
}
