// Package campaignmsg composes a campaign's messages from its communiqué: what the campaign
// sender sends, and what the API and the staff pages send as a test. It knows nothing of
// HTTP, so the server and the sender both depend on it and not on each other.
package campaignmsg

import (
	"bytes"
	"context"
	"errors"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"portevoix/server/mailer"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/pdf"
	"portevoix/templates/typo"
)

// Composer builds a campaign's messages: the transport, the sender address, and
// Unsubscribe, which makes a recipient's signed unsubscribe link.
type Composer struct {
	Store       *storage.Store
	PDF         *pdf.Renderer // fonts parsed once, shared with the server
	Now         func() time.Time
	Sender      mailer.Sender
	From        string // PORTEVOIX_FROM
	BaseURL     string // the public site's address, for the « Voir en ligne » link
	Unsubscribe func(contactID uint64) string
}

// Prepare builds what all of a campaign's messages share, once: the communiqué as HTML,
// text and PDF (as frozen when the campaign started), the pitch, the headers. It
// implements sender.Preparer.
func (s *Composer) Prepare(c *storage.Campaign) (*mailer.Campaign, error) {
	b, err := s.Store.CampaignBundle(c)
	if err != nil {
		return nil, err
	}
	doc, err := templates.Compose(templates.InputFromBundle(b, b.Communique.UpdatedAt))
	if err != nil {
		return nil, err
	}
	var pdf bytes.Buffer
	if err := s.PDF.Render(doc, &pdf); err != nil {
		return nil, err
	}
	list, err := storage.Get[storage.List](s.Store, c.ListIDs[0])
	if err != nil {
		return nil, err
	}
	webURL, err := s.webURL(b.Communique.ID)
	if err != nil {
		return nil, err
	}
	pitch := templates.Snippet(c.Pitch)
	body := templates.RenderEmailHTML(doc, senderDomain(s.From))
	return mailer.NewCampaign(mailer.Content{
		From: s.From, ReplyTo: replyTo(b), Subject: c.Subject, Embargo: embargo(b.Communique, s.Now()),
		ListID: list.ID, ListName: list.Name, Greeting: greetingOf(c),
		PitchHTML: templates.EmailBody(pitch), PitchText: templates.RenderText(pitch),
		BodyHTML: body.HTML, BodyText: templates.RenderText(doc), Images: images(body.Logos),
		Preheader: typo.Text(b.Communique.Lede), WebURL: webURL,
		PDF: pdf.Bytes(), PDFName: b.Communique.Slug + ".pdf", Now: s.Now,
	})
}

// greetingOf is the campaign's greeting, none when its pitch opens with a greeting of its
// own, so that the message never greets twice.
func greetingOf(c *storage.Campaign) string {
	// Fields also splits at the no-break spaces French puts before "!" and ":".
	words := strings.Fields(c.Pitch)
	if len(words) == 0 {
		return c.Greeting
	}
	first := strings.ToLower(strings.TrimRight(words[0], ",.!:"))
	switch first {
	case "bonjour", "bonsoir", "madame", "monsieur", "mesdames", "messieurs", "cher", "chère", "chers", "chères", "hello", "salut":
		return storage.GreetingNone
	}
	return c.Greeting
}

// webURL is the address of the communiqué's page in the newsroom when the public can read
// it now, or "": a campaign may be sent before publication or under embargo, and the
// communiqué may have been withdrawn since the campaign froze it.
func (s *Composer) webURL(communiqueID uint64) (string, error) {
	v, err := storage.Get[storage.Communique](s.Store, communiqueID)
	if err != nil || !v.IsPublic(s.Now()) || s.BaseURL == "" {
		return "", err
	}
	return strings.TrimRight(s.BaseURL, "/") + "/presse/" + url.PathEscape(v.Slug), nil
}

// senderDomain is the domain of the From address, which names the logos' parts; the
// address itself is checked by mailer.NewCampaign.
func senderDomain(from string) string {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return "porte-voix.invalid"
	}
	return a.Address[strings.LastIndexByte(a.Address, '@')+1:]
}

// images are the logos as the message's inline parts.
func images(logos []templates.EmailLogo) []mailer.Image {
	out := make([]mailer.Image, len(logos))
	for i, l := range logos {
		out[i] = mailer.Image{ContentID: l.ContentID, Type: l.Type, FileName: l.FileName, Data: l.Data}
	}
	return out
}

// UnsubscribeURL implements sender.Preparer.
func (s *Composer) UnsubscribeURL(contactID uint64) string { return s.Unsubscribe(contactID) }

// replyTo is every press contact the communiqué names, each address once: journalists
// answer the co-signing pôles, not us.
func replyTo(b *storage.Bundle) []string {
	var out []string
	seen := map[string]bool{}
	for _, pc := range b.Contacts {
		key := strings.ToLower(pc.Contact.Email)
		if key != "" && !seen[key] {
			seen[key] = true
			out = append(out, (&mail.Address{Name: pc.Contact.FullName(), Address: pc.Contact.Email}).String())
		}
	}
	return out
}

// embargo is the end of a communiqué's embargo for the subject and the top of the message,
// or "" when it has none or it has passed.
func embargo(c storage.Communique, now time.Time) string {
	if c.EmbargoUntil == nil || !now.Before(*c.EmbargoUntil) {
		return ""
	}
	return typo.Date(*c.EmbargoUntil) + ", " + typo.Clock(*c.EmbargoUntil)
}

// SendTest sends one message of the campaign to a given address, now, outside the
// campaign's deliveries, so staff can check it in their own mailbox. It returns the
// message's Message-ID. Returns EINVALID, ENOTFOUND, or ECONFLICT when the server refused it.
func (s *Composer) SendTest(ctx context.Context, id uint64, email string) (string, error) {
	if why := storage.EmailProblem(email); why != "" {
		return "", &storage.Error{Code: storage.EINVALID, Message: "Adresse de test invalide.",
			Fields: []storage.FieldError{{Field: "email", Message: why}}}
	}
	if s.Store.Suppressed(email) {
		return "", storage.Errorf(storage.ECONFLICT, "L’adresse %s s’est désinscrite\u00a0: aucun message ne lui est envoyé, pas même un test.", email)
	}
	v, err := storage.Get[storage.Campaign](s.Store, id)
	if err != nil {
		return "", err
	}
	v.Subject = TestSubject(v.Subject)
	msg, err := s.Prepare(v)
	if err != nil {
		return "", err
	}
	return s.sendOne(ctx, msg, "test."+strconv.FormatUint(id, 10), email, "")
}

// TestSubject marks a test message's subject, so that nobody takes it for the real send.
func TestSubject(subject string) string { return "[TEST] " + subject }

// SendTrial sends a short message to one address, now, to check where e-mail goes and
// how it looks (the settings page's button). It returns the Message-ID. Returns EINVALID
// or ECONFLICT when the server refused it.
func (s *Composer) SendTrial(ctx context.Context, email string) (string, error) {
	if why := storage.EmailProblem(email); why != "" {
		return "", &storage.Error{Code: storage.EINVALID, Message: "Adresse d’essai invalide.",
			Fields: []storage.FieldError{{Field: "email", Message: why}}}
	}
	text := "Ce message d’essai a été envoyé depuis les réglages de Porte-Voix\u00a0: les envois arrivent bien à cette adresse."
	msg, err := mailer.NewCampaign(mailer.Content{From: s.From, Subject: "Message d’essai de Porte-Voix", ListName: "Essai",
		BodyHTML: templates.EmailBody(templates.Snippet(text)), BodyText: text, Now: s.Now})
	if err != nil {
		return "", err
	}
	return s.sendOne(ctx, msg, "trial", email, "votre compte Porte-Voix")
}

// sendOne builds msg for one address outside any campaign's deliveries and sends it with
// a Message-ID made of kind and the time.
func (s *Composer) sendOne(ctx context.Context, msg *mailer.Campaign, kind, email, source string) (string, error) {
	messageID := "<" + kind + "." + strconv.FormatInt(s.Now().UnixNano(), 36) + "@" + msg.Domain() + ">"
	data, err := msg.Build(mailer.Recipient{Email: email, Source: source, UnsubscribeURL: s.Unsubscribe(unsubscribe.TestID), MessageID: messageID})
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := s.Sender.Send(ctx, msg.Sender(), email, data); err != nil {
		return "", sendError(err)
	}
	return messageID, nil
}

// sendError shows why a test send failed: a *mailer.SendError is written for staff (the
// SMTP server's answer, in French); anything else is logged and kept from them.
func sendError(err error) error {
	var se *mailer.SendError
	if !errors.As(err, &se) {
		return err
	}
	return storage.Errorf(storage.ECONFLICT, "L’envoi de test a échoué\u00a0: %s.", se.Error())
}
