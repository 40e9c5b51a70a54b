package templates

import (
	"bytes"
	"fmt"
	"html"
	"strconv"
	"strings"

	"portevoix/storage"
)

// E-mail layout: mail clients drop <style> blocks and class names, so every element carries
// its style inline, and sizes are fixed in pixels for the single column of EmailWidth.
const (
	// EmailWidth is the width, in pixels, of an e-mail's column of content.
	EmailWidth = 600
	// EmailPadding is the padding, in pixels, on each side of the column's content.
	EmailPadding = 24
	// EmailLogoHeight is the height, in pixels, of the co-signers' logos in the row they share.
	EmailLogoHeight = 48
	// emailLogoGap is the space, in pixels, between two logos.
	emailLogoGap = 16

	// EmailLink is the links' colour, set on each as clients give links their own.
	EmailLink = "color:#1d4f91;"
)

// emailTags gives goldmark's HTML the inline styles of the e-mail: goldmark escapes all text
// and drops raw HTML, so these strings can only be its own tags. Elements inherit font, size
// and colours from the column's cell (see mailer's htmlBody), as CSS has them do, and
// paragraphs keep every client's default margins (1 em): each byte here is sent to every
// recipient, and the send benchmark's cost grows with the message's size.
var emailTags = strings.NewReplacer(
	"<h1>", `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;">`,
	"<h2>", `<h2 style="margin:24px 0 8px;font-size:18px;line-height:1.3;">`,
	"<h3>", `<h3 style="margin:16px 0 4px;font-size:16px;line-height:1.3;">`,
	"<ul>", `<ul style="margin:0 0 12px;padding:0 0 0 24px;">`,
	"<ol>", `<ol style="margin:0 0 12px;padding:0 0 0 24px;">`,
	"<ol ", `<ol style="margin:0 0 12px;padding:0 0 0 24px;" `,
	"<li>", `<li style="margin:0 0 6px;">`,
	"<blockquote>", `<blockquote style="margin:16px 0;padding:0 0 0 16px;border-left:3px solid #1d4f91;font-style:italic;">`,
	"<hr>", `<hr style="border:0;border-top:1px solid #cccccc;margin:24px 0;">`,
	"<a ", `<a style="`+EmailLink+`" `,
)

// EmailLogo is a co-signer's logo as an e-mail carries it: a part of its own that the HTML
// shows by Content-ID (a cid: URL), since Gmail and Outlook block data: images.
type EmailLogo struct {
	ContentID string // without the angle brackets
	Type      string // "image/png" or "image/jpeg"
	Data      []byte
	FileName  string // "logo-1.png"
}

// EmailHTML is a communiqué laid out for an e-mail's HTML part.
type EmailHTML struct {
	HTML  string      // a fragment for a cell EmailWidth wide with EmailPadding on each side
	Logos []EmailLogo // the parts the fragment's cid: URLs name
}

// RenderEmailHTML lays a document out for e-mail: its co-signers' logos in one row at one
// height, its header lines, then its body, every element styled inline. The logos'
// Content-IDs end in "@" + domain (the sender's), so that they are unique to the sender.
func RenderEmailHTML(doc *Document, domain string) EmailHTML {
	var buf bytes.Buffer
	logos := writeEmailSigners(&buf, doc.Signers, domain)
	writeEmailLine(&buf, doc.Kind, "font-size:13px;font-weight:bold;letter-spacing:1px;")
	writeEmailLine(&buf, doc.Dateline, "font-size:15px;")
	writeEmailLine(&buf, doc.Embargo, "font-size:15px;font-weight:bold;color:#8b1a1a;")
	buf.WriteString(EmailBody(doc))
	return EmailHTML{HTML: buf.String(), Logos: logos}
}

// EmailBody renders only a document's body (a campaign's pitch), styled inline for e-mail.
func EmailBody(doc *Document) string {
	return emailTags.Replace(string(BodyHTML(doc)))
}

func writeEmailLine(buf *bytes.Buffer, text, style string) {
	if text == "" {
		return
	}
	buf.WriteString(`<p style="margin:0 0 4px;` + style + `">` + html.EscapeString(text) + "</p>\n")
}

// emailSigner is a co-signer whose logo an e-mail can carry as is.
type emailSigner struct {
	name  string
	logo  storage.LogoHeader
	data  []byte
	width int // at the row's height
}

// writeEmailSigners writes the logos in a one-row table, then the names of the co-signers
// without a usable logo, and returns the logos' parts.
func writeEmailSigners(buf *bytes.Buffer, signers []Signer, domain string) []EmailLogo {
	var withLogo []emailSigner
	var names []string
	for _, s := range signers {
		if h, ok := storage.EmbeddableLogo(s.Logo); ok {
			withLogo = append(withLogo, emailSigner{name: s.Name, logo: h, data: s.Logo})
		} else {
			names = append(names, s.Name)
		}
	}
	height := fitLogos(withLogo)
	logos := make([]EmailLogo, len(withLogo))
	if len(withLogo) > 0 {
		buf.WriteString(`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px;border-collapse:collapse;"><tr>` + "\n")
	}
	for i, s := range withLogo {
		ext := strings.TrimPrefix(s.logo.Type, "image/")
		logos[i] = EmailLogo{ContentID: fmt.Sprintf("logo%d@%s", i+1, domain), Type: s.logo.Type, Data: s.data,
			FileName: fmt.Sprintf("logo-%d.%s", i+1, strings.Replace(ext, "jpeg", "jpg", 1))}
		pad := emailLogoGap
		if i == len(withLogo)-1 {
			pad = 0
		}
		w, h := strconv.Itoa(s.width), strconv.Itoa(height)
		buf.WriteString(`<td style="padding:0 ` + strconv.Itoa(pad) + `px 0 0;vertical-align:middle;background-color:#ffffff;">` +
			`<img src="cid:` + logos[i].ContentID + `" width="` + w + `" height="` + h + `" alt="` + html.EscapeString(LogoAlt(s.name)) +
			`" style="display:block;width:` + w + `px;height:` + h + `px;border:0;outline:none;text-decoration:none;"></td>` + "\n")
	}
	if len(withLogo) > 0 {
		buf.WriteString("</tr></table>\n")
	}
	writeEmailLine(buf, strings.Join(names, " · "), "font-size:13px;font-weight:bold;")
	return logos
}

// fitLogos returns the row's height, EmailLogoHeight unless the logos at that height would be
// wider than the column, and sets each logo's width at it.
func fitLogos(logos []emailSigner) int {
	if len(logos) == 0 {
		return EmailLogoHeight
	}
	room := float64(EmailWidth - 2*EmailPadding - emailLogoGap*(len(logos)-1))
	var ratios float64
	for _, l := range logos {
		ratios += float64(l.logo.Width) / float64(l.logo.Height)
	}
	height := min(EmailLogoHeight, int(room/ratios))
	for i := range logos {
		logos[i].width = max(1, logos[i].logo.Width*height/logos[i].logo.Height)
	}
	return height
}

// LogoAlt is a logo's alternative text, in the e-mail and the PDF, with the elision French
// wants before a vowel: « Logo de BioValley », « Logo d’Eurobiomed ».
func LogoAlt(name string) string {
	return "Logo " + elidedDe(name) + name
}
