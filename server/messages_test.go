package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"portevoix/server"
	"portevoix/server/mailer/smtptest"
	"portevoix/storage"
)

// goEnglish matches what Go's own error texts are made of: none of it may reach a person.
var goEnglish = regexp.MustCompile(`(?i)json:|\b(cannot|unmarshal|unexpected|parsing|character|invalid|eof|uint\d*|int\d*|float\d*|string|bool|struct|type|value|time|draft|approved|pending|published|sending|paused|done|cancelled|request|entity|found|conflict|unauthorized|forbidden|allowed)\b|2006|Z07`)

// frenchOnly fails when a problem document's detail or errors carry English words.
func frenchOnly(t *testing.T, p any, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if m := goEnglish.FindString(s); m != "" {
			t.Errorf("%q says %q: %+v", s, m, p)
		}
	}
}

// problemTexts lists what a person reads in a problem document.
func problemTexts(p server.Problem) []string {
	texts := []string{p.Title, p.Detail}
	for _, e := range p.Errors {
		texts = append(texts, e.Message)
	}
	return texts
}

// TestBadBodiesAreExplainedInFrench sends bodies that encoding/json refuses: each answer
// is a 400 naming the field at fault and saying, in French, what it should hold.
func TestBadBodiesAreExplainedInFrench(t *testing.T) {
	a := newAPI(t)
	const want = "date et heure attendues au format 2026-05-12T10:00:00+02:00"
	for _, tc := range []struct {
		name, path, body, field, detail string
	}{
		{"Empty", "/api/v1/poles", "", "", "Corps de requête vide"},
		{"Blank", "/api/v1/poles", " \n", "", "Corps de requête vide"},
		{"Truncated", "/api/v1/poles", `{"name": `, "", "JSON incomplet"},
		{"TruncatedString", "/api/v1/poles", `{"name": "Lyonbio`, "", "JSON incomplet"},
		{"Syntax", "/api/v1/poles", `{"name" "x"}`, "", "JSON invalide à la position 9"}, // counted from 1
		{"SyntaxAfterAccent", "/api/v1/poles", `{"name": "Pôle" x}`, "", "JSON invalide à la position 17"},
		{"SingleQuotes", "/api/v1/poles", `{'name': 'x'}`, "", "JSON invalide à la position 2"},
		{"Trailing", "/api/v1/poles", `{"name": "x"} {}`, "", "un seul objet JSON"},
		{"Array", "/api/v1/poles", `[{"name": "x"}]`, "", "un objet JSON"},
		{"Text", "/api/v1/poles", `"x"`, "", "un objet JSON"},
		{"Unknown", "/api/v1/poles", `{"name": "x", "colour": "red"}`, "colour", "Champ inconnu"},
		{"TimeWord", "/api/v1/communiques", `{"title": "x", "embargo_until": "tomorrow"}`, "embargo_until", want},
		{"TimeDateOnly", "/api/v1/communiques", `{"embargo_until": "2026-05-12"}`, "embargo_until", want},
		{"TimeNumber", "/api/v1/communiques", `{"embargo_until": 12}`, "embargo_until", want},
		{"TimeOfCampaign", "/api/v1/campaigns", `{"subject": "x", "scheduled_at": "demain 10 h"}`, "scheduled_at", want},
		{"IDAsText", "/api/v1/campaigns", `{"communique_id": "1"}`, "communique_id", "nombre entier positif attendu"},
		{"NegativeID", "/api/v1/people", `{"name": "x", "pole_id": -1}`, "pole_id", "nombre entier positif attendu"},
		{"HugeID", "/api/v1/people", `{"pole_id": 1e40}`, "pole_id", "nombre entier positif attendu"},
		{"ListOfText", "/api/v1/campaigns", `{"list_ids": ["a"]}`, "list_ids", "nombre entier positif attendu"},
		{"NotAList", "/api/v1/communiques", `{"pole_ids": 3}`, "pole_ids", "liste [\u2026] attendue"},
		{"Fraction", "/api/v1/measures", `{"text": "x", "rank": 1.5}`, "rank", "nombre entier attendu"},
		{"BoolAsText", "/api/v1/contacts", `{"email": "a@example.org", "opted_out": "oui"}`, "opted_out", "true ou false attendu"},
		{"NumberAsText", "/api/v1/poles", `{"name": 12}`, "name", "texte entre guillemets attendu"},
		{"TagsAsText", "/api/v1/contacts", `{"tags": "santé"}`, "tags", "liste [\u2026] attendue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(storage.RoleEditor, "POST", tc.path, tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400 (%s)", r.status, r.body)
			}
			p := r.problem(t)
			if !strings.Contains(p.Detail, tc.detail) {
				t.Errorf("detail %q, want it to contain %q", p.Detail, tc.detail)
			}
			if tc.field != "" {
				if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
					t.Fatalf("errors %+v, want one for %q", p.Errors, tc.field)
				}
				if !strings.Contains(p.Detail, "«\u202f"+tc.field+"\u202f»") {
					t.Errorf("detail %q does not name the field", p.Detail)
				}
			}
			frenchOnly(t, p, problemTexts(p)...)
		})
	}
}

// TestStatusesAndRecordsAreNamedInFrench: statuses are shown in French and the words
// agree with the record's gender.
func TestStatusesAndRecordsAreNamedInFrench(t *testing.T) {
	a := newAPI(t)
	pole := a.create("/api/v1/poles", map[string]any{"name": "Lyonbiopôle"})
	person := a.create("/api/v1/people", map[string]any{"name": "F. Agostino-Etchetto", "pole_id": pole})
	quote := a.create("/api/v1/quotes", map[string]any{"person_id": person, "text": "L’innovation…"})
	communique := a.create("/api/v1/communiques", map[string]any{"title": "Relocaliser", "date": "2026-05-12", "template": "mesures",
		"pole_ids": []uint64{pole}, "quote_ids": []uint64{quote}})
	list := a.create("/api/v1/lists", map[string]any{"name": "Presse", "regions": []string{}})
	campaign := a.create("/api/v1/campaigns", map[string]any{"communique_id": communique, "list_ids": []uint64{list}, "subject": "Relocaliser"})

	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		want               string
	}{
		{"QuoteStatus", "POST", fmt.Sprintf("/api/v1/communiques/%d/approve", communique), map[string]uint64{"pole_id": pole},
			http.StatusConflict, "(statut\u00a0: brouillon)"},
		{"CampaignStatus", "POST", fmt.Sprintf("/api/v1/campaigns/%d/pause", campaign), nil,
			http.StatusConflict, "de «\u202fbrouillon\u202f» à «\u202fen pause\u202f»"},
		{"FeminineMissing", "POST", "/api/v1/communiques", map[string]any{"title": "x", "date": "2026-05-12", "template": "mesures",
			"pole_ids": []uint64{pole}, "quote_ids": []uint64{999}, "measure_ids": []uint64{998}}, http.StatusUnprocessableEntity,
			"citation n°\u00a0999 introuvable (supprimée\u202f?)"},
		{"MasculineMissing", "POST", "/api/v1/communiques", map[string]any{"title": "x", "date": "2026-05-12", "template": "mesures",
			"pole_ids": []uint64{997}}, http.StatusUnprocessableEntity, "pôle n°\u00a0997 introuvable (supprimé\u202f?)"},
		{"FeminineList", "POST", "/api/v1/campaigns", map[string]any{"communique_id": communique, "list_ids": []uint64{996}, "subject": "x"},
			http.StatusUnprocessableEntity, "liste n°\u00a0996 introuvable (supprimée\u202f?)"},
		{"InvalidField", "POST", "/api/v1/contacts", map[string]string{"email": "jean.dupont@"}, http.StatusUnprocessableEntity,
			"Champ «\u202femail\u202f» invalide\u00a0: adresse e-mail sans nom de domaine"},
		{"UnknownTemplate", "POST", "/api/v1/communiques", map[string]any{"title": "x", "date": "2026-05-12", "template": "affiche",
			"pole_ids": []uint64{pole}}, http.StatusUnprocessableEntity, "Champ «\u202ftemplate\u202f» invalide\u00a0: modèle inconnu"},
		{"BadID", "GET", "/api/v1/poles/abc", nil, http.StatusNotFound, "Identifiant inconnu\u00a0: «\u202fabc\u202f»."},
		{"Method", "PATCH", "/api/v1/poles", nil, http.StatusMethodNotAllowed, "Méthode non autorisée"},
		{"Forbidden", "GET", "/api/v1/users", nil, http.StatusForbidden, "rôle requis\u00a0: administrateur"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(storage.RoleEditor, tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d (%s)", r.status, tc.status, r.body)
			}
			p := r.problem(t)
			texts := problemTexts(p)
			if !strings.Contains(strings.Join(texts, "\n"), tc.want) {
				t.Errorf("%q not in %q", tc.want, texts)
			}
			frenchOnly(t, p, texts...)
		})
	}
}

func TestStatusLabels(t *testing.T) {
	for _, tc := range []struct{ bucket, status, want string }{
		{"quotes", storage.QuoteDraft, "brouillon"},
		{"quotes", storage.QuoteApproved, "approuvée"},
		{"communiques", storage.CommuniqueApproved, "approuvé"},
		{"communiques", storage.CommuniquePublished, "publié"},
		{"campaigns", storage.CampaignSending, "envoi en cours"},
		{"campaigns", storage.CampaignScheduled, "programmée"},
		{"deliveries", storage.DeliveryFailed, "échec"},
		{"campaigns", "unheard-of", "unheard-of"},
	} {
		if got := storage.StatusLabel(tc.bucket, tc.status); got != tc.want {
			t.Errorf("StatusLabel(%q, %q) = %q, want %q", tc.bucket, tc.status, got, tc.want)
		}
	}
}

// TestRefusedTestSendSaysWhy: the SMTP server's refusal reaches staff in a French sentence.
func TestRefusedTestSendSaysWhy(t *testing.T) {
	in := smtptest.Start(t, func(s *smtptest.Server) {
		s.Rcpt = func(string) error {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
	})
	a := newSendingAPI(t, in)
	id := a.create("/api/v1/campaigns", map[string]any{"communique_id": 1, "list_ids": a.listIDs("Presse nationale santé"), "subject": "S"})
	r := a.do(storage.RoleEditor, "POST", fmt.Sprintf("/api/v1/campaigns/%d/test", id), map[string]string{"email": "inconnu@example.org"})
	if r.status != http.StatusConflict {
		t.Fatalf("status %d, want 409 (%s)", r.status, r.body)
	}
	if p := r.problem(t); p.Detail != "L’envoi de test a échoué\u00a0: le serveur SMTP a répondu 550 5.1.1 No such user." {
		t.Fatalf("detail %q", p.Detail)
	}
}
