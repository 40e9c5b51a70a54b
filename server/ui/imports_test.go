package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"portevoix/storage"
)

// frenchExcelCSV is a contact file as Excel saves it in France: Windows-1252, semicolons,
// CRLF; line 4 has a broken address.
func frenchExcelCSV(t *testing.T) []byte {
	text := "Prénom;Nom;Adresse e-mail;Média;Région\r\n" +
		"Hélène;Lefèvre;helene.lefevre@example.com;La Dépêche;Occitanie\r\n" +
		"Loïc;Le Gall;loic.legall@example.com;Le Télégramme;Bretagne\r\n" +
		"Zoé;Martin;pas-une-adresse;Midi Libre;Occitanie\r\n"
	data, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(data)
}

var uploadToken = regexp.MustCompile(`name="upload" value="([^"]+)"`)

func TestImportPreviewThenConfirm(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	b := s.signIn(storage.RoleEditor)
	wantBody(t, b.get("/app/contacts/import"), `enctype="multipart/form-data"`, `<label for="f-file">`)
	r := b.postFile("/app/contacts/import", "file", "contacts.csv", frenchExcelCSV(t), true)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "Aperçu de l’import", "Rien n’est encore enregistré.", "<dt>À créer</dt><dd>2</dd>", "<dt>Refusées</dt><dd>1</dd>",
		`<td data-label="Ligne">4</td>`, "pas-une-adresse")
	if page, _ := s.store.FindContacts(storage.ContactFilter{}, storage.ListOptions{}); len(page.Items) != 0 {
		t.Fatal("the preview stores nothing")
	}
	token := uploadToken.FindStringSubmatch(r.body)
	if token == nil {
		t.Fatal("no confirmation form")
	}
	// Another session cannot confirm it.
	other := s.signIn(storage.RoleEditor)
	wantStatus(t, other.post("/app/contacts/import/confirm", url.Values{"upload": {token[1]}}), http.StatusConflict)

	r = b.post("/app/contacts/import/confirm", url.Values{"upload": {token[1]}})
	wantStatus(t, r, http.StatusSeeOther)
	list := b.get("/app/contacts")
	wantBody(t, list, "Import terminé\u00a0: 2\u00a0contacts créés, 0\u00a0mis à jour, 1\u00a0ligne ignorée ou refusée.", "Hélène Lefèvre", "Le Télégramme")
	ct, err := s.store.ContactByEmail("loic.legall@example.com")
	if err != nil || ct.Regions[0] != "Bretagne" || !strings.Contains(ct.Source, "contacts.csv") {
		t.Fatalf("imported: %+v %v", ct, err)
	}
	wantStatus(t, b.post("/app/contacts/import/confirm", url.Values{"upload": {token[1]}}), http.StatusConflict)

	export := b.get("/app/contacts/export")
	if export.status != http.StatusOK || !strings.HasPrefix(export.body, "\uFEFF") || !strings.Contains(export.body, "Lefèvre") ||
		!strings.Contains(export.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %v", export.status, export.header)
	}
}

func TestImportRefusals(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	viewer := s.signIn(storage.RoleViewer)
	wantStatus(t, viewer.postFile("/app/contacts/import", "file", "contacts.csv", frenchExcelCSV(t), true), http.StatusForbidden)
	if strings.Contains(viewer.get("/app/contacts").body, "/app/contacts/import") {
		t.Error("a viewer sees no import button")
	}
	b := s.signIn(storage.RoleEditor)
	wantStatus(t, b.postFile("/app/contacts/import", "file", "contacts.csv", frenchExcelCSV(t), false), http.StatusForbidden)
	r := b.postRaw("/app/contacts/import", url.Values{"csrf": {b.csrf}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-file"`, "choisissez un fichier")
}

func TestImportPreviewLineByLine(t *testing.T) {
	s := newSite(t, "http://127.0.0.1:8080")
	known := &storage.Contact{Email: "helene.lefevre@example.com", FirstName: "Hélène", LastName: "Lefèvre", Organization: "Midi Libre"}
	if err := storage.Create(s.store, "test", known); err != nil {
		t.Fatal(err)
	}
	b := s.signIn(storage.RoleEditor)
	r := b.postFile("/app/contacts/import", "file", "contacts.csv", frenchExcelCSV(t), true)
	wantStatus(t, r, http.StatusOK)
	wantBody(t, r, "<h2>Ligne par ligne</h2>",
		`<tr><td data-label="Ligne">2</td><td data-label="Résultat"><span class="badge pending">à mettre à jour</span></td><td data-label="Adresse ou valeur">helene.lefevre@example.com</td><td data-label="Détail">modifie`+"\u00a0"+`: média, régions, origine</td></tr>`,
		`<tr><td data-label="Ligne">3</td><td data-label="Résultat"><span class="badge approved">à créer</span></td><td data-label="Adresse ou valeur">loic.legall@example.com</td><td data-label="Détail">nouveau contact</td></tr>`,
		`<tr><td data-label="Ligne">4</td><td data-label="Résultat"><span class="badge withdrawn">refusée</span></td><td data-label="Adresse ou valeur">pas-une-adresse</td><td data-label="Détail">adresse e-mail sans «`)
	if strings.Index(r.body, `data-label="Ligne">2<`) > strings.Index(r.body, `data-label="Ligne">3<`) {
		t.Error("lines in file order")
	}
}
