package ui

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
	"portevoix/templates/typo"
)

// embargoLayout is what a datetime-local control sends: a Paris wall-clock time.
const embargoLayout = "2006-01-02T15:04"

// idFields are the communiqué's lists of references, as the form names them.
var idFields = []string{"pole_ids", "measure_ids", "quote_ids", "boilerplate_ids", "contact_ids"}

// communiqueValues fills the composing form from a communiqué.
func communiqueValues(v *storage.Communique) url.Values {
	vals := url.Values{"title": {v.Title}, "subtitle": {v.Subtitle}, "place": {v.Place}, "date": {v.Date},
		"lede": {v.Lede}, "body": {v.Body}, "template": {v.Template}, "slug": {v.Slug}}
	if v.EmbargoUntil != nil {
		vals.Set("embargo_until", v.EmbargoUntil.In(typo.Paris()).Format(embargoLayout))
	}
	for _, f := range idFields {
		vals[f] = idStrings(*communiqueIDs(v, f))
	}
	return vals
}

func communiqueIDs(v *storage.Communique, field string) *[]uint64 {
	return map[string]*[]uint64{"pole_ids": &v.PoleIDs, "measure_ids": &v.MeasureIDs, "quote_ids": &v.QuoteIDs,
		"boilerplate_ids": &v.BoilerplateIDs, "contact_ids": &v.ContactIDs}[field]
}

func idStrings(ids []uint64) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, idString(id))
	}
	return out
}

// recordCommunique copies the form into v; an embargo that is not a date and time is
// recorded as the field's error.
func recordCommunique(f *Form, v *storage.Communique) {
	v.Title, v.Subtitle, v.Place, v.Date = f.Get("title"), f.Get("subtitle"), f.Get("place"), f.Get("date")
	v.Lede, v.Body, v.Template, v.Slug = f.Values.Get("lede"), f.Values.Get("body"), f.Get("template"), f.Get("slug")
	for _, name := range idFields {
		*communiqueIDs(v, name) = formIDs(f, name)
	}
	v.EmbargoUntil = nil
	if s := f.Get("embargo_until"); s != "" {
		t, err := time.ParseInLocation(embargoLayout, s, typo.Paris())
		if err != nil {
			f.Errors["embargo_until"] = "date et heure attendues, par exemple 12/05/2020 10:00"
			return
		}
		v.EmbargoUntil = &t
	}
}

// applyMove carries out a move button sent without JavaScript: "measure_ids:3:up" moves
// measure 3 one place up, ":down" one down, ":remove" takes it out. It returns the
// anchor of the list moved in, "" when the form asked for no move.
func applyMove(f *Form) string {
	field, rest, _ := strings.Cut(f.Get("move"), ":")
	id, dir, _ := strings.Cut(rest, ":")
	list, ok := f.Values[field]
	if !ok || !slices.Contains(idFields, field) {
		return ""
	}
	i := slices.Index(list, id)
	switch {
	case i < 0:
	case dir == "up" && i > 0:
		list[i-1], list[i] = list[i], list[i-1]
	case dir == "down" && i < len(list)-1:
		list[i], list[i+1] = list[i+1], list[i]
	case dir == "remove":
		list = slices.Delete(list, i, i+1)
	}
	f.Values[field] = list
	return "#" + strings.TrimSuffix(field, "_ids") + "s"
}

func (u *UI) composeForm(c *gin.Context) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	u.showCompose(c, http.StatusOK, v, newForm(communiqueValues(v)))
}

// showCompose draws the composing page of v with form's values, which may be unsaved.
func (u *UI) showCompose(c *gin.Context, status int, v *storage.Communique, form *Form) {
	data, err := u.composeData(v, form)
	if err != nil {
		u.fail(c, err)
		return
	}
	data.CanEdit = currentUser(c).Role != storage.RoleViewer && !frozen(v)
	u.render(c, status, "compose", page{Title: cmp.Or(v.Title, "Communiqué"), Section: "communiques", Data: data})
}

func frozen(v *storage.Communique) bool {
	return v.Status == storage.CommuniquePublished || v.Status == storage.CommuniqueWithdrawn
}

// saveCommunique stores the form. The page's script sends it as it is typed (autosave),
// asking for JSON; without the script the form is sent by its button, and its move
// buttons reorder the picked measures and quotes. Either way the version the page was
// loaded at comes back (If-Match, or the version field), so that someone else's change in
// the meantime is not overwritten.
func (u *UI) saveCommunique(c *gin.Context) {
	v, ok := u.communique(c)
	if !ok {
		return
	}
	form := newForm(postForm(c))
	anchor := applyMove(form)
	recordCommunique(form, v)
	var err error
	if msg, bad := form.Errors["embargo_until"]; bad {
		delete(form.Errors, "embargo_until") // shown again by Invalid, with the other errors
		err = &storage.Error{Code: storage.EINVALID, Message: "Certains champs sont invalides.",
			Fields: []storage.FieldError{{Field: "embargo_until", Message: msg}}}
	} else {
		err = storage.UpdateIf(u.Store, actor(c), v, ifVersion(c, form))
	}
	if autosave(c) {
		u.answerAutosave(c, v, err)
		return
	}
	if err != nil {
		u.composeFailed(c, form, err)
		return
	}
	u.flash(c, "Brouillon enregistré.")
	redirect(c, communiqueURL(v.ID, anchor))
}

// composeFailed shows the form again with what was typed: the errors beside their fields,
// or who changed the communiqué in the meantime.
func (u *UI) composeFailed(c *gin.Context, form *Form, err error) {
	stored, ok := u.communique(c)
	if !ok {
		return
	}
	if storage.ErrorCode(err) == storage.EPRECONDITION {
		form.Summary = err.Error()
		form.setVersion(stored)
		u.showCompose(c, http.StatusPreconditionFailed, stored, form)
		return
	}
	if !form.Invalid(err) {
		u.fail(c, err)
		return
	}
	foldIndexedErrors(form)
	u.showCompose(c, server.StatusOf(err), stored, form)
}

// foldIndexedErrors shows an error on "quote_ids[2]" beside the quotes' picker.
func foldIndexedErrors(f *Form) {
	for field, msg := range f.Errors {
		if name, _, ok := strings.Cut(field, "["); ok {
			delete(f.Errors, field)
			f.Errors[name] = strings.TrimPrefix(f.Errors[name]+"\u202f; "+msg, "\u202f; ")
		}
	}
}

// ifVersion is the version the writer saw: the If-Match header of the autosave, or the
// form's version field; 0 (no check) when neither is given.
func ifVersion(c *gin.Context, f *Form) uint64 {
	n, _ := strconv.ParseUint(cmp.Or(strings.Trim(c.GetHeader("If-Match"), `"`), f.Get("version")), 10, 64)
	return n
}

func autosave(c *gin.Context) bool { return c.GetHeader("X-Autosave") != "" }

// savedAnswer is the autosave's answer: the new version to send next time and a French
// line to show, or what went wrong.
type savedAnswer struct {
	Version uint64            `json:"version"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (u *UI) answerAutosave(c *gin.Context, v *storage.Communique, err error) {
	if err == nil {
		c.JSON(http.StatusOK, savedAnswer{Version: v.Version, Message: "Enregistré à " + typo.Clock(v.UpdatedAt)})
		return
	}
	var e *storage.Error
	if !errors.As(err, &e) || server.StatusOf(err) == http.StatusInternalServerError {
		u.Log.Error("autosave", "path", c.Request.URL.Path, "err", err)
		c.JSON(http.StatusInternalServerError, savedAnswer{Message: "Enregistrement impossible pour l’instant\u202f; vos modifications sont toujours dans la page."})
		return
	}
	form := newForm(nil)
	form.Invalid(err)
	foldIndexedErrors(form)
	c.JSON(server.StatusOf(err), savedAnswer{Message: "Non enregistré\u00a0: " + e.Message, Fields: form.Errors})
}
