package ui_test

import (
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portevoix/storage"
	"portevoix/storage/demo"
	"portevoix/templates/pdf"
	"portevoix/templates/typo"
)

// testPDF is the PDF renderer, its fonts parsed once for all the tests.
var testPDF = func() func(testing.TB) *pdf.Renderer {
	once := sync.OnceValues(pdf.New)
	return func(tb testing.TB) *pdf.Renderer {
		r, err := once()
		if err != nil {
			tb.Fatal(err)
		}
		return r
	}
}()

// demoSite is the staff pages over the demo data (communiqué 1 is published).
func demoSite(t *testing.T) *site {
	return openSite(t, "http://127.0.0.1:8080", func(store *storage.Store) error {
		_, err := demo.Load(store, time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC))
		return err
	})
}

// listID finds a demo list by name.
func (s *site) listID(name string) string {
	s.t.Helper()
	lists, err := storage.Find[storage.List](s.store, storage.ListOptions{Limit: 100}, func(l *storage.List) bool { return l.Name == name })
	if err != nil || len(lists.Items) != 1 {
		s.t.Fatalf("list %q: %v", name, err)
	}
	return itoa(lists.Items[0].ID)
}

var campaignURL = regexp.MustCompile(`^/app/campaigns/(\d+)$`)

// prepareSend creates a send of communiqué 1 through the form and returns its address.
func (b *browser) prepareSend(form url.Values) string {
	t := b.s.t
	t.Helper()
	r := b.post("/app/campaigns", form)
	wantStatus(t, r, http.StatusSeeOther)
	if !campaignURL.MatchString(r.header.Get("Location")) {
		t.Fatalf("after creating: %q", r.header.Get("Location"))
	}
	return r.header.Get("Location")
}

func TestPrepareTestAndSendFromACommunique(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	wantBody(t, b.get("/app/campaigns"), `href="/app/campaigns/new?communique=1"`, "Diffuser")
	occitanie, national := s.listID("Presse Occitanie"), s.listID("Presse nationale santé")

	form := b.get("/app/campaigns/new?communique=1")
	wantStatus(t, form, http.StatusOK)
	wantBody(t, form, `name="list_ids" value="`+occitanie+`"`, `value="formal"`, "Presse Occitanie <span class=\"note\">(")

	want, err := s.store.CountListsRecipients([]uint64{parseID(occitanie), parseID(national)})
	if err != nil || want == 0 {
		t.Fatal(want, err)
	}
	count := b.get("/app/campaigns/count?list_ids=" + occitanie + "&list_ids=" + national + "&list_ids=" + occitanie)
	wantBody(t, count, `"count":`+itoa(uint64(want))+`,`)

	page := b.prepareSend(url.Values{"communique_id": {"1"}, "list_ids": {occitanie, national}, "subject": {"Sept mesures pour la santé"},
		"greeting": {storage.GreetingFormal}, "pitch": {"Voici le communiqué commun des pôles."}})
	draft := b.get(page)
	wantBody(t, draft, "Version texte", "Madame, Monsieur,\n\nVoici le communiqué commun des pôles.", `sandbox src="`+page+`/message.html"`,
		"<strong>"+itoa(uint64(want))+"</strong>")

	html := b.get(page + "/message.html")
	wantStatus(t, html, http.StatusOK)
	if csp := html.header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "frame-ancestors 'self'") {
		t.Fatalf("the message's CSP: %q", csp)
	}
	wantBody(t, html, ">Madame, Monsieur,</p>", "Voici le communiqué commun des pôles.")

	wantStatus(t, b.post(page+"/test", nil), http.StatusSeeOther)
	if subject := outboxSubject(t, s.outbox); subject != "[TEST] Sept mesures pour la santé" {
		t.Fatalf("the test message's subject: %q", subject)
	}

	confirm := b.get(page + "/send?when=now")
	wantStatus(t, confirm, http.StatusOK)
	wantBody(t, confirm, "vers <strong>"+itoa(uint64(want))+"&nbsp;destinataires</strong>", "Envoyer maintenant à "+itoa(uint64(want)))
	if v := campaignOf(t, s, page); v.Status != storage.CampaignDraft {
		t.Fatalf("nothing leaves before the confirmation: %s", v.Status)
	}
	wantStatus(t, b.post(page+"/start", nil), http.StatusSeeOther)
	v := campaignOf(t, s, page)
	if v.Status != storage.CampaignSending || v.ScheduledAt != nil {
		t.Fatalf("after the confirmation: %s", v.Status)
	}
	live := b.get(page)
	wantBody(t, live, "Envoi lancé.", `data-events="`+page+`/events"`, `<dd data-live="left">`+itoa(uint64(want))+`</dd>`, "Mettre en pause")

	wantStatus(t, b.post(page+"/pause", nil), http.StatusSeeOther)
	wantBody(t, b.get(page), "Envoi mis en pause.", ">Reprendre</button>")
	wantStatus(t, b.post(page+"/resume", nil), http.StatusSeeOther)
	if v := campaignOf(t, s, page); v.Status != storage.CampaignSending {
		t.Fatalf("resumed: %s", v.Status)
	}
	wantBody(t, b.get(page+"/cancel"), "Oui, annuler l’envoi")
	wantStatus(t, b.post(page+"/cancel", nil), http.StatusSeeOther)
	if v := campaignOf(t, s, page); v.Status != storage.CampaignCancelled {
		t.Fatalf("cancelled: %s", v.Status)
	}
}

func TestSendFormErrors(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	r := b.post("/app/campaigns", url.Values{"communique_id": {"1"}, "subject": {"Objet gardé"}, "greeting": {"salut"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	wantBody(t, r, `id="e-list_ids"`, "au moins une liste de diffusion", `id="e-greeting"`, `value="Objet gardé"`)
	wantStatus(t, b.get("/app/campaigns/new"), http.StatusNotFound) // no communiqué chosen

	page := b.prepareSend(url.Values{"communique_id": {"1"}, "list_ids": {s.listID("Presse Bretagne")}, "subject": {"S"}})
	past := b.get(page + "/send?when=later&at=2020-01-01T09:00")
	wantStatus(t, past, http.StatusUnprocessableEntity)
	wantBody(t, past, `id="e-at"`, "cette heure est passée", `value="2020-01-01T09:00"`)
	wantBody(t, b.get(page+"/send?when=later&at=demain"), "date et heure attendues")

	viewer := s.signIn(storage.RoleViewer)
	wantStatus(t, viewer.post(page+"/start", nil), http.StatusForbidden)
	if v := campaignOf(t, s, page); v.Status != storage.CampaignDraft {
		t.Fatalf("a viewer's forged start: %s", v.Status)
	}
}

func TestScheduleInParisTime(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	page := b.prepareSend(url.Values{"communique_id": {"1"}, "list_ids": {s.listID("Presse Bretagne")}, "subject": {"S"}})
	at := time.Now().In(typo.Paris()).Add(48 * time.Hour).Truncate(time.Minute)
	local := at.Format("2006-01-02T15:04")
	confirm := b.get(page + "/send?when=later&at=" + local)
	wantBody(t, confirm, "(heure de Paris)", `name="at" value="`+local+`"`, "Programmer l’envoi")
	wantStatus(t, b.post(page+"/start", url.Values{"at": {local}}), http.StatusSeeOther)
	v := campaignOf(t, s, page)
	if v.Status != storage.CampaignScheduled || v.ScheduledAt == nil || !v.ScheduledAt.Equal(at) {
		t.Fatalf("scheduled: %s at %v, want %v", v.Status, v.ScheduledAt, at)
	}
	wantBody(t, b.get(page), "Envoi programmé le ", "prévu le ")
}

// TestReportRetryAndExport: outcomes by status and region, the SMTP answer explained in
// French, a retry of the failures, the CSV for Excel, and the live events.
func TestReportRetryAndExport(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	page := b.prepareSend(url.Values{"communique_id": {"1"}, "list_ids": {s.listID("Presse Occitanie"), s.listID("Presse Bretagne")}, "subject": {"S"}})
	wantStatus(t, b.post(page+"/start", nil), http.StatusSeeOther)
	v := campaignOf(t, s, page)
	claimed, err := s.store.ClaimDeliveries(v.ID, 1000, time.Now())
	if err != nil || len(claimed) < 3 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	results := []storage.DeliveryResult{{DeliveryID: claimed[0].ID, Outcome: storage.OutcomeFailed, Error: "le serveur SMTP a répondu 550 5.1.1 User unknown", Bounced: true},
		{DeliveryID: claimed[1].ID, Outcome: storage.OutcomeFailed, Error: "le serveur SMTP a répondu 552 Mailbox full"}}
	for _, d := range claimed[2:] {
		results = append(results, storage.DeliveryResult{DeliveryID: d.ID, Outcome: storage.OutcomeSent})
	}
	if _, err := s.store.RecordResults(results); err != nil {
		t.Fatal(err)
	}

	report := b.get(page + "/report")
	wantStatus(t, report, http.StatusOK)
	wantBody(t, report, "Adresse inexistante chez son fournisseur (le serveur SMTP a répondu 550 5.1.1 User unknown).",
		"Boîte de réception pleine", `<svg viewBox="0 0 360`, "Occitanie\u00a0: ", "Bretagne\u00a0: ", `url(#p-failed)`,
		"Réessayer maintenant (2\u00a0envois en échec ou en attente)")
	failed := b.get(page + "/report?status=failed")
	if n := strings.Count(failed.body, `<span class="badge failed">`); n != 2 {
		t.Fatalf("%d failures listed, want 2", n)
	}
	bretagne := b.get(page + "/report?region=Bretagne")
	if strings.Contains(bretagne.body, ">Occitanie</td>") {
		t.Fatal("the region filter keeps Occitanie")
	}

	csv := b.get(page + "/report.csv?status=failed")
	if !strings.HasPrefix(csv.body, "\uFEFFNom;Adresse;Régions;Résultat;Erreur;Tentatives;Date\r\n") || strings.Count(csv.body, "\r\n") != 3 ||
		!strings.Contains(csv.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV:\n%s", csv.body)
	}

	done := b.get(page + "/events")
	if !strings.HasPrefix(done.body, "event: done\ndata: {") || !strings.Contains(done.body, `"percent":100`) {
		t.Fatalf("events of a finished send: %q", done.body)
	}

	viewer := s.signIn(storage.RoleViewer)
	wantStatus(t, viewer.post(page+"/retry", nil), http.StatusForbidden)
	wantStatus(t, b.post(page+"/retry", nil), http.StatusSeeOther)
	wantBody(t, b.get(page), "Nouvel essai lancé pour 1\u00a0destinataire.") // the unknown address is not retried
	if v := campaignOf(t, s, page); v.Status != storage.CampaignSending {
		t.Fatalf("after the retry: %s", v.Status)
	}
	contact := b.get("/app/contacts/" + itoa(claimed[1].ContactID))
	wantBody(t, contact, `href="`+page+`/report"`, "en attente")
	wantBody(t, b.get("/app"), `href="`+page+`"`)
}

func parseID(s string) uint64 {
	n, _ := strconv.ParseUint(s, 10, 64)
	return n
}

func campaignOf(t *testing.T, s *site, page string) *storage.Campaign {
	t.Helper()
	v, err := storage.Get[storage.Campaign](s.store, parseID(strings.TrimPrefix(page, "/app/campaigns/")))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// outboxSubject decodes the subject of the one message in the outbox.
func outboxSubject(t *testing.T, dir string) string {
	t.Helper()
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Fatalf("%d messages in the outbox, want 1", len(files))
	}
	f, err := os.Open(filepath.Join(dir, files[0].Name()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	return subject
}

// campaignPages are the Sending section's pages, for the HTML checker: a draft with its
// message, the confirmation, a send under way, its report and the form with its errors.
func campaignPages(t *testing.T, s *site, b *browser) map[string]string {
	t.Helper()
	page := b.prepareSend(url.Values{"communique_id": {"1"}, "list_ids": {s.listID("Presse Occitanie")}, "subject": {"S"}})
	out := map[string]string{
		"campaign-new": b.get("/app/campaigns/new?communique=1").body, "campaign-draft": b.get(page).body,
		"campaign-send": b.get(page + "/send?when=now").body, "campaign-edit": b.get(page + "/edit").body,
		"campaign-errors": b.post("/app/campaigns", url.Values{"communique_id": {"1"}}).body,
		"campaign-at":     b.get(page + "/send?when=later&at=hier").body,
	}
	b.post(page+"/start", nil)
	v := campaignOf(t, s, page)
	claimed, _ := s.store.ClaimDeliveries(v.ID, 1, time.Now())
	s.store.RecordResults([]storage.DeliveryResult{{DeliveryID: claimed[0].ID, Outcome: storage.OutcomeFailed, Error: "le serveur SMTP a répondu 451 4.7.1 Try later"}})
	out["campaign-live"], out["campaign-report"] = b.get(page).body, b.get(page+"/report").body
	out["campaign-cancel"], out["campaigns"] = b.get(page+"/cancel").body, b.get("/app/campaigns").body
	return out
}

// TestDashboardLinksDrafts: a draft awaiting approval on the dashboard opens in the
// composer, where the approvals are recorded.
func TestDashboardLinksDrafts(t *testing.T) {
	s := demoSite(t)
	b := s.signIn(storage.RoleEditor)
	wantBody(t, b.get("/app"), `<a href="/app/communiques/2"><strong>La santé, un secteur`)
}
