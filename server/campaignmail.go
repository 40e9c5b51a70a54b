package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/mail"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server/mailer"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
	"portevoix/templates"
	"portevoix/templates/typo"
)

// Mail is how the server sends e-mail: the transport and the sender address. Unsubscribe
// makes a recipient's signed unsubscribe link.
type Mail struct {
	Sender      mailer.Sender
	From        string // PORTEVOIX_FROM
	Mode        string // "smtp" or "outbox"
	Info        string // where messages go, in French, shown to staff
	Unsubscribe func(contactID uint64) string
}

// Prepare builds what all of a campaign's messages share, once: the communiqué as HTML,
// text and PDF (as frozen when the campaign started), the pitch, the headers. It
// implements sender.Preparer.
func (s *Server) Prepare(c *storage.Campaign) (*mailer.Campaign, error) {
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
	pitch := templates.Snippet(c.Pitch)
	return mailer.NewCampaign(mailer.Content{
		From: s.Mail.From, ReplyTo: replyTo(b), Subject: c.Subject, Embargo: embargo(b.Communique, s.Now()),
		ListID: list.ID, ListName: list.Name,
		PitchHTML: string(templates.BodyHTML(pitch)), PitchText: templates.RenderText(pitch),
		BodyHTML: string(templates.RenderHTML(doc)), BodyText: templates.RenderText(doc),
		PDF: pdf.Bytes(), PDFName: b.Communique.Slug + ".pdf", Now: s.Now,
	})
}

// UnsubscribeURL implements sender.Preparer.
func (s *Server) UnsubscribeURL(contactID uint64) string { return s.Mail.Unsubscribe(contactID) }

// replyTo is the communiqué's first press contact: journalists answer the pôle, not us.
func replyTo(b *storage.Bundle) string {
	for _, pc := range b.Contacts {
		if pc.Contact.Email != "" {
			return (&mail.Address{Name: pc.Contact.FullName(), Address: pc.Contact.Email}).String()
		}
	}
	return ""
}

// embargo is the end of a communiqué's embargo for the subject and the top of the message,
// or "" when it has none or it has passed.
func embargo(c storage.Communique, now time.Time) string {
	if c.EmbargoUntil == nil || !now.Before(*c.EmbargoUntil) {
		return ""
	}
	return typo.Date(*c.EmbargoUntil) + ", " + typo.Clock(*c.EmbargoUntil)
}

type testRequest struct {
	Email string `json:"email"`
}

// TestSent answers a test send.
type TestSent struct {
	Email     string `json:"email"`
	MessageID string `json:"message_id"`
}

// testSendError shows why a test send failed: a *mailer.SendError is written for staff
// (the SMTP server's answer, in French); anything else is logged and kept from them.
func testSendError(err error) error {
	var se *mailer.SendError
	if !errors.As(err, &se) {
		return err
	}
	return storage.Errorf(storage.ECONFLICT, "L’envoi de test a échoué\u00a0: %s.", se.Error())
}

// testCampaign sends one message of the campaign to a given address, now, outside the
// campaign's deliveries, so staff can check it in their own mailbox.
func (s *Server) testCampaign(c *gin.Context) {
	id, err := idParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req testRequest
	if err := decode(c, &req); err != nil {
		fail(c, err)
		return
	}
	if why := storage.EmailProblem(req.Email); why != "" {
		fail(c, &storage.Error{Code: storage.EINVALID, Message: "Adresse de test invalide.",
			Fields: []storage.FieldError{{Field: "email", Message: why}}})
		return
	}
	if s.Store.Suppressed(req.Email) {
		fail(c, storage.Errorf(storage.ECONFLICT, "L’adresse %s s’est désinscrite\u00a0: aucun message ne lui est envoyé, pas même un test.", req.Email))
		return
	}
	v, err := storage.Get[storage.Campaign](s.Store, id)
	if err != nil {
		fail(c, err)
		return
	}
	msg, err := s.Prepare(v)
	if err != nil {
		fail(c, err)
		return
	}
	messageID := "<test." + strconv.FormatUint(id, 10) + "." + strconv.FormatInt(s.Now().UnixNano(), 36) + "@" + msg.Domain() + ">"
	data, err := msg.Build(mailer.Recipient{Email: req.Email, UnsubscribeURL: s.Mail.Unsubscribe(unsubscribe.TestID), MessageID: messageID})
	if err != nil {
		fail(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), time.Minute)
	defer cancel()
	if err := s.Mail.Sender.Send(ctx, msg.Sender(), req.Email, data); err != nil {
		fail(c, testSendError(err))
		return
	}
	c.JSON(http.StatusOK, TestSent{Email: req.Email, MessageID: messageID})
}
