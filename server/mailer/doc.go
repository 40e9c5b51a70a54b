// Package mailer builds campaign messages and delivers them.
//
// Building: NewCampaign prepares, once per campaign, everything common to all recipients
// (headers, the MIME skeleton, the HTML and text bodies, the base64 of the PDF); then
// Campaign.Build produces one RFC 5322 message for exactly one Recipient, quickly:
//
//	c, err := mailer.NewCampaign(mailer.Content{From: from, Subject: s, PDF: pdf, …})
//	msg, err := c.Build(mailer.Recipient{Email: …, UnsubscribeURL: …,
//		MessageID: mailer.MessageID(campaignID, deliveryID, c.Domain(), secret)})
//
// Delivering: a Sender takes prebuilt bytes. NewSMTP (from ParseSMTPURL) keeps a pool of
// connections; NewOutbox writes .eml files instead, for when no SMTP server is configured.
// Send returns a *SendError telling whether to retry (Temporary) and whether the address
// bounced (Bounce). The worker paces itself with a Limiter and schedules retries with
// Backoff until GiveUp.
//
// Errors meant for users carry French messages: header problems are *storage.Error with
// code EINVALID; delivery problems are *SendError.
package mailer
