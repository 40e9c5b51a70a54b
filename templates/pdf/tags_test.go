package pdf

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"portevoix/storage"
	"portevoix/storage/logotest"
	"portevoix/templates"
)

// taggedText is a leaf of the structure tree (a heading, paragraph, list label or figure):
// the roles from the Document down to it, and its text, or a Figure's alternative text.
type taggedText struct {
	path string // "L/LI/LBody/P"
	text string
}

// structure is a PDF's structure tree read back and checked against its content streams.
type structure struct {
	f       *pdfFile
	content []map[int]*markedContent // each page's marked content by MCID
	pageOf  map[string]int           // page reference → index
	owner   map[[2]int]string        // (page, MCID) → the element holding it
	annots  map[string]string        // link annotation → its Link element
	links   []taggedText             // each Link element's text
	leaves  []taggedText
	spread  int // elements with marked content on more than one page
}

// mustReadStructure reads the structure tree of pdf in reading order, resolving each
// element's marked content to the text drawn, and checks that every piece of content is
// tagged (or an artifact) and that the ParentTree maps each MCID and link annotation back
// to its element.
func mustReadStructure(t *testing.T, pdf []byte) *structure {
	t.Helper()
	s := &structure{f: mustReadPDF(t, pdf), pageOf: map[string]int{}, owner: map[[2]int]string{},
		annots: map[string]string{}}
	for i, ref := range s.f.pages {
		s.pageOf[ref] = i
		s.content = append(s.content, s.f.pageContent(t, i))
	}
	root := s.f.dict(s.f.catalog()["/StructTreeRoot"])
	if root["/Type"] != "/StructTreeRoot" {
		t.Fatalf("no structure tree root: %v", root)
	}
	kids := array(root["/K"])
	if len(kids) != 1 || s.f.dict(kids[0])["/S"] != "/Document" {
		t.Fatalf("the root's kid is not one Document element: %v", kids)
	}
	s.walk(t, kids[0].(string), "")
	for p, marked := range s.content {
		for mcid := range marked {
			if _, ok := s.owner[[2]int{p, mcid}]; !ok {
				t.Errorf("page %d: MCID %d belongs to no element", p+1, mcid)
			}
		}
	}
	s.checkParentTree(t, root)
	return s
}

// walk reads element ref, whose ancestors' roles are path, and returns its text.
func (s *structure) walk(t *testing.T, ref, path string) string {
	e := s.f.dict(ref)
	role, _ := e["/S"].(string)
	role = strings.TrimPrefix(role, "/")
	if e["/Type"] != "/StructElem" || role == "" {
		t.Fatalf("%s is not a structure element: %v", ref, e)
	}
	here := strings.TrimPrefix(path+"/"+role, "/Document/")
	pg := -1
	if e["/Pg"] != nil {
		pg = s.pageOf[e["/Pg"].(string)]
	}
	var text strings.Builder
	pages, objrs := map[int]bool{}, 0
	for _, k := range array(e["/K"]) {
		switch k := k.(type) {
		case float64:
			text.WriteString(s.marked(t, ref, role, pg, int(k)))
			pages[pg] = true
		case string:
			text.WriteString(s.walk(t, k, here))
		case map[string]any:
			switch k["/Type"] {
			case "/MCR":
				page := s.pageOf[k["/Pg"].(string)]
				text.WriteString(s.marked(t, ref, role, page, int(k["/MCID"].(float64))))
				pages[page] = true
			case "/OBJR":
				s.annots[k["/Obj"].(string)] = ref
				objrs++
			}
		}
	}
	if len(pages) > 1 {
		s.spread++
	}
	switch {
	case role == "Link":
		if objrs == 0 {
			t.Errorf("Link %s has no annotation", ref)
		}
		s.links = append(s.links, taggedText{ref, text.String()})
	case role == "Figure":
		if box := array(s.f.dict(e["/A"])["/BBox"]); len(box) != 4 || box[2].(float64) <= box[0].(float64) ||
			box[3].(float64) <= box[1].(float64) {
			t.Errorf("Figure %s has no bounding box: %v", ref, e["/A"])
		}
		alt, _ := e["/Alt"].(string)
		s.leaves = append(s.leaves, taggedText{here, strings.TrimPrefix(alt, "u:")})
	case role == "P" || role == "Lbl" || regexp.MustCompile(`^H[1-6]$`).MatchString(role):
		s.leaves = append(s.leaves, taggedText{here, collapseSpaces(text.String())})
	}
	return text.String()
}

// marked returns the text of MCID mcid on page page, which element ref of role claims.
func (s *structure) marked(t *testing.T, ref, role string, page, mcid int) string {
	if page < 0 {
		t.Fatalf("%s holds MCID %d without a page", ref, mcid)
	}
	mc := s.content[page][mcid]
	if mc == nil {
		t.Fatalf("%s holds MCID %d, not on page %d", ref, mcid, page+1)
	}
	key := [2]int{page, mcid}
	if other, ok := s.owner[key]; ok {
		t.Errorf("page %d MCID %d held by %s and %s", page+1, mcid, other, ref)
	}
	s.owner[key] = ref
	if mc.tag != "/"+role {
		t.Errorf("page %d MCID %d is tagged %s in the content, %s in the tree", page+1, mcid, mc.tag, role)
	}
	if role == "Figure" && !mc.image {
		t.Errorf("Figure %s paints no image", ref)
	}
	return mc.text
}

// checkParentTree expects each page's /StructParents and /Tabs /S, the ParentTree to map
// each page's MCIDs and each link annotation to their elements, and the next key past both.
func (s *structure) checkParentTree(t *testing.T, root map[string]any) {
	nums := array(s.f.dict(root["/ParentTree"])["/Nums"])
	tree := map[int]any{}
	for i := 0; i+1 < len(nums); i += 2 {
		tree[int(nums[i].(float64))] = nums[i+1]
	}
	keys := 0
	for p, ref := range s.f.pages {
		page := s.f.dict(ref)
		if page["/Tabs"] != "/S" {
			t.Errorf("page %d: /Tabs %v, want /S", p+1, page["/Tabs"])
		}
		key, ok := page["/StructParents"].(float64)
		if !ok {
			t.Fatalf("page %d has no /StructParents", p+1)
		}
		owners := array(tree[int(key)])
		if len(owners) != len(s.content[p]) {
			t.Errorf("page %d: ParentTree lists %d MCIDs, the content has %d", p+1, len(owners), len(s.content[p]))
		}
		for mcid, ref := range owners {
			if want := s.owner[[2]int{p, mcid}]; ref != want {
				t.Errorf("page %d: ParentTree gives MCID %d to %v, the tree to %s", p+1, mcid, ref, want)
			}
		}
		keys++
		for _, a := range array(page["/Annots"]) {
			annot := s.f.dict(a)
			key, ok := annot["/StructParent"].(float64)
			if want := s.annots[a.(string)]; !ok || tree[int(key)] != want || want == "" {
				t.Errorf("page %d: annotation %v has key %v for %v, its Link is %q", p+1, a, annot["/StructParent"], tree[int(key)], want)
			}
			keys++
		}
	}
	if next, _ := root["/ParentTreeNextKey"].(float64); int(next) != keys || len(tree) != keys {
		t.Errorf("ParentTree has %d keys, next key %v, want %d", len(tree), root["/ParentTreeNextKey"], keys)
	}
}

// collapseSpaces turns each run of U+0020 into one and trims them: lines end with a space
// in the tagged text. U+00A0 and U+202F must come back as they are.
func collapseSpaces(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}

// expectedLeaves is the structure the PDF of doc must have, read from its header and its
// Markdown independently of the renderer: the logos (named; unreadable ones as their
// name), the header lines, then each heading, paragraph, list item and quote paragraph.
func expectedLeaves(doc *templates.Document, unreadable map[string]bool) []taggedText {
	var out []taggedText
	for _, s := range doc.Signers {
		if _, ok := storage.EmbeddableLogo(s.Logo); ok && !unreadable[s.Name] {
			out = append(out, taggedText{"Figure", s.Name})
		} else {
			out = append(out, taggedText{"P", s.Name})
		}
	}
	for _, h := range []string{doc.Kind, doc.Dateline, doc.Embargo} {
		if h != "" {
			out = append(out, taggedText{"P", h})
		}
	}
	for _, blk := range strings.Split(string(doc.Source), "\n\n") {
		blk = strings.TrimSpace(blk)
		lines := strings.Split(blk, "\n")
		switch {
		case blk == "" || blk == "---":
		case strings.HasPrefix(blk, "#"):
			level := len(blk) - len(strings.TrimLeft(blk, "#"))
			out = append(out, taggedText{fmt.Sprintf("H%d", level), plainMarkdown(lines)})
		case itemRe.MatchString(blk):
			out = append(out, listLeaves(lines)...)
		case strings.HasPrefix(blk, ">"):
			start := 0
			for i, ln := range append(lines, ">") {
				if ln == ">" {
					out = append(out, taggedText{"BlockQuote/P", plainMarkdown(lines[start:i])})
					start = i + 1
				}
			}
		default:
			out = append(out, taggedText{"P", plainMarkdown(lines)})
		}
	}
	return out
}

// listLeaves are the label and paragraph of each item of a Markdown list.
func listLeaves(lines []string) []taggedText {
	var out []taggedText
	var item []string
	flush := func() {
		if len(item) > 0 {
			out = append(out, taggedText{"L/LI/LBody/P", plainMarkdown(item)})
		}
	}
	for _, ln := range lines {
		if m := itemRe.FindString(ln); m != "" {
			flush()
			label := "•"
			if m != "- " {
				label = strings.TrimSpace(m)
			}
			out = append(out, taggedText{"L/LI/Lbl", label})
			item = nil
		}
		item = append(item, ln)
	}
	flush()
	return out
}

// plainMarkdown is the text of contract Markdown lines, as markdownPassages reads them.
func plainMarkdown(lines []string) string {
	var words []string
	for _, ln := range lines {
		ln = markerRe.ReplaceAllString(ln, "")
		ln = strings.TrimSuffix(ln, `\`)
		ln = linkRe.ReplaceAllString(ln, "$1")
		words = append(words, emphasisRe.ReplaceAllString(ln, "$1"))
	}
	return collapseSpaces(templates.Unescape([]byte(strings.Join(words, " "))))
}

// checkLeaves compares the structure read back with the expected one, in order.
func checkLeaves(t *testing.T, got, want []taggedText) {
	t.Helper()
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			t.Errorf("element %d missing: %s %q", i, want[i].path, want[i].text)
		case i >= len(want):
			t.Errorf("element %d unexpected: %s %q", i, got[i].path, got[i].text)
		case want[i].path == "Figure":
			alt := got[i].text
			if got[i].path != "Figure" || !strings.HasPrefix(alt, "Logo d") || !strings.HasSuffix(alt, want[i].text) {
				t.Errorf("element %d = %s %q, want a Figure « Logo de %s »", i, got[i].path, alt, want[i].text)
			}
		case got[i] != want[i]:
			t.Errorf("element %d = %s %q,\nwant %s %q", i, got[i].path, got[i].text, want[i].path, want[i].text)
		}
	}
}

// TestTaggedSeed001 reads the seed communiqué's structure tree back: every heading,
// paragraph, list item and quote, in reading order, with the text drawn for it, its
// hyphenated words whole (the hyphens hyphenation adds are artifacts).
func TestTaggedSeed001(t *testing.T) {
	doc := seedDocument(t)
	s := mustReadStructure(t, mustRender(t, doc))
	want := expectedLeaves(doc, nil)
	if len(want) < 50 || hyphenatedLines(mustRenderer(t).layout(doc, nil)) == 0 {
		t.Fatalf("only %d elements expected from the seed, or no line hyphenated", len(want))
	}
	checkLeaves(t, s.leaves, want)
	if len(s.links) != 7 {
		t.Errorf("%d Link elements, want the 7 contact addresses", len(s.links))
	}
}

// TestTaggedLongBody tags a body of many pages: paragraphs and quotes split across pages
// refer to their marked content on each.
func TestTaggedLongBody(t *testing.T) {
	doc := mustDocument(t, longBody(40))
	s := mustReadStructure(t, mustRender(t, doc))
	checkLeaves(t, s.leaves, expectedLeaves(doc, nil))
	if len(s.f.pages) < 6 || s.spread == 0 {
		t.Errorf("%d pages, %d elements spread over two pages: the test lost its point", len(s.f.pages), s.spread)
	}
}

// TestTaggedUnreadableLogo tags a logo gopdf refuses as the paragraph of the name drawn
// instead, not as an empty Figure.
func TestTaggedUnreadableLogo(t *testing.T) {
	bad := logotest.Garbage(t)
	bad[25] = 6 // colour type RGBA, which gopdf inflates to split the alpha channel
	fixCRC(bad)
	doc := mustDocument(t, []byte("# Titre\n\nTexte.\n"))
	doc.Signers = append(doc.Signers[:1], templates.Signer{Name: "Pôle Illisible", Logo: bad})
	s := mustReadStructure(t, mustRender(t, doc))
	checkLeaves(t, s.leaves, expectedLeaves(doc, map[string]bool{"Pôle Illisible": true}))
}

// TestTaggedLinkAcrossLines expects one Link element for a link broken over two lines, with
// both its annotations, each described by the whole link text.
func TestTaggedLinkAcrossLines(t *testing.T) {
	text := "le dossier de presse complet des six pôles, avec les chiffres clés de la filière, " +
		"les contacts presse et les visuels libres de droits"
	doc := mustDocument(t, []byte("# Titre\n\nAvant la conférence du 12 mai, les journalistes peuvent lire ["+
		text+"](https://example.org/dossier).\n"))
	pdf := mustRender(t, doc)
	s := mustReadStructure(t, pdf)
	if len(s.links) != 1 || collapseSpaces(s.links[0].text) != text {
		t.Fatalf("Link elements %q, want one with %q", s.links, text)
	}
	if len(s.annots) != 2 {
		t.Fatalf("the link has %d annotations, want one per line", len(s.annots))
	}
	for a := range s.annots {
		if got := s.f.dict(a)["/Contents"]; got != "u:"+text {
			t.Errorf("annotation %s /Contents %v, want the link text", a, got)
		}
	}
}

// hyphenatedLines counts the lines of lay that end with a hyphen hyphenation added.
func hyphenatedLines(lay *layout) int {
	n := 0
	for _, pg := range lay.pages {
		for _, l := range pg.lines {
			if l.hyphenated {
				n++
			}
		}
	}
	return n
}

// TestTaggedBareURL expects a URL written as plain text to be tagged as a Link of its
// paragraph, with its annotation, like a Markdown link.
func TestTaggedBareURL(t *testing.T) {
	url := "https://example.org/presse/dossier_2020"
	doc := mustDocument(t, []byte("# Titre\n\nLe dossier de presse\u00a0: "+url+".\n"))
	s := mustReadStructure(t, mustRender(t, doc))
	if len(s.links) != 1 || collapseSpaces(s.links[0].text) != url {
		t.Fatalf("Link elements %q, want one with %q", s.links, url)
	}
	if len(s.annots) != 1 {
		t.Errorf("the URL has %d annotations, want 1", len(s.annots))
	}
	checkLeaves(t, s.leaves, expectedLeaves(doc, nil))
}

// TestTaggedCatalog checks what PDF/UA asks of the document as a whole: marked, in
// French, its title shown in the window and in the XMP metadata with the PDF/UA part.
func TestTaggedCatalog(t *testing.T) {
	doc := seedDocument(t)
	pdf := mustRender(t, doc)
	if out := mustRun(t, "pdfinfo", mustWritePDF(t, pdf)); !strings.Contains(out, "Tagged:          yes\n") {
		t.Errorf("pdfinfo does not say Tagged: yes:\n%s", out)
	}
	f := mustReadPDF(t, pdf)
	cat := f.catalog()
	if cat["/Lang"] != "u:fr-FR" {
		t.Errorf("/Lang %v", cat["/Lang"])
	}
	if m := f.dict(cat["/MarkInfo"]); m["/Marked"] != true {
		t.Errorf("/MarkInfo %v", m)
	}
	if v := f.dict(cat["/ViewerPreferences"]); v["/DisplayDocTitle"] != true {
		t.Errorf("/ViewerPreferences %v", v)
	}
	var xmp struct {
		Title   string `xml:"RDF>Description>title>Alt>li"`
		Creator string `xml:"RDF>Description>creator>Seq>li"`
		Part    string `xml:"RDF>Description>part"`
	}
	if err := xml.Unmarshal(f.stream(t, cat["/Metadata"]), &xmp); err != nil {
		t.Fatalf("XMP metadata: %v", err)
	}
	if xmp.Title != doc.Title || xmp.Creator != doc.Author || xmp.Part != "1" {
		t.Errorf("XMP title %q, creator %q, pdfuaid:part %q", xmp.Title, xmp.Creator, xmp.Part)
	}
}

// TestMarkDrawing tags a stream as gopdf writes it: each image's group as the next Figure
// MCID, everything else as artifacts; and refuses a stream whose images do not match.
func TestMarkDrawing(t *testing.T) {
	image := func(name string) string {
		return "q\n 1.00000 0.00000 -0.00000\n 1.00000 97.11 768.34 cm\nq\nq\n  70.21 0 0\n 35.11 62.00 750.78 cm /" + name + " Do \nQ\nQ\nQ\n"
	}
	rules := "0.604 0.647 0.694 RG\n0.60 w\nq\n62.00 685.98 m 533.28 685.98 l S\nQ\n"
	stream := image("I6") + image("I8") + rules
	got, err := markDrawing(nil, []byte(stream), []int{3, 4})
	if err != nil {
		t.Fatal(err)
	}
	want := "/Figure <</MCID 3>> BDC\n" + strings.TrimSuffix(image("I6"), "\n") + "\nEMC\n" +
		"/Figure <</MCID 4>> BDC\n" + strings.TrimSuffix(image("I8"), "\n") + "\nEMC\n" +
		"/Artifact BMC\n" + strings.TrimSuffix(rules, "\n") + "\nEMC\n"
	if string(got) != want {
		t.Errorf("markDrawing =\n%s\nwant\n%s", got, want)
	}
	for _, figures := range [][]int{{3}, {3, 4, 5}} {
		if _, err := markDrawing(nil, []byte(stream), figures); err == nil {
			t.Errorf("markDrawing with %d figures for 2 images: no error", len(figures))
		}
	}
}
