package storage_test

import (
	"testing"

	"portevoix/storage"
)

// TestInvalidMessageNamesTheFields: whoever reads only the message (a CLI, a log) learns
// which fields are wrong and why, once.
func TestInvalidMessageNamesTheFields(t *testing.T) {
	for _, tc := range []struct {
		name     string
		problems storage.Problems
		want     string
	}{
		{"One", storage.Problems{{Field: "email", Message: "adresse e-mail invalide"}},
			"Champ «\u202femail\u202f» invalide\u00a0: adresse e-mail invalide."},
		{"Two", storage.Problems{{Field: "title", Message: "champ obligatoire"}, {Field: "date", Message: "date attendue au format AAAA-MM-JJ"}},
			"Champs invalides\u00a0: «\u202ftitle\u202f» (champ obligatoire)\u202f; «\u202fdate\u202f» (date attendue au format AAAA-MM-JJ)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.problems.Err()
			e, ok := err.(*storage.Error)
			if !ok || e.Code != storage.EINVALID || len(e.Fields) != len(tc.problems) {
				t.Fatalf("Err() = %#v", err)
			}
			if e.Message != tc.want || err.Error() != tc.want {
				t.Errorf("message %q, Error() %q; want %q", e.Message, err.Error(), tc.want)
			}
		})
	}
	if err := (storage.Problems{}).Err(); err != nil {
		t.Fatalf("no problem, error %v", err)
	}
}
