package templates_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"portevoix/templates"
	"portevoix/templates/templatestest"
	"portevoix/templates/typo"
)

// nasty is typed into every user field: none of it may become markup.
const nasty = `<script>alert(1)</script> **x** # y _z_ [l](javascript:alert(1)) <b>&amp;</b> \ ` + "`c`"

// nastyInput puts nasty in every field a user can type, the body excepted (the body is
// Markdown on purpose).
func nastyInput() templates.Input {
	in := templatestest.Seed001(seedNow)
	c := &in.Communique
	c.Title, c.Subtitle, c.Lede, c.Place = nasty, nasty, nasty, nasty
	c.Body = "Corps <script>alert(2)</script> <img src=x onerror=alert(3)>"
	in.Poles[2].Name = nasty
	in.Measures = in.Measures[:2]
	in.Measures[0].Axis, in.Measures[0].Title, in.Measures[0].Text = nasty, nasty, nasty
	in.Measures[1].Text = "# y"
	in.Quotes = in.Quotes[:1]
	in.Quotes[0].Quote.Text = nasty
	in.Quotes[0].Person.Name, in.Quotes[0].Person.Title, in.Quotes[0].Pole.Name = nasty, nasty, nasty
	in.Boilerplates[0].Title, in.Boilerplates[0].Text = nasty, nasty+"\n\n- "+nasty
	in.Contacts = in.Contacts[:1]
	k := &in.Contacts[0]
	k.Contact.FirstName, k.Contact.Organization, k.Contact.Phone, k.Pole.Name = nasty, nasty, nasty, nasty
	k.Contact.Email = "a_b*c@example.org"
	return in
}

// allowed are the elements the renderers themselves write.
var allowed = map[string]bool{
	"html": true, "head": true, "body": true, "meta": true, "title": true, "style": true,
	"article": true, "header": true, "div": true, "ul": true, "li": true, "img": true,
	"p": true, "h1": true, "h2": true, "h3": true, "strong": true, "em": true,
	"blockquote": true, "hr": true, "a": true, "br": true,
}

func TestUserTextStaysLiteralInHTML(t *testing.T) {
	doc := MustCompose(t, nastyInput())
	root, err := html.Parse(bytes.NewReader(templates.PreviewPage(doc)))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	counts := map[string]int{}
	for n := range root.Descendants() {
		switch n.Type {
		case html.ElementNode:
			counts[n.Data]++
			if !allowed[n.Data] {
				t.Errorf("element <%s> in the output", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.Contains(a.Val, "javascript:") && a.Key != "alt" && a.Key != "title" {
					t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
				}
			}
		case html.TextNode:
			text.WriteString(n.Data)
		}
	}
	// One h1 (the title), one em (the subtitle), one hr; no link but the contact's mailto.
	for el, want := range map[string]int{"h1": 1, "em": 1, "hr": 1, "a": 1, "h3": 1} {
		if counts[el] != want {
			t.Errorf("%d <%s>, want %d", counts[el], el, want)
		}
	}
	literal := typo.Text(nasty)
	// <title>, <h1>, subtitle, lede, dateline, signer name, axis, measure title and text,
	// quote, speaker name, title and pôle, boilerplate title, paragraph and list item,
	// contact heading, name and phone (the organisation equals the pôle name: not repeated).
	if got := strings.Count(text.String(), literal); got != 19 {
		t.Errorf("user text found literally %d times, want 19:\n%s", got, text.String())
	}
	for _, s := range []string{"Corps <script>alert(2)</script> <img src=x onerror=alert(3)>", "a_b*c@example.org"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("%q not shown literally", s)
		}
	}
}

func TestUserTextStaysLiteralInText(t *testing.T) {
	doc := MustCompose(t, nastyInput())
	got := strings.Join(strings.Fields(templates.RenderText(doc)), " ")
	literal := strings.Join(strings.Fields(typo.Text(nasty)), " ")
	// As in HTML, less <title>, and the title is in capitals.
	if n := strings.Count(got, literal); n != 17 {
		t.Errorf("user text found literally %d times, want 17:\n%s", n, got)
	}
	if !strings.Contains(got, "– # y") || !strings.Contains(got, strings.ToUpper(literal)) {
		t.Errorf("measure %q not shown literally", "# y")
	}
}
