package templates

import (
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestEscapeInline(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Plain", "Pôles santé", "Pôles santé"},
		{"Emphasis", "**x** _y_", `\*\*x\*\* \_y\_`},
		{"Link", "[l](u)", `\[l\](u)`},
		{"HTML", "<script>", `\<script\>`},
		{"Code", "`c`", "\\`c\\`"},
		{"Backslash", `a\`, `a\\`},
		{"Heading", "# y #", `\# y \#`},
		{"Entity", "R&D &amp; &#39;", `R&D \&amp; \&\#39;`},
		{"BulletStart", "- item", `\- item`},
		{"PlusBullet", "+ 33", `\+ 33`},
		{"PlusPhone", "+33 6", "+33 6"},
		{"OrderedStart", "2020. Année", `2020\. Année`},
		{"OrderedParen", "1) un", `1\) un`},
		{"NotOrdered", "03.28.55.90.60", "03.28.55.90.60"},
		{"ThematicBreak", "---", `\---`},
		{"Setext", "===", `\===`},
		{"Fence", "~~~ go", `\~~~ go`},
		{"HyphenInside", "TPE- PME", "TPE- PME"},
		{"Newlines", "a\n\n# b\r\nc  ", `a \# b c`},
		{"NoBreakSpacesKept", "mesures\u00a0: 1\u202f500", "mesures\u00a0: 1\u202f500"},
	}
	for _, tc := range tests {
		if got := escapeInline(tc.in); got != tc.want {
			t.Errorf("%s: escapeInline(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// TestEscapeInlineRoundTrip parses escaped text and checks that it comes back as one
// paragraph of plain text nodes holding exactly the input.
func TestEscapeInlineRoundTrip(t *testing.T) {
	inputs := []string{
		"**x** _y_ [l](javascript:alert(1)) <b>&amp;</b> \\ `c`", "# y", "- z", "1. w", "---",
		"a *b*", "x\\", "&#x41; &eacute;", "<https://example.org>", "![i](x.png)",
	}
	for _, in := range inputs {
		src := []byte(escapeInline(in))
		doc := parseMarkdown(src)
		p, ok := doc.FirstChild().(*ast.Paragraph)
		if !ok || doc.ChildCount() != 1 {
			t.Errorf("%q: not one paragraph", in)
			continue
		}
		var got strings.Builder
		for c := p.FirstChild(); c != nil; c = c.NextSibling() {
			text, ok := c.(*ast.Text)
			if !ok {
				t.Errorf("%q: %s node", in, c.Kind())
				break
			}
			got.WriteString(TextValue(text, src))
		}
		want := strings.Join(strings.Fields(in), " ")
		if got.String() != want {
			t.Errorf("round trip of %q = %q", in, got.String())
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`\*x\*`, "*x*"},
		{`a\b`, `a\b`},
		{`\\`, `\`},
		{"&amp; &#233; &#xE9; &eacute;", "& é é é"},
		{"R&D &nope; &", "R&D &nope; &"},
		{`\&amp;`, "&amp;"},
	}
	for _, tc := range tests {
		if got := Unescape([]byte(tc.in)); got != tc.want {
			t.Errorf("Unescape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRawHTMLIsText(t *testing.T) {
	src := []byte("<div>\n<script>alert(1)</script>\n</div>\n\nx <b>y</b>\n")
	doc := parseMarkdown(src)
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() != ast.KindParagraph {
			t.Errorf("%s block, want paragraphs only", n.Kind())
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if c.Kind() != ast.KindText {
				t.Errorf("%s inline, want text only", c.Kind())
			}
		}
	}
}

// TestLinkURL follows links by scheme only: http, https and mailto, in any case.
func TestLinkURL(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"HTTPS", "[a](https://example.org/x)", "https://example.org/x"},
		{"HTTPUpper", "[a](HTTP://example.org/)", "HTTP://example.org/"},
		{"Mailto", "[a](mailto:presse@example.org)", "mailto:presse@example.org"},
		{"AutoURL", "<https://example.org/y>", "https://example.org/y"},
		{"AutoEmail", "<presse@example.org>", "mailto:presse@example.org"},
		{"Javascript", "[a](javascript:alert(1))", ""},
		{"Reference", "[a](&#106;avascript:alert(1))", ""},
		{"Escaped", `[a](java\script:x)`, ""},
		{"VBScript", "[a](VBScript:x)", ""},
		{"Data", "[a](data:text/html,x)", ""},
		{"AutoJavascript", "<javascript:alert(1)>", ""},
		{"Relative", "[a](/presse)", ""},
		{"NoScheme", "[a](http)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			source := []byte(tt.md)
			var link ast.Node
			_ = ast.Walk(parseMarkdown(source), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if n.Kind() == ast.KindLink || n.Kind() == ast.KindAutoLink {
					link = n
				}
				return ast.WalkContinue, nil
			})
			if link == nil {
				t.Fatalf("no link in %q", tt.md)
			}
			if got := LinkURL(link, source); got != tt.want {
				t.Errorf("LinkURL = %q, want %q", got, tt.want)
			}
		})
	}
}
