package server

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// Error codes that only the HTTP layer produces.
const (
	codeMalformed = "malformed" // unreadable JSON, unknown field (400)
	codeTooLarge  = "too_large" // body over the limit (413)
	codeTooMany   = "too_many"  // too many failed authentications (429)
)

// Problem is an RFC 9457 problem document with per-field errors.
type Problem struct {
	Type   string               `json:"type"`
	Title  string               `json:"title"`
	Status int                  `json:"status"`
	Detail string               `json:"detail"`
	Errors []storage.FieldError `json:"errors"`
}

var statusByCode = map[string]int{
	codeMalformed:         http.StatusBadRequest,
	storage.EUNAUTHORIZED: http.StatusUnauthorized,
	storage.EFORBIDDEN:    http.StatusForbidden,
	storage.ENOTFOUND:     http.StatusNotFound,
	storage.ECONFLICT:     http.StatusConflict,
	storage.EPRECONDITION: http.StatusPreconditionFailed,
	storage.EGONE:         http.StatusGone,
	codeTooLarge:          http.StatusRequestEntityTooLarge,
	storage.EINVALID:      http.StatusUnprocessableEntity,
	codeTooMany:           http.StatusTooManyRequests,
	storage.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// titles are the status phrases in French: RFC 9457 lets a problem's title be localised.
var titles = map[int]string{
	http.StatusBadRequest:            "Requête illisible",
	http.StatusUnauthorized:          "Authentification requise",
	http.StatusForbidden:             "Action non autorisée",
	http.StatusNotFound:              "Introuvable",
	http.StatusMethodNotAllowed:      "Méthode non autorisée",
	http.StatusConflict:              "Conflit",
	http.StatusPreconditionFailed:    "Modifié entre-temps",
	http.StatusGone:                  "Retiré",
	http.StatusRequestEntityTooLarge: "Requête trop volumineuse",
	http.StatusUnprocessableEntity:   "Données invalides",
	http.StatusTooManyRequests:       "Trop de tentatives",
	http.StatusServiceUnavailable:    "Service indisponible",
}

// problemTitle is the French title of a problem with that status.
func problemTitle(status int) string {
	if t, ok := titles[status]; ok {
		return t
	}
	return "Erreur interne"
}

// fail writes err as application/problem+json. Errors that are not *storage.Error are
// logged and shown only as a generic message.
func fail(c *gin.Context, err error) {
	var e *storage.Error
	if !errors.As(err, &e) {
		slog.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		e = &storage.Error{Code: storage.EINTERNAL, Message: "Erreur interne du serveur. L’incident a été journalisé."}
	}
	status := StatusOf(e)
	p := Problem{Type: "about:blank", Title: problemTitle(status), Status: status, Detail: e.Message, Errors: e.Fields}
	if p.Errors == nil {
		p.Errors = []storage.FieldError{}
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, p) // keeps the Content-Type set above
}

func malformed(format string, args ...any) error {
	return storage.Errorf(codeMalformed, format, args...)
}

// StatusOf is the HTTP status of an error: the one place where storage's codes become
// statuses, for the API's problems and the staff pages alike. Errors that are not
// *storage.Error are 500.
func StatusOf(err error) int {
	if status, ok := statusByCode[storage.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}
