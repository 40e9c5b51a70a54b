package storage

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// Sending a campaign reads and writes each delivery twice (the claim, then the outcome),
// and encoding/json spent more time there than the rest of both transactions: reflection,
// and time.Time's MarshalJSON whose output it checks again. Delivery therefore writes its
// own JSON, byte for byte what json.Marshal writes, and reads that form back without
// reflection; anything else (surrogate escapes, another key order, spaces) is left to
// encoding/json. FuzzDeliveryJSON and FuzzDecodeDelivery compare both with encoding/json.

func (v *Delivery) appendJSON(b []byte) ([]byte, error) {
	b = slices.Grow(b, 300+len(v.Email)+len(v.Name)+len(v.Status)+len(v.LastError)+len(v.MessageID))
	b = strconv.AppendUint(append(b, `{"id":`...), v.ID, 10)
	b = strconv.AppendUint(append(b, `,"campaign_id":`...), v.CampaignID, 10)
	b = strconv.AppendUint(append(b, `,"contact_id":`...), v.ContactID, 10)
	b = appendJSONString(append(b, `,"email":`...), v.Email)
	b = appendJSONString(append(b, `,"name":`...), v.Name)
	b = appendJSONString(append(b, `,"status":`...), v.Status)
	b = strconv.AppendInt(append(b, `,"attempts":`...), int64(v.Attempts), 10)
	if v.LastError != "" {
		b = appendJSONString(append(b, `,"last_error":`...), v.LastError)
	}
	b = appendJSONString(append(b, `,"message_id":`...), v.MessageID)
	var err error
	for _, t := range [...]struct {
		key string
		t   *time.Time
	}{{`,"next_attempt_at":`, v.NextAttemptAt}, {`,"first_attempt_at":`, v.FirstAttempt}, {`,"at":`, v.At}} {
		if t.t != nil && err == nil {
			b, err = appendJSONTime(append(b, t.key...), *t.t)
		}
	}
	if err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// decodeDelivery fills d, which must be zero, as json.Unmarshal(data, d) would.
func decodeDelivery(data []byte, d *Delivery) error {
	if readDelivery(data, d) {
		return nil
	}
	*d = Delivery{}
	return json.Unmarshal(data, d)
}

// readDelivery reads the JSON that appendJSON writes, strings without escapes, and
// reports whether data was exactly that.
func readDelivery(data []byte, d *Delivery) bool {
	r := jsonReader{data: data, ok: true}
	r.expect(`{"id":`)
	d.ID = r.uint()
	r.expect(`,"campaign_id":`)
	d.CampaignID = r.uint()
	r.expect(`,"contact_id":`)
	d.ContactID = r.uint()
	r.expect(`,"email":`)
	d.Email = r.string()
	r.expect(`,"name":`)
	d.Name = r.string()
	r.expect(`,"status":`)
	d.Status = r.string()
	r.expect(`,"attempts":`)
	d.Attempts = r.int()
	if r.has(`,"last_error":`) {
		d.LastError = r.string()
	}
	r.expect(`,"message_id":`)
	d.MessageID = r.string()
	if r.has(`,"next_attempt_at":`) {
		d.NextAttemptAt = r.time()
	}
	if r.has(`,"first_attempt_at":`) {
		d.FirstAttempt = r.time()
	}
	if r.has(`,"at":`) {
		d.At = r.time()
	}
	r.expect(`}`)
	return r.ok && len(r.data) == 0
}

// jsonReader reads JSON of a known shape; ok turns false at the first thing it does not
// expect, after which every read returns a zero value.
type jsonReader struct {
	data []byte
	ok   bool
}

func (r *jsonReader) has(s string) bool {
	if !r.ok || len(r.data) < len(s) || string(r.data[:len(s)]) != s {
		return false
	}
	r.data = r.data[len(s):]
	return true
}

func (r *jsonReader) expect(s string) {
	if !r.has(s) {
		r.ok = false
	}
}

// digits returns the number at the start of data, as JSON writes an integer.
func (r *jsonReader) digits() []byte {
	n := 0
	if n < len(r.data) && r.data[n] == '-' {
		n++
	}
	start := n
	for n < len(r.data) && r.data[n] >= '0' && r.data[n] <= '9' {
		n++
	}
	if n == start || (r.data[start] == '0' && n > start+1) { // JSON has no leading zeros
		r.ok = false
		return nil
	}
	out := r.data[:n]
	r.data = r.data[n:]
	return out
}

func (r *jsonReader) uint() uint64 {
	s := r.digits()
	if !r.ok {
		return 0
	}
	v, err := strconv.ParseUint(string(s), 10, 64)
	r.ok = err == nil
	return v
}

func (r *jsonReader) int() int {
	s := r.digits()
	if !r.ok {
		return 0
	}
	v, err := strconv.Atoi(string(s))
	r.ok = err == nil
	return v
}

// quoted returns the string at the start of data, its quotes and escapes included, and
// whether it holds escapes. It refuses control characters and invalid UTF-8, which
// json.Unmarshal would refuse or change.
func (r *jsonReader) quoted() (q []byte, escaped bool) {
	if !r.ok || len(r.data) == 0 || r.data[0] != '"' {
		r.ok = false
		return nil, false
	}
	for i := 1; i < len(r.data); i++ {
		switch c := r.data[i]; {
		case c == '"':
			q, r.data = r.data[:i+1], r.data[i+1:]
			r.ok = utf8.Valid(q)
			return q, escaped
		case c == '\\':
			escaped = true
			i++
		case c < 0x20:
			r.ok = false
			return nil, false
		}
	}
	r.ok = false
	return nil, false
}

func (r *jsonReader) string() string {
	q, escaped := r.quoted()
	if !r.ok {
		return ""
	}
	q = q[1 : len(q)-1]
	if escaped {
		// Every Message-ID has escapes: json.Marshal writes < and > as \u003c and \u003e.
		q, r.ok = unescape(q)
	}
	return string(q)
}

// unescape decodes a JSON string's escapes, all but surrogates (left to encoding/json).
func unescape(s []byte) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		if i++; i == len(s) {
			return nil, false
		}
		switch c := s[i]; c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+5 > len(s) {
				return nil, false
			}
			v, err := strconv.ParseUint(string(s[i+1:i+5]), 16, 16)
			if err != nil || utf16.IsSurrogate(rune(v)) {
				return nil, false
			}
			out, i = utf8.AppendRune(out, rune(v)), i+4
		default:
			return nil, false
		}
	}
	return out, true
}

// time reads a time as json.Unmarshal does, through time.Time's UnmarshalJSON.
func (r *jsonReader) time() *time.Time {
	q, escaped := r.quoted()
	if !r.ok || escaped {
		r.ok = false
		return nil
	}
	t := new(time.Time)
	r.ok = t.UnmarshalJSON(q) == nil
	return t
}
