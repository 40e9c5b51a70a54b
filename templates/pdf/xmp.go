package pdf

import (
	"bytes"
	"encoding/xml"
	"time"

	"portevoix/templates"
)

// Creator and producer, in the document information and in the XMP metadata alike.
const (
	creatorTool = "Porte-Voix"
	producer    = "Porte-Voix (gopdf)"
)

// xmpMetadata is the document's XMP packet: the document information's values (PDF/UA wants
// dc:title), its language, and the PDF/UA-1 identification.
func xmpMetadata(doc *templates.Document) []byte {
	var b bytes.Buffer
	b.WriteString("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n" +
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n" +
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n" +
		"<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" +
		" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"" +
		" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n" +
		"<dc:format>application/pdf</dc:format>\n")
	xmpElement(&b, "dc:title", "<rdf:Alt><rdf:li xml:lang=\"x-default\">", doc.Title, "</rdf:li></rdf:Alt>")
	xmpElement(&b, "dc:creator", "<rdf:Seq><rdf:li>", doc.Author, "</rdf:li></rdf:Seq>")
	xmpElement(&b, "dc:description", "<rdf:Alt><rdf:li xml:lang=\"x-default\">", doc.Subject, "</rdf:li></rdf:Alt>")
	b.WriteString("<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>\n")
	if !doc.Created.IsZero() {
		xmpElement(&b, "xmp:CreateDate", "", doc.Created.Format(time.RFC3339), "")
	}
	xmpElement(&b, "xmp:CreatorTool", "", creatorTool, "")
	xmpElement(&b, "pdf:Producer", "", producer, "")
	b.WriteString("<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n" +
		"<?xpacket end=\"w\"?>")
	return b.Bytes()
}

// xmpElement writes <name>open value close</name>, value escaped (with bmp, as in the
// document information), unless value is empty.
func xmpElement(b *bytes.Buffer, name, open, value, close string) {
	if value == "" {
		return
	}
	b.WriteString("<" + name + ">" + open)
	xml.EscapeText(b, []byte(bmp(value))) // writes to a bytes.Buffer do not fail
	b.WriteString(close + "</" + name + ">\n")
}
