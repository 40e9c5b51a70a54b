package mailer

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jordan-wright/email"

	"portevoix/server/mailer/mailtest"
	"portevoix/storage"
)

// leaf is one decoded MIME leaf part.
type leaf struct {
	header map[string][]string
	raw    []byte // as transmitted
	body   []byte // decoded
}

// MustParse reads a message and its leaf parts, by media type, images by "cid:" and their
// Content-ID.
func MustParse(tb testing.TB, msg []byte) (*mail.Message, map[string]leaf) {
	tb.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		tb.Fatal(err)
	}
	leaves := map[string]leaf{}
	mailtest.Walk(tb, m.Header, m.Body, func(mt string, h mail.Header, body io.Reader) {
		raw, _ := io.ReadAll(body)
		if strings.HasPrefix(mt, "image/") {
			mt = "cid:" + strings.Trim(h.Get("Content-Id"), "<>")
		}
		if _, dup := leaves[mt]; dup {
			tb.Fatalf("two %s parts", mt)
		}
		leaves[mt] = leaf{header: h, raw: raw, body: mailtest.Decode(tb, h.Get("Content-Transfer-Encoding"), bytes.NewReader(raw))}
	})
	return m, leaves
}

func TestBuild(t *testing.T) {
	content := testContent(t, 100_000)
	c := MustCampaign(t, 100_000)
	r := testRecipient(3)
	msg := MustBuild(t, c, 3)
	m, parts := MustParse(t, msg)

	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != r.Email || to[0].Name != "Hélène Lefèvre" {
		t.Fatalf("To = %v, %v; want only %s", to, err, r.Email)
	}
	for _, h := range []string{"Cc", "Bcc"} {
		if v := m.Header.Get(h); v != "" {
			t.Errorf("%s = %q, want none", h, v)
		}
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if want := "[EMBARGO jusqu’au 12 mai 2020, 10 h 00] " + content.Subject; err != nil || subject != want {
		t.Errorf("Subject = %q (%v), want %q", subject, err, want)
	}
	from, _ := m.Header.AddressList("From")
	reply, _ := m.Header.AddressList("Reply-To")
	if len(from) != 1 || from[0].Name != "Pôles Santé en Réseau" {
		t.Errorf("From = %v", from)
	}
	if len(reply) != 2 || reply[0].Name != "Claire Dupré" || reply[0].Address != "claire.dupre@example.org" ||
		reply[1].Name != "Jean-Loïc Le Bihan, Eurobiomed" || reply[1].Address != "jl.lebihan@example.com" {
		t.Errorf("Reply-To = %v, want both press contacts with their names", reply)
	}
	if d, err := m.Header.Date(); err != nil || !d.Equal(content.Now()) {
		t.Errorf("Date = %v (%v)", d, err)
	}
	want := map[string]string{
		"Message-Id":            r.MessageID,
		"List-Id":               `"Presse Occitanie" <liste-12.porte-voix.example.org>`,
		"List-Unsubscribe":      "<" + r.UnsubscribeURL + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Mime-Version":          "1.0",
	}
	for h, v := range want {
		if got := m.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
	checkBodies(t, parts, r)
	checkPDF(t, parts["application/pdf"], content.PDF)
}

// checkBodies checks the text and HTML alternatives: greeting, embargo first, footer.
func checkBodies(t *testing.T, parts map[string]leaf, r Recipient) {
	t.Helper()
	text, htm := string(parts["text/plain"].body), string(parts["text/html"].body)
	if !strings.HasPrefix(text, "Sous embargo jusqu’au 12 mai 2020, 10 h 00") {
		t.Errorf("text does not open with the embargo notice: %.80q", text)
	}
	for _, s := range []string{"Bonjour Hélène,", "sept mesures", "provient de\u00a0: " + r.Source + ".", r.UnsubscribeURL} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	for _, s := range []string{"<!DOCTYPE html>", `<html lang="fr">`, ">Bonjour Hélène,</p>", "Sous embargo", `href="` + r.UnsubscribeURL + `"`, r.Source, "</html>"} {
		if !strings.Contains(htm, s) {
			t.Errorf("HTML lacks %q", s)
		}
	}
	if ct := parts["text/plain"].header["Content-Type"]; len(ct) != 1 || ct[0] != "text/plain; charset=UTF-8" {
		t.Errorf("text Content-Type = %q", ct)
	}
}

// checkPDF checks the attachment: base64 in lines of 76, the same bytes, readable.
func checkPDF(t *testing.T, p leaf, pdf []byte) {
	t.Helper()
	if !bytes.Equal(p.body, pdf) {
		t.Fatalf("attachment decodes to %d bytes, want the %d of the PDF", len(p.body), len(pdf))
	}
	lines := strings.Split(strings.TrimSuffix(string(p.raw), "\r\n"), "\r\n")
	for i, l := range lines[:len(lines)-1] {
		if len(l) != 76 {
			t.Fatalf("base64 line %d has %d characters, want 76", i, len(l))
		}
	}
	_, params, _ := mime.ParseMediaType(p.header["Content-Disposition"][0])
	if params["filename"] != "communiqué-pôles-santé.pdf" {
		t.Errorf("filename = %q", params["filename"])
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext absent: not reading the attachment back")
		return
	}
	path := filepath.Join(t.TempDir(), "a.pdf")
	os.WriteFile(path, p.body, 0o600)
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil || !strings.Contains(string(out), "Communique de presse") {
		t.Errorf("pdftotext: %q, %v", out, err)
	}
}

func TestBuildWithoutNameOrEmbargo(t *testing.T) {
	content := testContent(t, 2000)
	content.Embargo = ""
	c, err := NewCampaign(content)
	if err != nil {
		t.Fatal(err)
	}
	r := testRecipient(1)
	r.FirstName, r.LastName, r.Source = "", " ", ""
	msg, err := c.Build(r)
	if err != nil {
		t.Fatal(err)
	}
	m, parts := MustParse(t, msg)
	if to, _ := m.Header.AddressList("To"); len(to) != 1 || to[0].Name != "" {
		t.Errorf("To = %v", to)
	}
	if s := m.Header.Get("Subject"); strings.Contains(s, "EMBARGO") {
		t.Errorf("Subject = %q, want no embargo", s)
	}
	text := string(parts["text/plain"].body)
	if !strings.HasPrefix(text, "Madame, Monsieur,") || strings.Contains(text, "embargo") {
		t.Errorf("text = %.80q, want the formal greeting first and no embargo", text)
	}
	if !strings.Contains(text, "Votre adresse figure dans notre fichier de contacts presse.") {
		t.Error("footer does not say where the address came from")
	}
}

// TestBuildMatchesJordanWright checks that splicing the personal lines into the skeleton
// gives exactly the parts jordan-wright/email writes for the whole personalised message.
func TestBuildMatchesJordanWright(t *testing.T) {
	content := testContent(t, 5000)
	c := MustCampaign(t, 5000)
	r := testRecipient(2)
	_, ours := MustParse(t, MustBuild(t, c, 2))

	e := email.NewEmail()
	e.From = content.From
	e.Text = []byte(strings.NewReplacer("TG", greeting("", r.FirstName), "TF", c.textFooter(r.Source, r.UnsubscribeURL)).Replace(textBody(content, "TG", "TF")))
	e.HTML = []byte(strings.NewReplacer("HG", htmlGreeting("Bonjour Hélène,"), "HF", c.htmlFooter(r.Source, r.UnsubscribeURL)).Replace(htmlBody(content, "HG", "HF")))
	for _, im := range content.Images {
		a, _ := e.Attach(bytes.NewReader(im.Data), im.FileName, im.Type)
		a.HTMLRelated = true
		a.Header.Set("Content-ID", "<"+im.ContentID+">")
	}
	e.Attach(bytes.NewReader(content.PDF), "x.pdf", "application/pdf")
	raw, err := e.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	_, theirs := MustParse(t, raw)
	for _, mt := range []string{"text/plain", "text/html", "application/pdf", "cid:logo1@porte-voix.example.org", "cid:logo2@porte-voix.example.org"} {
		if !bytes.Equal(ours[mt].raw, theirs[mt].raw) {
			t.Errorf("%s part differs from jordan-wright's:\n%s\n---\n%s", mt, ours[mt].raw, theirs[mt].raw)
		}
	}
}

func TestBuildHeadersFolded(t *testing.T) {
	content := testContent(t, 1000)
	content.Subject = strings.Repeat("Très long objet sans fin ", 12)
	c, err := NewCampaign(content)
	if err != nil {
		t.Fatal(err)
	}
	msg := MustBuild(t, c, 1)
	head, _, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	for _, l := range strings.Split(string(head), "\r\n") {
		if len(l) > 78 && !strings.HasPrefix(l, "List-Unsubscribe:") {
			t.Errorf("header line of %d characters: %q", len(l), l)
		}
	}
	m, _ := mail.ReadMessage(bytes.NewReader(msg))
	var dec mime.WordDecoder
	if s, _ := dec.DecodeHeader(m.Header.Get("Subject")); !strings.HasSuffix(s, content.Subject) {
		t.Errorf("Subject unfolds to %q", s)
	}
}

func TestNewCampaignRejectsHeaderInjection(t *testing.T) {
	for name, mutate := range map[string]func(*Content){
		"Subject":   func(c *Content) { c.Subject = "Bonjour\r\nBcc: victime@example.com" },
		"From":      func(c *Content) { c.From = "Presse <presse@example.org>\nBcc: victime@example.com" },
		"ReplyTo":   func(c *Content) { c.ReplyTo[1] = "Claire\r <claire@example.org>" },
		"ImageCID":  func(c *Content) { c.Images[0].ContentID = "logo 1@example.org" },
		"ImageCRLF": func(c *Content) { c.Images[0].FileName = "logo.png\r\nBcc: victime@example.com" },
		"ImageType": func(c *Content) { c.Images[0].Type = "text/html" },
		"WebURL":    func(c *Content) { c.WebURL = "javascript:alert(1)" },
		"FromIDN":   func(c *Content) { c.From = "Presse <presse@exämple.org>" },
		"ListName":  func(c *Content) { c.ListName = "Presse\nX-Injected: 1" },
		"Embargo":   func(c *Content) { c.Embargo = "12 mai\r\n" },
		"PDFName":   func(c *Content) { c.PDFName = "a\x00.pdf" },
		"Latin1":    func(c *Content) { c.Subject = "Sant\xe9" },
	} {
		t.Run(name, func(t *testing.T) {
			content := testContent(t, 1000)
			mutate(&content)
			_, err := NewCampaign(content)
			if storage.ErrorCode(err) != storage.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
}

func TestBuildRejectsHeaderInjection(t *testing.T) {
	c := MustCampaign(t, 1000)
	for name, mutate := range map[string]func(*Recipient){
		"Email":          func(r *Recipient) { r.Email = "a@example.com\r\nBcc: victime@example.com" },
		"EmailNonASCII":  func(r *Recipient) { r.Email = "hélène@example.com" },
		"EmailWithName":  func(r *Recipient) { r.Email = "Autre <autre@example.com>" },
		"EmailBadDomain": func(r *Recipient) { r.Email = "a@-b.org" },
		"FirstName":      func(r *Recipient) { r.FirstName = "Hélène\nBcc: victime@example.com" },
		"LastName":       func(r *Recipient) { r.LastName = "Lefèvre\x7f" },
		"MessageID":      func(r *Recipient) { r.MessageID = "<a@b>\r\nBcc: victime@example.com" },
		"MessageIDShape": func(r *Recipient) { r.MessageID = "a@b" },
		"Unsubscribe":    func(r *Recipient) { r.UnsubscribeURL = "https://example.org/u\r\nBcc: x" },
		"UnsubscribeFTP": func(r *Recipient) { r.UnsubscribeURL = "ftp://example.org/u" },
	} {
		t.Run(name, func(t *testing.T) {
			r := testRecipient(1)
			mutate(&r)
			msg, err := c.Build(r)
			var e *storage.Error
			if !errors.As(err, &e) || e.Code != storage.EINVALID || msg != nil {
				t.Fatalf("err = %v, want EINVALID and no message", err)
			}
		})
	}
}

func TestMessageID(t *testing.T) {
	a := MessageID(7, 42, "porte-voix.example.org", []byte("k"))
	if !regexp.MustCompile(`^<7\.42\.[a-z2-7]{16}@porte-voix\.example\.org>$`).MatchString(a) {
		t.Fatalf("MessageID = %q", a)
	}
	if b := MessageID(7, 42, "porte-voix.example.org", []byte("k")); b != a {
		t.Errorf("not stable: %q then %q", a, b)
	}
	for _, other := range []string{MessageID(7, 43, "porte-voix.example.org", []byte("k")), MessageID(7, 42, "porte-voix.example.org", []byte("l"))} {
		if other[len("<7.42."):] == a[len("<7.42."):] {
			t.Errorf("%q and %q share a tag", a, other)
		}
	}
	if err := checkMessageID(a); err != nil {
		t.Error(err)
	}
}

// TestSpamAssassin checks that a campaign message scores at most 1.0 on SpamAssassin's
// local rules.
func TestSpamAssassin(t *testing.T) {
	mailtest.CheckSpamScore(t, MustBuild(t, MustCampaign(t, 100_000), 1))
}

func TestAddressRoundTrip(t *testing.T) {
	for _, name := range []string{"Hélène Lefèvre", `Jean "JJ" Dupont \ fils`, "Dupont, Pat", "", strings.Repeat("Éloïse-Anaïs ", 9)} {
		var b bytes.Buffer
		writeHeader(&b, "Reply-To", address(&mail.Address{Name: name, Address: "a@example.org"}))
		m, err := mail.ReadMessage(io.MultiReader(&b, strings.NewReader("\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Header.AddressList("Reply-To")
		if err != nil || len(got) != 1 || got[0].Name != name || got[0].Address != "a@example.org" {
			t.Errorf("%q came back as %v (%v) from %q", name, got, err, b.String())
		}
	}
}

func TestAppendReusesBuffer(t *testing.T) {
	c := MustCampaign(t, 3000)
	buf, err := c.Append(nil, testRecipient(1))
	if err != nil {
		t.Fatal(err)
	}
	buf, err = c.Append(buf[:0], testRecipient(2))
	if err != nil || !bytes.Equal(buf, MustBuild(t, c, 2)) {
		t.Fatalf("Append into a used buffer differs from Build (%v)", err)
	}
}

// TestEncodedWordLookalikes: text that looks like an RFC 2047 encoded word is encoded
// itself, so that a mail reader shows it as written, not as the name it decodes to.
func TestEncodedWordLookalikes(t *testing.T) {
	dec := new(mime.WordDecoder)
	for _, name := range []string{"=?UTF-8?B?QWRtaW4=?=", "Jean =?utf-8?q?Service_presse?= Dupont", "=?", "a=?b?="} {
		var b bytes.Buffer
		writeHeader(&b, "To", address(&mail.Address{Name: name, Address: "a@example.org"}))
		m, err := mail.ReadMessage(io.MultiReader(&b, strings.NewReader("\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		raw := m.Header.Get("To")
		if shown, err := dec.DecodeHeader(raw); err != nil || shown != name+" <a@example.org>" {
			t.Errorf("%q is shown as %q (%v) from %q", name, shown, err, raw)
		}
		if got, err := m.Header.AddressList("To"); err != nil || len(got) != 1 || got[0].Name != name {
			t.Errorf("%q came back as %v (%v) from %q", name, got, err, raw)
		}
		if shown, err := dec.DecodeHeader(encodeText(name)); err != nil || shown != name {
			t.Errorf("subject %q is shown as %q (%v)", name, shown, err)
		}
	}
}

// mimeTree reads a message back with net/mail and mime/multipart and returns its structure,
// as "type[child child]".
func mimeTree(tb testing.TB, msg []byte) string {
	tb.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(msg))
	if err != nil {
		tb.Fatal(err)
	}
	return mailtest.Walk(tb, m.Header, m.Body, nil)
}

var cidURL = regexp.MustCompile(`src="cid:([^"]+)"`)

// TestMIMEStructure: the HTML part and the logos it shows sit in a multipart/related, next
// to the text part in the multipart/alternative, the PDF beside them; every cid: URL of the
// HTML names an inline image part and every image part is shown.
func TestMIMEStructure(t *testing.T) {
	msg := MustBuild(t, MustCampaign(t, 5000), 1)
	want := "multipart/mixed[multipart/alternative[text/plain multipart/related[text/html image/png image/jpeg]] application/pdf]"
	if got := mimeTree(t, msg); got != want {
		t.Fatalf("structure\n%s\nwant\n%s", got, want)
	}
	_, parts := MustParse(t, msg)
	htm := string(parts["text/html"].body)
	shown := map[string]bool{}
	for _, m := range cidURL.FindAllStringSubmatch(htm, -1) {
		shown[m[1]] = true
		p, ok := parts["cid:"+m[1]]
		if !ok {
			t.Errorf("the HTML shows cid:%s, which no part carries", m[1])
			continue
		}
		if d, params, _ := mime.ParseMediaType(p.header["Content-Disposition"][0]); d != "inline" || params["filename"] == "" {
			t.Errorf("cid:%s: Content-Disposition %q, want inline with a file name", m[1], p.header["Content-Disposition"])
		}
	}
	for _, im := range testContent(t, 0).Images {
		if !shown[im.ContentID] || !bytes.Equal(parts["cid:"+im.ContentID].body, im.Data) {
			t.Errorf("image %s is not shown, or its part differs", im.ContentID)
		}
	}
}

// TestHTMLHoldsInMailClients: the HTML part needs no <style> block and no data: URL, sets
// its colours and colour scheme, carries the preheader and links the page online.
func TestHTMLHoldsInMailClients(t *testing.T) {
	content := testContent(t, 1000)
	_, parts := MustParse(t, MustBuild(t, MustCampaign(t, 1000), 1))
	htm := string(parts["text/html"].body)
	for _, bad := range []string{"<style", "data:", "class="} {
		if strings.Contains(htm, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
	for _, s := range []string{`<meta name="color-scheme" content="light">`, `bgcolor="#f3f2ef"`, `width="600"`, "max-width:600px",
		`<a href="` + content.WebURL + `" style="color:#1d4f91;text-decoration:underline;">Voir en ligne</a>`,
		`<div style="` + stylePreheader + `">Les pôles de compétitivité santé publient leurs propositions pour renforcer la production de médicaments et de…</div>`} {
		if !strings.Contains(htm, s) {
			t.Errorf("HTML lacks %q", s)
		}
	}
	if text := string(parts["text/plain"].body); !strings.Contains(text, "Voir en ligne\u00a0: "+content.WebURL+"\r\n") {
		t.Error("the text part does not give the page online")
	}
	content.WebURL, content.Preheader = "", ""
	c, err := NewCampaign(content)
	if err != nil {
		t.Fatal(err)
	}
	_, parts = MustParse(t, MustBuild(t, c, 1))
	if htm := string(parts["text/html"].body); strings.Contains(htm, "Voir en ligne") || strings.Contains(htm, "display:none") {
		t.Error("HTML links a page or holds a preheader it was not given")
	}
}

func TestPreheader(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		"  Court   chapeau.\n":     "Court chapeau.",
		strings.Repeat("mot ", 40): strings.TrimSpace(strings.Repeat("mot ", 30)) + "…",
		strings.Repeat("é", 130):   strings.Repeat("é", 120) + "…",
	} {
		if got := preheader(in); got != want {
			t.Errorf("preheader(%q) = %q, want %q", in, got, want)
		}
	}
}
