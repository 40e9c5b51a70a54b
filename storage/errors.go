package storage

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error codes. Only the server package turns them into HTTP statuses.
const (
	EINVALID      = "invalid"      // a field is wrong (422)
	ENOTFOUND     = "not_found"    // no record with that id (404)
	ECONFLICT     = "conflict"     // unique value taken, record still referenced (409)
	EUNAUTHORIZED = "unauthorized" // no or bad credentials (401)
	EFORBIDDEN    = "forbidden"    // the role does not allow it (403)
	EPRECONDITION = "precondition" // the record changed since the version the write expects (412)
	EGONE         = "gone"         // the record was public once and has been withdrawn (410)
	EUNAVAILABLE  = "unavailable"  // the base file is gone: nothing can be stored (503)
	EINTERNAL     = "internal"     // anything else; never shown raw to users
)

// FieldError names one wrong field and says why, in French.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type the domain returns. Message is French and safe to show.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 || e.Message == invalidMessage(e.Fields) {
		return e.Message
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf builds an Error with a code and a French message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or EINTERNAL when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records that field is wrong.
func (p *Problems) Add(field, message string) {
	*p = append(*p, FieldError{Field: field, Message: message})
}

// Require records a "champ obligatoire" error when value is blank.
func (p *Problems) Require(field, value string) {
	if strings.TrimSpace(value) == "" {
		p.Add(field, "champ obligatoire")
	}
}

// MaxLen records an error when value is longer than max runes.
func (p *Problems) MaxLen(field, value string, max int) {
	if len(value) <= max {
		return // a string has no more runes than bytes
	}
	if n := utf8.RuneCountInString(value); n > max {
		p.Add(field, fmt.Sprintf("%d caractères au plus (%d saisis)", max, n))
	}
}

// Err returns an EINVALID *Error listing the problems, or nil when there are none.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: invalidMessage(p), Fields: p}
}

// invalidMessage names each wrong field and says why, for whoever reads only the message:
// "Champ « email » invalide : adresse e-mail invalide.".
func invalidMessage(fields []FieldError) string {
	if len(fields) == 1 {
		return "Champ «\u202f" + fields[0].Field + "\u202f» invalide\u00a0: " + fields[0].Message + "."
	}
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = "«\u202f" + f.Field + "\u202f» (" + f.Message + ")"
	}
	return "Champs invalides\u00a0: " + strings.Join(parts, "\u202f; ") + "."
}
