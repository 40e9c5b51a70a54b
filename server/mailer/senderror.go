package mailer

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strings"
)

// SendError says why a message was not delivered and what to do about it.
type SendError struct {
	Temporary bool   // retry later: a 4xx reply, a dropped or stalled connection, a setup failure
	Code      int    // the SMTP reply code; 0 when no reply was read
	Enhanced  string // the enhanced status code (RFC 3463), "5.1.1", when the server gave one
	Message   string // the server's reply text, or what went wrong (French)
	Bounce    bool   // the address does not exist (5.1.x): mark the contact bounced
	err       error
}

// Error returns a French message fit for a delivery's last error.
func (e *SendError) Error() string {
	if e.Code == 0 {
		return "envoi impossible\u00a0: " + e.Message
	}
	return strings.TrimSpace(fmt.Sprintf("le serveur SMTP a répondu %d %s %s", e.Code, e.Enhanced, e.Message))
}

// Unwrap returns the network error behind a connection failure, if any.
func (e *SendError) Unwrap() error { return e.err }

var enhancedCode = regexp.MustCompile(`^([245]\.\d{1,3}\.\d{1,3})\s+`)

// replyError classifies an SMTP reply that is not the one expected.
func replyError(code int, msg string) *SendError {
	e := &SendError{Code: code, Message: msg, Temporary: code < 500}
	if m := enhancedCode.FindStringSubmatch(msg); m != nil {
		e.Enhanced, e.Message = m[1], msg[len(m[0]):]
	}
	e.Bounce = !e.Temporary && strings.HasPrefix(e.Enhanced, "5.1.")
	return e
}

// classify turns any error met while talking to the server into a *SendError. Failures
// without a reply (network, timeout, TLS) are temporary: nothing says the address is bad.
func classify(err error, what string) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return replyError(te.Code, te.Msg)
	}
	return &SendError{Temporary: true, Message: what + "\u00a0: " + err.Error(), err: err}
}

// setupError marks a failure while opening a connection (greeting, EHLO, STARTTLS, AUTH)
// as temporary whatever its code: it is about the server or our settings, not about the
// recipient, so the delivery must wait rather than fail for good.
func setupError(err error, what string) *SendError {
	e := *classify(err, what)
	e.Temporary, e.Bounce = true, false
	return &e
}
