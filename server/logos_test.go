package server_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"portevoix/storage"
	"portevoix/storage/logotest"
)

// TestPoleLogoUpload stores a palette PNG as a plain RGB one that the communiqué's PDF
// embeds, and refuses a decompression bomb and a damaged file with the reason in French.
func TestPoleLogoUpload(t *testing.T) {
	a := newAPI(t)
	r := newRelease(a)
	logo := fmt.Sprintf("/api/v1/poles/%d/logo", r.poleA)
	if resp := a.do(storage.RoleEditor, "PUT", logo, logotest.Palette(t)); resp.status != http.StatusOK {
		t.Fatalf("PUT palette: %d %s", resp.status, resp.body)
	}
	resp := a.do(storage.RoleViewer, "GET", logo, nil)
	if resp.status != http.StatusOK || resp.header.Get("Content-Type") != "image/png" {
		t.Fatalf("GET logo: %d %s", resp.status, resp.header)
	}
	if _, err := png.Decode(bytes.NewReader(resp.body)); err != nil || resp.body[25] != 6 {
		t.Fatalf("stored logo: colour type %d, %v; want RGBA (the palette has a translucent colour)", resp.body[25], err)
	}
	for name, tt := range map[string]struct {
		data []byte
		want string
	}{
		"Bomb":    {logotest.Bomb(t, 16000), "trop grande"},
		"Garbage": {logotest.Garbage(t), "corrompues"},
	} {
		resp := a.do(storage.RoleEditor, "PUT", logo, tt.data)
		p := resp.problem(t)
		if resp.status != http.StatusUnprocessableEntity || len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, tt.want) {
			t.Errorf("PUT %s: %d %+v, want 422 saying %q", name, resp.status, p, tt.want)
		}
	}
	pdf := a.do(storage.RoleViewer, "GET", fmt.Sprintf("/api/v1/communiques/%d/pdf", r.communique), nil)
	if pdf.status != http.StatusOK || !bytes.Contains(pdf.body, []byte("/Subtype /Image")) {
		t.Fatalf("pdf: %d, want one with the logo", pdf.status)
	}
}
