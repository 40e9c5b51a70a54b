package mailer

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"portevoix/storage/logotest"
)

// MustPDF returns a small but real PDF whose page reads "Communique de presse", padded with
// an unused binary stream to about size bytes, like the attachment of a real campaign.
func MustPDF(tb testing.TB, size int) []byte {
	tb.Helper()
	content := "BT /F1 18 Tf 72 720 Td (Communique de presse) Tj ET"
	padding := make([]byte, max(size-1000, 0))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range padding {
		padding[i] = byte(r.Uint32())
	}
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(padding), padding),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// testContent is a realistic embargoed campaign, in French, with a PDF of pdfSize bytes.
func testContent(tb testing.TB, pdfSize int) Content {
	tb.Helper()
	return Content{
		From:      "Pôles Santé en Réseau <presse@porte-voix.example.org>",
		ReplyTo:   []string{"Claire Dupré <claire.dupre@example.org>", `"Jean-Loïc Le Bihan, Eurobiomed" <jl.lebihan@example.com>`},
		Subject:   "Santé : sept propositions des pôles pour la souveraineté industrielle",
		Embargo:   "12 mai 2020, 10 h 00",
		ListID:    12,
		ListName:  "Presse Occitanie",
		PitchHTML: "<p>Madame, Monsieur, vous trouverez ci-dessous et en pièce jointe le communiqué commun des pôles de santé, publié à l’occasion de la semaine de l’industrie.</p>",
		PitchText: "Vous trouverez ci-dessous et en pièce jointe le communiqué commun des pôles de santé, publié à l’occasion de la semaine de l’industrie.",
		BodyHTML: "<table role=\"presentation\"><tr><td><img src=\"cid:logo1@porte-voix.example.org\" width=\"96\" height=\"48\" alt=\"Logo d’Atlanpole\"></td>" +
			"<td><img src=\"cid:logo2@porte-voix.example.org\" width=\"64\" height=\"48\" alt=\"Logo de BioValley\"></td></tr></table>\n" +
			"<h1>Les pôles de santé proposent sept mesures</h1>\n" +
			"<p><strong>Les pôles de compétitivité santé publient leurs propositions pour renforcer la production de médicaments et de dispositifs médicaux en France.</strong></p>\n" +
			"<p>Face à la crise, les entreprises du secteur ont montré leur capacité d’innovation. Les pôles demandent un soutien durable aux projets collaboratifs.</p>\n" +
			"<ol><li>Relocaliser la production des principes actifs essentiels.</li><li>Simplifier l’accès au marché des innovations.</li></ol>\n" +
			"<blockquote><p>« Nous devons agir ensemble », rappelle la présidente.</p></blockquote>\n" +
			"<h2>Contacts presse</h2><p>Claire Dupré – <a href=\"mailto:claire.dupre@example.org\">claire.dupre@example.org</a></p>",
		BodyText: "Les pôles de santé proposent sept mesures\n\n" +
			"Les pôles de compétitivité santé publient leurs propositions pour renforcer la production de médicaments et de dispositifs médicaux en France.\n\n" +
			"Face à la crise, les entreprises du secteur ont montré leur capacité d’innovation. Les pôles demandent un soutien durable aux projets collaboratifs.\n\n" +
			"1. Relocaliser la production des principes actifs essentiels.\n2. Simplifier l’accès au marché des innovations.\n\n" +
			"« Nous devons agir ensemble », rappelle la présidente.\n\n" +
			"Contacts presse\nClaire Dupré – claire.dupre@example.org",
		Preheader: "Les pôles de compétitivité santé publient leurs propositions pour renforcer la production de médicaments et de dispositifs médicaux en France.",
		WebURL:    "https://porte-voix.example.org/presse/sept-mesures",
		Images: []Image{
			{ContentID: "logo1@porte-voix.example.org", Type: "image/png", FileName: "logo-1.png", Data: logotest.PNG(tb, logotest.Image(96, 48, true))},
			{ContentID: "logo2@porte-voix.example.org", Type: "image/jpeg", FileName: "logo-2.jpg", Data: logotest.JPEG(tb, logotest.Image(64, 48, false))},
		},
		PDF:     MustPDF(tb, pdfSize),
		PDFName: "communiqué-pôles-santé.pdf",
		Now:     func() time.Time { return time.Date(2020, 5, 11, 9, 30, 0, 0, time.FixedZone("", 2*3600)) },
	}
}

// testRecipient is Hélène Lefèvre, delivery d of campaign 7.
func testRecipient(d uint64) Recipient {
	return Recipient{
		Email:          fmt.Sprintf("helene.lefevre+%d@example.com", d),
		FirstName:      "Hélène",
		LastName:       "Lefèvre",
		Source:         "annuaire des journalistes santé 2020",
		UnsubscribeURL: fmt.Sprintf("https://porte-voix.example.org/unsubscribe/tok%dsigned", d),
		MessageID:      MessageID(7, d, "porte-voix.example.org", []byte("secret")),
	}
}

// MustCampaign prepares testContent.
func MustCampaign(tb testing.TB, pdfSize int) *Campaign {
	tb.Helper()
	c, err := NewCampaign(testContent(tb, pdfSize))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// MustBuild builds the message of delivery d.
func MustBuild(tb testing.TB, c *Campaign, d uint64) []byte {
	tb.Helper()
	msg, err := c.Build(testRecipient(d))
	if err != nil {
		tb.Fatal(err)
	}
	return msg
}
