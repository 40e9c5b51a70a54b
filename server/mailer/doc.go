// Package mailer builds campaign messages and delivers them.
//
// Building: NewCampaign prepares, once per campaign, what all recipients share (header
// fields, the MIME layout written by jordan-wright/email, the HTML and text bodies, the
// base64 of the inline images and of the PDF); Campaign.Build (or Append, reusing a
// buffer) then produces one RFC 5322 message for exactly one Recipient by splicing in the
// greeting and the footer:
//
//	c, err := mailer.NewCampaign(mailer.Content{From: from, Subject: s, PDF: pdf, …})
//	msg, err := c.Build(mailer.Recipient{Email: …, UnsubscribeURL: …,
//		MessageID: mailer.MessageID(campaignID, deliveryID, c.Domain(), secret)})
//	err = sender.Send(ctx, c.Sender(), recipient.Email, msg)
//
// A message is multipart/mixed: a multipart/alternative of the text and of a
// multipart/related holding the HTML and the images it shows by cid: URL (the co-signers'
// logos), then the PDF attachment. The HTML is one table-laid column at most 600 pixels
// wide, styled inline, since mail clients drop <style> blocks and block data: images.
//
// For sending, Campaign.AppendData gives the same message as Data, the parts of the SMTP
// data phase: NewCampaign dot-stuffs the shared parts once, and only the recipient's own
// lines are encoded per message, with nothing copied; Sender.SendGated takes it.
//
// Delivering: a Sender takes the prebuilt bytes. NewSMTP(cfg), with cfg from ParseSMTPURL
// (PORTEVOIX_SMTP), keeps a pool of connections; NewOutbox writes .eml files instead, for
// when no SMTP server is configured. Send returns nil or a *SendError that says whether to
// retry (Temporary) and whether the address does not exist (Bounce). The worker paces its
// sends with a Limiter (PORTEVOIX_RATE) and schedules retries with Backoff
// (PORTEVOIX_RETRY_MIN) until GiveUp, 24 h after the first attempt.
//
// Message errors are *storage.Error with code EINVALID and a French message: CR, LF and
// other control characters are refused in every header field. Delivery errors are
// *SendError, with French messages too.
package mailer
