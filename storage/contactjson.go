package storage

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// An import writes every contact it reads, and json.Marshal spent a fifth of the import
// there, most of it on reflection and on time.Time's MarshalJSON, whose output it checks
// again. Contact therefore writes its own JSON, byte for byte what json.Marshal writes
// (FuzzContactJSON compares the two); put uses it through jsonAppender.

// jsonAppender is a record that writes its own JSON, as json.Marshal would.
type jsonAppender interface {
	appendJSON(b []byte) ([]byte, error)
}

// marshal is json.Marshal(v), through v's own appendJSON when it has one.
func marshal(v Record) ([]byte, error) {
	if a, ok := v.(jsonAppender); ok {
		return a.appendJSON(nil)
	}
	return json.Marshal(v)
}

func (v *Contact) appendJSON(b []byte) ([]byte, error) {
	// Room for the names, numbers and times, and the strings unescaped: one allocation.
	n := 400 + len(v.UpdatedBy) + len(v.FirstName) + len(v.LastName) + len(v.Email) + len(v.Phone) +
		len(v.Organization) + len(v.Kind) + len(v.Language) + len(v.Source) + len(v.LawfulBasis)
	for _, s := range v.Regions {
		n += len(s) + 3
	}
	for _, s := range v.Tags {
		n += len(s) + 3
	}
	b = slices.Grow(b, n)
	b = strconv.AppendUint(append(b, `{"id":`...), v.ID, 10)
	b, err := appendJSONTime(append(b, `,"created_at":`...), v.CreatedAt)
	if err == nil {
		b, err = appendJSONTime(append(b, `,"updated_at":`...), v.UpdatedAt)
	}
	if err != nil {
		return nil, err
	}
	if v.UpdatedBy != "" {
		b = appendJSONString(append(b, `,"updated_by":`...), v.UpdatedBy)
	}
	b = strconv.AppendUint(append(b, `,"version":`...), v.Version, 10)
	b = appendJSONString(append(b, `,"first_name":`...), v.FirstName)
	b = appendJSONString(append(b, `,"last_name":`...), v.LastName)
	b = appendJSONString(append(b, `,"email":`...), v.Email)
	b = appendJSONString(append(b, `,"phone":`...), v.Phone)
	b = appendJSONString(append(b, `,"organization":`...), v.Organization)
	b = appendJSONString(append(b, `,"kind":`...), v.Kind)
	b = appendJSONStrings(append(b, `,"regions":`...), v.Regions)
	b = appendJSONStrings(append(b, `,"tags":`...), v.Tags)
	if v.PoleID != 0 {
		b = strconv.AppendUint(append(b, `,"pole_id":`...), v.PoleID, 10)
	}
	b = appendJSONString(append(b, `,"language":`...), v.Language)
	b = appendJSONString(append(b, `,"source":`...), v.Source)
	b = appendJSONString(append(b, `,"lawful_basis":`...), v.LawfulBasis)
	b = strconv.AppendBool(append(b, `,"opted_out":`...), v.OptedOut)
	if v.OptedOutAt != nil {
		if b, err = appendJSONTime(append(b, `,"opted_out_at":`...), *v.OptedOutAt); err != nil {
			return nil, err
		}
	}
	b = strconv.AppendBool(append(b, `,"bounced":`...), v.Bounced)
	return append(b, '}'), nil
}

// appendJSONTime writes t as time.Time's MarshalJSON does, failing as it does on a year
// outside 0–9999.
func appendJSONTime(b []byte, t time.Time) ([]byte, error) {
	b, err := t.AppendText(append(b, '"'))
	return append(b, '"'), err
}

func appendJSONStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString writes s as encoding/json does by default: quotes, backslashes and
// control characters escaped, and also <, >, & (HTML-safe), U+2028, U+2029, and each
// byte of invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}
