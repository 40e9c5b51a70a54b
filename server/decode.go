package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// maxJSONBody bounds API request bodies; uploads have their own limit.
const maxJSONBody = 1 << 20

// decode reads a JSON body into v, refusing unknown fields, trailing data and oversize bodies.
func decode(c *gin.Context, v any) error {
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("Corps de requête invalide : un seul objet JSON est attendu.")
	}
	return nil
}

func decodeError(err error) error {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return storage.Errorf(codeTooLarge, "Requête trop volumineuse (%d octets au plus).", tooBig.Limit)
	case errors.As(err, &syntax):
		return malformed("JSON invalide à l’octet %d.", syntax.Offset)
	case errors.As(err, &typ):
		return &storage.Error{Code: codeMalformed, Message: "Type de valeur inattendu.",
			Fields: []storage.FieldError{{Field: typ.Field, Message: "type attendu : " + typ.Type.String()}}}
	case errors.Is(err, io.EOF):
		return malformed("Corps de requête vide : un objet JSON est attendu.")
	}
	if field, ok := unknownField(err); ok {
		return &storage.Error{Code: codeMalformed, Message: "Champ inconnu dans la requête.",
			Fields: []storage.FieldError{{Field: field, Message: "champ inconnu"}}}
	}
	return malformed("JSON invalide : %s", err.Error())
}

// unknownField extracts the name from encoding/json's `json: unknown field "x"` error.
func unknownField(err error) (string, bool) {
	const prefix = "json: unknown field "
	msg := err.Error()
	if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		name, uerr := strconv.Unquote(msg[len(prefix):])
		return name, uerr == nil
	}
	return "", false
}

// idParam reads the :id path parameter, or fails with ENOTFOUND.
func idParam(c *gin.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, storage.Errorf(storage.ENOTFOUND, "Identifiant inconnu : %q.", c.Param("id"))
	}
	return id, nil
}

// listOptions reads ?limit= and ?cursor=.
func listOptions(c *gin.Context) (storage.ListOptions, error) {
	opts := storage.ListOptions{Cursor: c.Query("cursor")}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return opts, &storage.Error{Code: storage.EINVALID, Message: "Paramètre invalide.",
				Fields: []storage.FieldError{{Field: "limit", Message: "nombre entre 1 et 1000 attendu"}}}
		}
		opts.Limit = n
	}
	return opts, nil
}
