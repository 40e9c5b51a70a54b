package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// maxJSONBody bounds API request bodies; uploads have their own limit.
const maxJSONBody = 1 << 20

// decode reads a JSON body into v, refusing unknown fields, trailing data and oversize
// bodies. Its errors name the field at fault, in French: never encoding/json's English.
func decode(c *gin.Context, v any) error {
	data, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeObject(data, v)
}

// decodeObject is decode for a body already read.
func decodeObject(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return malformed("Corps de requête vide\u00a0: un objet JSON est attendu.")
	}
	return decodeBytes(data, v)
}

// decodeOptional is decode for a body that may be left empty, v then keeping its zero
// values.
func decodeOptional(c *gin.Context, v any) error {
	data, err := readBody(c)
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return err
	}
	return decodeBytes(data, v)
}

// decodeBytes decodes one JSON object, refusing unknown fields and trailing data.
func decodeBytes(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, data, v)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("Corps de requête invalide\u00a0: un seul objet JSON est attendu.")
	}
	return nil
}

// readBody reads the whole request body, refusing one over maxJSONBody.
func readBody(c *gin.Context) ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, storage.Errorf(codeTooLarge, "Requête trop volumineuse (%d\u00a0octets au plus).", tooBig.Limit)
	}
	if err != nil {
		return nil, malformed("Corps de requête illisible\u00a0: la connexion a été interrompue.")
	}
	return data, nil
}

// decodeError explains why data did not decode into v.
func decodeError(err error, data []byte, v any) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the wrong one included: the position of the wrong
		// character, counted from 1 in characters as an editor shows it.
		return malformed("JSON invalide à la position %d\u00a0: vérifiez les guillemets, les virgules et les accolades.",
			utf8.RuneCount(data[:min(syntax.Offset, int64(len(data)))]))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("JSON incomplet\u00a0: le corps de la requête s’arrête avant la fin de l’objet.")
	case errors.As(err, &typ) && typ.Field == "":
		return malformed("Corps de requête invalide\u00a0: un objet JSON {…} est attendu.")
	case errors.As(err, &typ):
		return fieldMalformed(typ.Field, expected(typ.Type))
	}
	if field, ok := unknownField(err); ok {
		return &storage.Error{Code: codeMalformed, Message: "Champ inconnu dans la requête\u00a0: «\u202f" + field + "\u202f».",
			Fields: []storage.FieldError{{Field: field, Message: "champ inconnu"}}}
	}
	// What is left comes from a field's own decoder (time.Time): find which field.
	if field, t, ok := failingField(data, reflect.TypeOf(v)); ok {
		return fieldMalformed(field, expected(t))
	}
	return malformed("JSON invalide.")
}

// fieldMalformed is a 400 naming one field and what it should hold.
func fieldMalformed(field, want string) error {
	return &storage.Error{Code: codeMalformed, Message: "Champ «\u202f" + field + "\u202f»\u00a0: " + want + ".",
		Fields: []storage.FieldError{{Field: field, Message: want}}}
}

var timeType = reflect.TypeFor[time.Time]()

// expected says in French what a value of type t looks like in JSON.
func expected(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true ou false attendu"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "nombre entier attendu"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "nombre entier positif attendu"
	case reflect.Float32, reflect.Float64:
		return "nombre attendu"
	case reflect.String:
		return "texte entre guillemets attendu"
	case reflect.Slice, reflect.Array:
		return "liste [\u2026] attendue"
	}
	if t == timeType {
		return "date et heure attendues au format 2026-05-12T10:00:00+02:00"
	}
	return "objet {\u2026} attendu"
}

// failingField finds the member of the JSON object data that does not decode into a
// fresh value of t's element type, and the type of the field it fills.
func failingField(data []byte, t reflect.Type) (string, reflect.Type, bool) {
	var members map[string]json.RawMessage
	if t.Kind() != reflect.Pointer || json.Unmarshal(data, &members) != nil {
		return "", nil, false
	}
	for _, name := range slices.Sorted(maps.Keys(members)) {
		one, _ := json.Marshal(map[string]json.RawMessage{name: members[name]})
		if json.Unmarshal(one, reflect.New(t.Elem()).Interface()) != nil {
			if ft, ok := jsonField(t.Elem(), name); ok {
				return name, ft, true
			}
		}
	}
	return "", nil, false
}

// jsonField returns the type of the struct field that the JSON member name fills,
// looking into embedded structs as encoding/json does.
func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	for _, f := range reflect.VisibleFields(t) {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "" {
			tag = f.Name
		}
		// encoding/json matches member names ignoring case.
		if f.IsExported() && !f.Anonymous && strings.EqualFold(tag, name) {
			return f.Type, true
		}
	}
	return nil, false
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
		return 0, storage.Errorf(storage.ENOTFOUND, "Identifiant inconnu\u00a0: «\u202f%s\u202f».", c.Param("id"))
	}
	return id, nil
}

// uintQuery reads an optional numeric query parameter (0 when absent).
func uintQuery(c *gin.Context, name string) (uint64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, badQuery(name, "identifiant numérique attendu")
	}
	return n, nil
}

// idQuery is uintQuery for a reference, which cannot be 0.
func idQuery(c *gin.Context, name string) (uint64, error) {
	id, err := uintQuery(c, name)
	if err == nil && id == 0 && c.Query(name) != "" {
		err = badQuery(name, "identifiant numérique attendu")
	}
	return id, err
}

// boolQuery reads an optional query parameter "true" or "false": nil when absent.
func boolQuery(c *gin.Context, name string) (*bool, error) {
	switch c.Query(name) {
	case "":
		return nil, nil
	case "true":
		return new(true), nil
	case "false":
		return new(false), nil
	}
	return nil, badQuery(name, "«\u202ftrue\u202f» ou «\u202ffalse\u202f» attendu")
}

func badQuery(name, message string) error {
	return &storage.Error{Code: storage.EINVALID, Message: "Paramètre invalide.", Fields: []storage.FieldError{{Field: name, Message: message}}}
}

// listOptions reads ?limit= and ?cursor=.
func listOptions(c *gin.Context) (storage.ListOptions, error) {
	opts := storage.ListOptions{Cursor: c.Query("cursor")}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return opts, badQuery("limit", "nombre entre 1 et 1000 attendu")
		}
		opts.Limit = n
	}
	return opts, nil
}
