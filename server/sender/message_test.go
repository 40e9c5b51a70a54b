package sender_test

import (
	"os/exec"
	"strings"
	"testing"
	"time"

	"portevoix/server/mailer/smtptest"
	"portevoix/server/unsubscribe"
	"portevoix/storage"
)

// TestEveryRecipientGetsOneMessage sends the seed-001 communiqué to every demo list and
// reads each message back as a journalist's mail client would.
func TestEveryRecipientGetsOneMessage(t *testing.T) {
	ms := smtptest.Start(t, nil)
	f := newFixture(t, ms)
	lists := f.allLists()
	want := f.recipients(lists...)
	c := f.campaign(seed001ID, lists...)
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	stop()

	got := ms.PerRecipient()
	t.Logf("%d recipients, %d messages", len(want), ms.Count())
	if len(got) != len(want) {
		t.Errorf("%d recipients got mail, want %d", len(got), len(want))
	}
	for email := range want {
		if got[email] != 1 {
			t.Errorf("%s got %d messages, want 1", email, got[email])
		}
	}
	deliveries := f.deliveries(c.ID)
	ids := map[string]bool{}
	checkedPDF := false
	for _, r := range ms.Received() {
		contact, ok := want[r.To]
		if !ok {
			t.Errorf("message to %s, who is on no list", r.To)
			continue
		}
		m := parse(t, r.Data)
		d := deliveries[r.To]
		checkMessage(t, f, m, contact, d)
		if id := m.Header.Get("Message-ID"); ids[id] {
			t.Errorf("Message-ID %s used twice", id)
		} else {
			ids[id] = true
		}
		if !checkedPDF {
			checkPDF(t, m)
			checkedPDF = true
		}
	}
	for email, d := range deliveries {
		if d.Status != storage.DeliverySent || d.Attempts != 1 || d.At == nil {
			t.Errorf("%s: delivery %+v, want sent at the first attempt", email, d)
		}
	}
}

// checkMessage checks one message against its contact and delivery.
func checkMessage(t *testing.T, f *fixture, m parsed, c storage.Contact, d storage.Delivery) {
	t.Helper()
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != c.Email {
		t.Errorf("To = %q (%v), want %s alone", m.Header.Get("To"), err, c.Email)
	}
	if id := m.Header.Get("Message-ID"); id == "" || id != d.MessageID {
		t.Errorf("%s: Message-ID %q, delivery records %q", c.Email, id, d.MessageID)
	}
	raw := m.Header.Get("Subject")
	if !strings.HasPrefix(raw, "=?utf-8?") && !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Errorf("Subject %q is not RFC 2047 encoded", raw)
	}
	if s := decodeHeader(t, raw); s != "Santé : les pôles proposent sept mesures pour l’industrie" {
		t.Errorf("Subject decodes to %q", s)
	}
	checkUnsubscribe(t, f, m, c)
	if id := decodeHeader(t, m.Header.Get("List-Id")); !strings.HasPrefix(id, `"Presse nationale santé" <liste-`) && !strings.HasPrefix(id, `Presse nationale santé <liste-`) {
		t.Errorf("List-Id = %q, want the first list named", id)
	}
	reply, err := m.Header.AddressList("Reply-To")
	var names []string
	for _, a := range reply {
		names = append(names, a.Name+" <"+a.Address+">")
	}
	if want := "Pascale Barto <pascale.barto@example.org>, Julie Fend <julie.fend@example.org>, Julia Plaia <julia.plaia@example.org>, " +
		"Caroline Carmagnol <caroline.carmagnol@example.org>, Najette Chaib <najette.chaib@example.org>, " +
		"Mélanie Da Rui <melanie.darui@example.org>, Alain Khemili <alain.khemili@example.org>"; err != nil || strings.Join(names, ", ") != want {
		t.Errorf("Reply-To = %q (%v), want every press contact of the communiqué:\n%s", m.Header.Get("Reply-To"), err, want)
	}
	greeting := "Madame, Monsieur,"
	if c.FirstName != "" {
		greeting = "Bonjour " + c.FirstName + ","
	}
	footer := "Votre adresse provient de\u00a0: " + strings.TrimRight(c.Source, ".") + "."
	for name, body := range map[string]string{"text": m.Text, "html": m.HTML} {
		if !strings.Contains(body, greeting) {
			t.Errorf("%s: %s part lacks %q", c.Email, name, greeting)
		}
		if !strings.Contains(body, footer) {
			t.Errorf("%s: %s part lacks the footer %q", c.Email, name, footer)
		}
		if !strings.Contains(body, "Pour ne plus recevoir nos envois") {
			t.Errorf("%s: %s part lacks the unsubscribe line", c.Email, name)
		}
	}
	if len(m.PDFs) != 1 {
		t.Errorf("%s: %d PDF parts, want 1", c.Email, len(m.PDFs))
	}
}

// checkUnsubscribe checks the RFC 8058 headers and that the link is this contact's.
func checkUnsubscribe(t *testing.T, f *fixture, m parsed, c storage.Contact) {
	t.Helper()
	if v := m.Header.Get("List-Unsubscribe-Post"); v != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", v)
	}
	link := strings.Trim(m.Header.Get("List-Unsubscribe"), "<>")
	token, ok := strings.CutPrefix(link, baseURL+"/unsubscribe/")
	if !ok {
		t.Errorf("List-Unsubscribe = %q, want a link under %s", link, baseURL)
		return
	}
	id, err := unsubscribe.Verify(f.secret, token)
	if err != nil || id != c.ID {
		t.Errorf("unsubscribe token of %s verifies to %d (%v), want %d", c.Email, id, err, c.ID)
	}
}

// checkPDF reads the attachment with pdftotext when it is installed.
func checkPDF(t *testing.T, m parsed) {
	t.Helper()
	if len(m.PDFs) == 0 {
		return
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed (poppler-utils): the PDF's text is not checked")
		return
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = strings.NewReader(string(m.PDFs[0]))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Contacts presse", "Pascale Barto"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}

// TestEmbargoedCommunique: the subject and the top of both bodies say until when.
func TestEmbargoedCommunique(t *testing.T) {
	ms := smtptest.Start(t, nil)
	f := newFixture(t, ms)
	id := embargoedCopy(t, f, time.Now().Add(48*time.Hour))
	c := f.campaign(id, "Presse Bretagne")
	_, stop := f.run(f.config())
	f.wait(c.ID, storage.CampaignDone, 30*time.Second)
	stop()
	got := ms.Received()
	if len(got) == 0 {
		t.Fatal("no message")
	}
	for _, r := range got {
		m := parse(t, r.Data)
		if s := decodeHeader(t, m.Header.Get("Subject")); !strings.HasPrefix(s, "[EMBARGO jusqu’au ") {
			t.Errorf("Subject %q does not announce the embargo", s)
		}
		if !strings.HasPrefix(m.Text, "Sous embargo jusqu’au ") {
			t.Errorf("the text part starts with %.80q, want the embargo notice", m.Text)
		}
		if !strings.Contains(m.HTML, "Sous embargo jusqu’au ") {
			t.Error("the HTML part lacks the embargo notice")
		}
	}
}

// embargoedCopy creates seed 001 again under embargo and has every co-signer approve it.
func embargoedCopy(t *testing.T, f *fixture, until time.Time) uint64 {
	t.Helper()
	orig, err := storage.Get[storage.Communique](f.store, seed001ID)
	if err != nil {
		t.Fatal(err)
	}
	c := *orig
	c.ID, c.Slug, c.EmbargoUntil = 0, orig.Slug+"-embargo", &until
	if err := storage.Create(f.store, "test", &c); err != nil {
		t.Fatal(err)
	}
	for _, pole := range c.PoleIDs {
		if _, err := f.store.ApproveCommunique("test", c.ID, pole); err != nil {
			t.Fatal(err)
		}
	}
	return c.ID
}
