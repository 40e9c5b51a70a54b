package ui

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"portevoix/storage"
	"portevoix/storage/region"
)

// maxUpload bounds a multipart form (a logo, an import file).
const maxUpload = 32 << 20

// Form is what a person typed and what was wrong with it, field by field.
type Form struct {
	Values  url.Values
	Errors  map[string]string
	Summary string // the error as a whole, shown above the form
	// Reload is the address of the form filled with the record as now stored, when the
	// record changed since the form was opened (a stale edit).
	Reload string
}

func newForm(values url.Values) *Form {
	if values == nil {
		values = url.Values{}
	}
	return &Form{Values: values, Errors: map[string]string{}}
}

// Get is the trimmed value of a field.
func (f *Form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// ID reads a numeric field (a reference), 0 when empty or not a number.
func (f *Form) ID(name string) uint64 {
	n, _ := strconv.ParseUint(f.Get(name), 10, 64)
	return n
}

// Words reads a comma-separated field (tags) or a group of checkboxes (regions) as a list.
func (f *Form) Words(name string) []string {
	var out []string
	for _, v := range f.Values[name] {
		for _, w := range strings.Split(v, ",") {
			if w = strings.TrimSpace(w); w != "" {
				out = append(out, w)
			}
		}
	}
	return out
}

// Invalid records err's field errors beside their fields; it reports false when err is
// not a validation error the form can show.
func (f *Form) Invalid(err error) bool {
	var e *storage.Error
	if !errors.As(err, &e) || e.Code != storage.EINVALID && e.Code != storage.ECONFLICT {
		return false
	}
	f.Summary = e.Message
	if len(e.Fields) > 0 {
		f.Summary = "Certains champs sont invalides." // each is named beside its control, by its label
	}
	for _, fe := range e.Fields {
		if old := f.Errors[fe.Field]; old != "" {
			f.Errors[fe.Field] = old + "\u202f; " + fe.Message
			continue
		}
		f.Errors[fe.Field] = fe.Message
	}
	return true
}

// Stale reports whether err refuses a stale edit (the record changed since the form was
// opened); the form then says who changed it and when, keeps what was typed, and offers
// reload, the form filled with the record as stored now.
func (f *Form) Stale(err error, reload string) bool {
	var e *storage.Error
	if !errors.As(err, &e) || e.Code != storage.EPRECONDITION {
		return false
	}
	f.Summary, f.Reload = e.Message, reload
	return true
}

// setVersion records the version of the record being edited, which the form sends back so
// that saving it refuses to overwrite a change made in the meantime.
func (f *Form) setVersion(v storage.Versioned) {
	f.Values.Set(versionField, strconv.FormatUint(storage.VersionOf(v), 10))
}

// versionField is the hidden field of the version an edit form was opened at.
const versionField = "version"

// Field is one control of a form as the "field" template draws it.
type Field struct {
	Name, Label, Value, Error string
	Type                      string // "text", "email", "date", "textarea", "select", "password", "number", "search"
	Hint                      string
	Required                  bool
	Options                   []Option
	Suggestions               []string // values a text field offers while leaving any other
}

// Option is one choice of a select.
type Option struct{ Value, Label string }

// newField is the template function "field": field FORM NAME LABEL.
func newField(f *Form, name, label string) Field {
	return Field{Name: name, Label: label, Value: f.Values.Get(name), Error: f.Errors[name], Type: "text"}
}

// As sets the control's type. A date (or date and time) not in the control's format stays
// a text field, so that what was typed is shown again (a date control would drop it).
func (f Field) As(typ string) Field {
	layout := map[string]string{"date": "2006-01-02", "datetime-local": "2006-01-02T15:04"}[typ]
	if _, err := time.Parse(layout, f.Value); layout != "" && f.Value != "" && err != nil {
		return f
	}
	f.Type = typ
	return f
}

// Req marks the field as required.
func (f Field) Req() Field { f.Required = true; return f }

// Help adds a hint under the label.
func (f Field) Help(hint string) Field { f.Hint = hint; return f }

// Choose makes the field a select among options.
func (f Field) Choose(options []Option) Field { f.Type, f.Options = "select", options; return f }

// Suggest offers values to a text field, which still takes any other.
func (f Field) Suggest(values []string) Field { f.Suggestions = values; return f }

// Picker is a group of checkboxes as the "picker" template draws it: a fieldset whose
// legend is Label, one box per option, the ones of Selected checked.
type Picker struct {
	Name, Label, Hint, Error string
	Options, Selected        []string
}

// regionPicker is the template function "regionPicker": regionPicker FORM NAME LABEL HINT,
// the regions of the vocabulary to tick. A region sent under another spelling is ticked
// under its own name; one outside the vocabulary is kept as an extra, ticked box, so that
// what was sent still shows beside its error.
func regionPicker(f *Form, name, label, hint string) Picker {
	p := Picker{Name: name, Label: label, Hint: hint, Error: f.Errors[name], Options: region.Names()}
	for _, w := range f.Words(name) {
		if canonical, ok := region.Canonical(w); ok {
			w = canonical
		} else {
			p.Options = append(p.Options, w)
		}
		p.Selected = append(p.Selected, w)
	}
	return p
}

// regionOptions are the regions to pick one of, after an empty choice labelled none.
func regionOptions(none string) []Option {
	opts := []Option{{"", none}}
	for _, name := range region.Names() {
		opts = append(opts, Option{name, name})
	}
	return opts
}

// formIDs reads a list of references in the order sent, skipping what is not a number.
func formIDs(f *Form, name string) []uint64 {
	var out []uint64
	for _, s := range f.Values[name] {
		if n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64); err == nil && n != 0 {
			out = append(out, n)
		}
	}
	return out
}

// joinWords writes a list back into a comma-separated field.
func joinWords(list []string) string { return strings.Join(list, ", ") }

func idString(id uint64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatUint(id, 10)
}
