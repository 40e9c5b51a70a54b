package storage_test

import (
	"errors"
	"net/mail"
	"strings"
	"testing"

	"portevoix/storage"
)

func TestEmailProblem(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	ok := []string{
		"jean.dupont@example.org", "A+b_c@Sous-Domaine.Example.COM", "o'brien@example.ie",
		"a@" + label63 + ".example.org", "x@1.example.org", "a!#$%&'*/=?^`{|}~-@example.org",
	}
	for _, s := range ok {
		if why := storage.EmailProblem(s); why != "" {
			t.Errorf("EmailProblem(%q) = %q, want accepted", s, why)
		}
	}
	bad := map[string]string{
		"é@exämple.org":                          "internationalisées",
		"jean@exämple.org":                       "internationalisées",
		"a@-b.org":                               "nom de domaine invalide\u00a0: «\u202f-b.org\u202f» (un élément ne peut ni commencer ni finir par un trait d’union)",
		"a@b-.org":                               "trait d’union",
		"a@b.org-":                               "trait d’union",
		"a@localhost":                            "au moins un point",
		"a@b..org":                               "élément vide",
		"a@.b.org":                               "élément vide",
		"a@b.org.":                               "élément vide",
		"a@b_c.org":                              "caractère «\u202f_\u202f» non permis",
		"a@[192.0.2.1]":                          "caractère «\u202f[\u202f» non permis",
		"a@" + strings.Repeat(label63+".", 4):    "plus de 254 caractères",
		"a@" + label63 + "a.org":                 "63 caractères",
		"a.example.org":                          "sans «\u202f@\u202f»",
		"a@":                                     "sans nom de domaine",
		"@example.org":                           "avant «\u202f@\u202f»",
		".a@example.org":                         "avant «\u202f@\u202f»",
		"a..b@example.org":                       "avant «\u202f@\u202f»",
		`"a b"@example.org`:                      "attendue seule",
		`"ab"@example.org`:                       "avant «\u202f@\u202f»",
		"a@b@example.org":                        "avant «\u202f@\u202f»",
		strings.Repeat("a", 65) + "@example.org": "avant «\u202f@\u202f»",
		"Jean <jean@example.org>":                "attendue seule",
		"a@example.org\r\nBcc: x@example.com":    "attendue seule",
	}
	for s, want := range bad {
		if why := storage.EmailProblem(s); !strings.Contains(why, want) {
			t.Errorf("EmailProblem(%q) = %q, want it to say %q", s, why, want)
		}
	}
}

func TestContactEmailIsCheckedByTheRule(t *testing.T) {
	s := MustOpen(t)
	for _, email := range []string{"é@exämple.org", "a@-b.org"} {
		err := storage.Create(s, "test", &storage.Contact{Email: email})
		var e *storage.Error
		if !errors.As(err, &e) || e.Code != storage.EINVALID || len(e.Fields) != 1 || e.Fields[0].Message != storage.EmailProblem(email) {
			t.Errorf("create %q: %v, want EINVALID with the rule's reason", email, err)
		}
	}
}

// FuzzEmailProblem checks that every address the rule accepts is one net/mail, which the
// mailer builds headers with, reads back unchanged and without a display name.
func FuzzEmailProblem(f *testing.F) {
	for _, s := range []string{"jean.dupont@example.org", "a+b@x-y.example.com", "a..b@example.org",
		"\"a b\"@example.org", "élodie@exemple.fr", "a@b", "a@-x.org", ".a@example.org", "a@example.org."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if storage.EmailProblem(s) != "" {
			return
		}
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s {
			t.Fatalf("EmailProblem accepts %q, net/mail gives %v, %v", s, a, err)
		}
	})
}
