package campaignmsg

import (
	"strings"
	"testing"
)

// TestReadPartsInlinesImages: an image the HTML shows by its Content-ID becomes a data:
// URI, since the preview page cannot reach the message's parts; the text is kept.
func TestReadPartsInlinesImages(t *testing.T) {
	body := "--b\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n" +
		"--a\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nBonjour Zo=C3=A9,\r\n" +
		"--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src=\"cid:logo-1@example.org\" alt=\"Logo\">\r\n--a--\r\n" +
		"--b\r\nContent-Type: image/png\r\nContent-ID: <logo-1@example.org>\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\nGgo=\r\n--b--\r\n"
	var p Preview
	images := map[string]string{}
	if err := readParts("multipart/related; boundary=b", "", strings.NewReader(body), &p, images); err != nil {
		t.Fatal(err)
	}
	if images["logo-1@example.org"] != "data:image/png;base64,iVBORw0KGgo=" || p.Text != "Bonjour Zoé," {
		t.Fatalf("images %v, text %q", images, p.Text)
	}
}
