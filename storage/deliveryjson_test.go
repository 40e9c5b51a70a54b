package storage

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func FuzzDeliveryJSON(f *testing.F) {
	if n := reflect.TypeFor[Delivery]().NumField(); n != 12 {
		f.Fatalf("Delivery has %d fields: update appendJSON and readDelivery in deliveryjson.go, then this count", n)
	}
	f.Add(uint64(1), "elodie@example.org", "Élodie D’Artagnan", DeliverySent, 1, "", "<abc@example.org>", int64(1_764_000_000), 123_456_789, 60, 7)
	f.Add(uint64(1<<63), "<b>\"x\"</b> & \\", "\x00\x1f\b\f\n\r\t\x7f", DeliveryPending, -3, "451 4.7.1 «\u202fessayez\u202f»", "\u2028\u2029\ufffd", int64(0), 0, -570, 0)
	f.Add(uint64(0), "\xff\xfe\xc3", "", "", 0, "\xed\xa0\x80", "", int64(-62_167_219_201), 5, 0, 3)
	f.Add(uint64(9), "a@b.c", "n", DeliveryFailed, 2, "550", "m", int64(253_402_300_800), 0, 0, 5) // year 10000
	f.Fuzz(func(t *testing.T, id uint64, email, name, status string, attempts int, lastError, messageID string, secs int64, nanos, offset, times int) {
		at := time.Unix(secs, int64(nanos)).In(time.FixedZone("", (offset%1440)*60))
		later := at.Add(time.Minute)
		d := Delivery{ID: id, CampaignID: id / 3, ContactID: id / 5, Email: email, Name: name, Status: status,
			Attempts: attempts, LastError: lastError, MessageID: messageID}
		if times&1 != 0 {
			d.NextAttemptAt = &later
		}
		if times&2 != 0 {
			d.FirstAttempt = &at
		}
		if times&4 != 0 {
			d.At = &later
		}
		want, wantErr := json.Marshal(&d)
		got, err := d.appendJSON(nil)
		if (err == nil) != (wantErr == nil) || string(got) != string(want) {
			t.Fatalf("appendJSON:\n%s (%v)\njson.Marshal:\n%s (%v)", got, err, want, wantErr)
		}
		if err == nil {
			compareDecoding(t, want)
		}
	})
}

// FuzzDecodeDelivery compares decodeDelivery with json.Unmarshal on any input.
func FuzzDecodeDelivery(f *testing.F) {
	f.Add([]byte(`{"id":1,"campaign_id":2,"contact_id":3,"email":"a@example.org","name":"A","status":"sent","attempts":1,"message_id":"<m@example.org>","first_attempt_at":"2026-12-01T17:00:00.123+01:00","at":"2026-12-01T17:00:01Z"}`))
	f.Add([]byte(`{"id":01,"campaign_id":2,"contact_id":3,"email":"a","name":"","status":"","attempts":-0,"message_id":""}`))
	f.Add([]byte(`{"id":1,"campaign_id":2,"contact_id":3,"email":"a\u00e9","name":"","status":"","attempts":99999999999999999999,"message_id":""}`))
	f.Add([]byte(`{"id":1,"campaign_id":2,"contact_id":3,"email":"a","name":"","status":"","attempts":1,"message_id":"","at":"2026-13-01T17:00:01Z"}`))
	f.Add([]byte(`{"id":18446744073709551616,"campaign_id":2}`))
	f.Add([]byte(`{"id":1,"campaign_id":2,"contact_id":3,"email":"a","name":"","status":"","attempts":1,"message_id":""} `))
	f.Fuzz(func(t *testing.T, data []byte) { compareDecoding(t, data) })
}

func compareDecoding(t *testing.T, data []byte) {
	t.Helper()
	var got, want Delivery
	err, wantErr := decodeDelivery(data, &got), json.Unmarshal(data, &want)
	if (err == nil) != (wantErr == nil) || (err == nil && !reflect.DeepEqual(got, want)) {
		t.Fatalf("%s\ndecodeDelivery: %+v (%v)\njson.Unmarshal: %+v (%v)", data, got, err, want, wantErr)
	}
}

// TestDeliveryReadWithoutReflection checks that the records appendJSON writes take the
// fast path, which is the point of readDelivery.
func TestDeliveryReadWithoutReflection(t *testing.T) {
	at := time.Date(2026, 12, 1, 17, 0, 0, 123_000_000, time.UTC)
	for _, d := range []Delivery{
		{ID: 1, CampaignID: 2, ContactID: 3, Email: "élodie@example.org", Name: "Élodie D’Artagnan", Status: DeliveryPending, At: &at, NextAttemptAt: &at},
		{ID: 4, CampaignID: 2, ContactID: 5, Email: "a@example.org", Status: DeliveryPending, Attempts: 2, LastError: "451 essayez plus tard",
			MessageID: "<4.2@example.org>", NextAttemptAt: &at, FirstAttempt: &at, At: &at},
	} {
		data, err := d.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		var got Delivery
		if !readDelivery(data, &got) || !reflect.DeepEqual(got, d) {
			t.Fatalf("readDelivery(%s) = %+v, want %+v", data, got, d)
		}
	}
}
