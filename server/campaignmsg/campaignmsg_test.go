package campaignmsg_test

import (
	"bytes"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"portevoix/server/campaignmsg"
	"portevoix/server/mailer"
	"portevoix/server/mailer/mailtest"
	"portevoix/storage"
	"portevoix/storage/demo"
	"portevoix/storage/logotest"
	"portevoix/templates/pdf"
	"portevoix/templates/typo"
)

// seed001ID is demo.Load's published seed-001 communiqué.
const seed001ID = 1

const baseURL = "https://presse.example.org"

// loadTime is when the demo is loaded; the composer's clock is a day later.
var loadTime = time.Date(2020, 5, 11, 9, 0, 0, 0, time.UTC)

// fixture is the demo base, with a composer that sends nothing.
type fixture struct {
	store    *storage.Store
	composer *campaignmsg.Composer
	listID   uint64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	store, err := storage.Open(t.TempDir(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if _, err := demo.Load(store, loadTime); err != nil {
		t.Fatal(err)
	}
	renderer, err := pdf.New()
	if err != nil {
		t.Fatal(err)
	}
	lists, err := storage.Find[storage.List](store, storage.ListOptions{Limit: 1}, nil)
	if err != nil || len(lists.Items) == 0 {
		t.Fatalf("no demo list (%v)", err)
	}
	return &fixture{store: store, listID: lists.Items[0].ID, composer: &campaignmsg.Composer{
		Store: store, PDF: renderer, Now: func() time.Time { return loadTime.Add(24 * time.Hour) },
		From: "Pôles Santé en Réseau <presse@porte-voix.example.org>", BaseURL: baseURL + "/",
		Unsubscribe: func(id uint64) string { return baseURL + "/unsubscribe/tok" + strconv.FormatUint(id, 10) },
	}}
}

// logoSizes are the co-signers' logos, of the shapes pôles upload: wide, square, tall.
var logoSizes = [][2]int{{300, 100}, {200, 200}, {400, 120}, {160, 90}, {500, 100}, {120, 160}}

// draftWithLogos copies seed 001 as a draft, after giving each pôle a logo.
func (f *fixture) draftWithLogos(t *testing.T) *storage.Communique {
	t.Helper()
	seed, err := storage.Get[storage.Communique](f.store, seed001ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range seed.PoleIDs {
		size := logoSizes[i%len(logoSizes)]
		if _, err := f.store.SetPoleLogo("test", id, logotest.PNG(t, logotest.Image(size[0], size[1], i%2 == 0))); err != nil {
			t.Fatal(err)
		}
	}
	draft := *seed
	draft.ID, draft.Slug = 0, "copie-avec-logos"
	if err := storage.Create(f.store, "test", &draft); err != nil {
		t.Fatal(err)
	}
	return &draft
}

// message builds the message of communiqué id's campaign for one journalist.
func (f *fixture) message(t *testing.T, id uint64) []byte {
	t.Helper()
	c := &storage.Campaign{CommuniqueID: id, ListIDs: []uint64{f.listID}, Subject: "Santé : sept propositions des pôles",
		Pitch: "Vous trouverez ci-dessous le communiqué commun des pôles, et sa version PDF en pièce jointe."}
	msg, err := f.composer.Prepare(c)
	if err != nil {
		t.Fatal(err)
	}
	data, err := msg.Build(mailer.Recipient{Email: "helene.lefevre@example.org", FirstName: "Hélène", LastName: "Lefèvre",
		Source: "annuaire 2020", UnsubscribeURL: baseURL + "/unsubscribe/tok1", MessageID: "<1.1.test@porte-voix.example.org>"})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// part is one leaf of a message, decoded.
type part struct {
	header mail.Header
	body   []byte
}

// parsed is a message read back with net/mail and mime/multipart.
type parsed struct {
	header mail.Header
	tree   string          // "type[child child]"
	leaves map[string]part // by media type; images by "cid:" and Content-ID
}

func parse(t *testing.T, msg []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{header: m.Header, leaves: map[string]part{}}
	p.tree = p.walk(t, mail.Header{"Content-Type": {m.Header.Get("Content-Type")}}, m.Body)
	return p
}

func (p parsed) walk(t *testing.T, h mail.Header, body io.Reader) string {
	t.Helper()
	return mailtest.Walk(t, h, body, func(mt string, h mail.Header, body io.Reader) {
		key := mt
		if strings.HasPrefix(mt, "image/") {
			key = "cid:" + strings.Trim(h.Get("Content-Id"), "<>")
		}
		if _, dup := p.leaves[key]; dup {
			t.Fatalf("two parts %s", key)
		}
		p.leaves[key] = part{header: h, body: mailtest.Decode(t, h.Get("Content-Transfer-Encoding"), body)}
	})
}

var cidURL = regexp.MustCompile(`src="cid:([^"]+)"`)

// TestMessageStructure reads a campaign message of a communiqué with six logos back with a
// real parser: the logos are inline parts of the HTML's multipart/related, each shown by
// its Content-ID with a « Logo de … » text, and the PDF is attached beside them.
func TestMessageStructure(t *testing.T) {
	f := newFixture(t)
	draft := f.draftWithLogos(t)
	m := parse(t, f.message(t, draft.ID))
	want := "multipart/mixed[multipart/alternative[text/plain multipart/related[text/html" +
		strings.Repeat(" image/png", len(draft.PoleIDs)) + "]] application/pdf]"
	if m.tree != want {
		t.Fatalf("structure\n%s\nwant\n%s", m.tree, want)
	}
	htm := string(m.leaves["text/html"].body)
	refs := cidURL.FindAllStringSubmatch(htm, -1)
	if len(refs) != len(draft.PoleIDs) {
		t.Fatalf("the HTML shows %d cid: images, want one per co-signer (%d)", len(refs), len(draft.PoleIDs))
	}
	for _, ref := range refs {
		p, ok := m.leaves["cid:"+ref[1]]
		if !ok || !bytes.HasPrefix(p.body, []byte("\x89PNG")) {
			t.Errorf("cid:%s names no PNG part", ref[1])
		}
	}
	for _, alt := range []string{"Logo d’Atlanpole Biotherapies", "Logo de BioValley France", "Logo d’Eurobiomed", "Logo de Medicen Paris Region"} {
		if !strings.Contains(htm, `alt="`+alt+`"`) {
			t.Errorf("no image described as %q", alt)
		}
	}
	if strings.Contains(htm, "data:") || strings.Contains(htm, "<style") {
		t.Error("the HTML holds a data: URL or a <style> block")
	}
	pdfPart := m.leaves["application/pdf"]
	if d, params, _ := mime.ParseMediaType(pdfPart.header.Get("Content-Disposition")); d != "attachment" ||
		params["filename"] != draft.Slug+".pdf" || !bytes.HasPrefix(pdfPart.body, []byte("%PDF-")) {
		t.Errorf("PDF part %q, %d bytes", pdfPart.header.Get("Content-Disposition"), len(pdfPart.body))
	}
}

// TestReplyToEveryPressContact: a journalist's answer goes to every press contact the
// communiqué names, not only the first (the seed names seven, for six pôles).
func TestReplyToEveryPressContact(t *testing.T) {
	f := newFixture(t)
	m := parse(t, f.message(t, seed001ID))
	reply, err := m.header.AddressList("Reply-To")
	if err != nil {
		t.Fatalf("Reply-To %q: %v", m.header.Get("Reply-To"), err)
	}
	seed, _ := storage.Get[storage.Communique](f.store, seed001ID)
	if len(reply) != len(seed.ContactIDs) {
		t.Fatalf("Reply-To names %d addresses, want the %d press contacts: %v", len(reply), len(seed.ContactIDs), reply)
	}
	for i, id := range seed.ContactIDs {
		c, _ := storage.Get[storage.Contact](f.store, id)
		if reply[i].Address != c.Email || reply[i].Name != c.FullName() {
			t.Errorf("Reply-To %d = %v, want %s <%s>", i, reply[i], c.FullName(), c.Email)
		}
	}
}

// TestOnlineLink: « Voir en ligne » links the newsroom page of a communiqué the public can
// read, by an absolute URL, and nothing while it is a draft or once it is withdrawn.
func TestOnlineLink(t *testing.T) {
	f := newFixture(t)
	seed, _ := storage.Get[storage.Communique](f.store, seed001ID)
	link := `<a href="` + baseURL + "/presse/" + seed.Slug + `" style="color:#1d4f91;text-decoration:underline;">Voir en ligne</a>`
	if htm := string(parse(t, f.message(t, seed001ID)).leaves["text/html"].body); !strings.Contains(htm, link) {
		t.Errorf("the published communiqué's message lacks %s", link)
	}
	draft := f.draftWithLogos(t)
	if htm := string(parse(t, f.message(t, draft.ID)).leaves["text/html"].body); strings.Contains(htm, "Voir en ligne") {
		t.Error("a draft's message links a page that does not exist")
	}
	if _, err := f.store.WithdrawCommunique("test", seed001ID, "Chiffre erroné."); err != nil {
		t.Fatal(err)
	}
	if htm := string(parse(t, f.message(t, seed001ID)).leaves["text/html"].body); strings.Contains(htm, "Voir en ligne") {
		t.Error("a withdrawn communiqué's message links its page, which is gone")
	}
}

// TestPreheader: the inbox's preview line is the start of the lede, hidden in the message.
func TestPreheader(t *testing.T) {
	f := newFixture(t)
	htm := string(parse(t, f.message(t, seed001ID)).leaves["text/html"].body)
	hidden := regexp.MustCompile(`<body[^>]*>\r?\n<div style="display:none;[^"]*">([^<]+)</div>`).FindStringSubmatch(htm)
	if hidden == nil {
		t.Fatalf("no hidden preheader first in the body:\n%.600s", htm)
	}
	seed, _ := storage.Get[storage.Communique](f.store, seed001ID)
	lede := strings.Join(strings.Fields(typo.Text(seed.Lede)), " ")
	words, cut := strings.CutSuffix(hidden[1], "…")
	if !cut || !strings.HasPrefix(lede, words+" ") || len([]rune(words)) > 120 || len([]rune(words)) < 80 {
		t.Errorf("preheader %q, want the lede's first words, about 120 characters: %q", hidden[1], lede)
	}
}

// TestSpamAssassin: the message with six inline logos and seven Reply-To addresses scores
// at most 1.0 on SpamAssassin's local rules.
func TestSpamAssassin(t *testing.T) {
	f := newFixture(t)
	mailtest.CheckSpamScore(t, f.message(t, f.draftWithLogos(t).ID))
}
