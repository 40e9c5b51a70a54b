package mailer

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"net/url"
	"strings"
	"time"

	"github.com/jordan-wright/email"

	"portevoix/storage"
)

// Content is what a campaign sends: the same for every recipient.
type Content struct {
	From      string           // sender, "Nom <adresse>" or a bare address (PORTEVOIX_FROM)
	ReplyTo   []string         // the communiqué's press contacts, same forms; may be empty
	Subject   string           // without the embargo prefix
	Embargo   string           // end of the embargo, formatted: "12 mai 2020, 10 h 00"; empty when none
	ListID    uint64           // the list named in List-Id
	ListName  string           // "Presse Occitanie"
	Greeting  string           // storage.GreetingName (the default), GreetingFormal or GreetingNone
	PitchHTML string           // the rendered pitch: a trusted HTML fragment, styled inline
	PitchText string           // the pitch as plain text
	BodyHTML  string           // the communiqué: a trusted HTML fragment, styled inline, for a 600 px column
	BodyText  string           // the communiqué as plain text
	Preheader string           // the inbox's preview line (the lede), cut to its first words
	WebURL    string           // the communiqué's public page, linked as « Voir en ligne »; may be empty
	Images    []Image          // the images BodyHTML shows by cid: URL (the co-signers' logos)
	PDF       []byte           // the communiqué as PDF; no attachment when empty
	PDFName   string           // attachment file name, "communique.pdf"
	Now       func() time.Time // clock for the Date header; time.Now when nil
}

// Image is a picture the HTML part shows by Content-ID (src="cid:…"): an inline part of
// the message, because Gmail and Outlook block data: images.
type Image struct {
	ContentID string // without the angle brackets: "logo1@example.org"
	Type      string // "image/png" or "image/jpeg"
	FileName  string
	Data      []byte
}

// Recipient is the one person a message is built for.
type Recipient struct {
	Email          string
	FirstName      string
	LastName       string
	Source         string // where the address came from (GDPR Art. 14), shown in the footer
	UnsubscribeURL string // signed one-click link, http(s)
	MessageID      string // from MessageID, stable per delivery
}

// Campaign is a prepared campaign: the headers, the MIME skeleton and the attachment are
// encoded once by NewCampaign, so Build only encodes the few personal lines. It is
// immutable and safe for concurrent use.
type Campaign struct {
	sender string // bare From address, for the envelope
	org    string // sender's display name, named in the footer
	list   string
	now    func() time.Time
	// greeting is how messages greet their recipient (storage.Greeting…).
	greeting string
	head     []byte    // common header fields, encoded and folded
	pieces   [5][]byte // the encoded body around the four personal slots
	size     int       // length of head and pieces
	// stuffed is what every message shares, dot-stuffed for the SMTP data phase: the
	// common header fields, the blank line and pieces[0]; then pieces[1] to [4], the last
	// ending with a line break.
	stuffed [slotCount + 1][][]byte
	shared  int // the length of what stuffed holds, before stuffing and the final line break
}

// The personal slots of the skeleton, in the order they appear in the message.
const (
	slotTextGreeting = iota
	slotTextFooter
	slotHTMLGreeting
	slotHTMLFooter
	slotCount
)

// NewCampaign validates c and prepares what all its messages share. Errors are
// *storage.Error with code EINVALID and a French message.
func NewCampaign(c Content) (*Campaign, error) {
	if err := checkContent(c); err != nil {
		return nil, err
	}
	from, err := parseAddress("From", c.From)
	if err != nil {
		return nil, err
	}
	replyTo := make([]*mail.Address, len(c.ReplyTo))
	for i, a := range c.ReplyTo {
		if replyTo[i], err = parseAddress("Reply-To", a); err != nil {
			return nil, err
		}
	}
	cp := &Campaign{sender: from.Address, org: from.Name, list: c.ListName, now: c.Now, greeting: c.Greeting}
	if cp.org == "" {
		cp.org = domainOf(from.Address)
	}
	if cp.now == nil {
		cp.now = time.Now
	}
	skeleton, err := buildSkeleton(c, domainOf(from.Address))
	if err != nil {
		return nil, err
	}
	if err := cp.split(skeleton); err != nil {
		return nil, err
	}
	cp.writeHead(c, from, replyTo, skeleton.contentType)
	cp.stuff()
	return cp, nil
}

func checkContent(c Content) error {
	var p storage.Problems
	p.Require("subject", c.Subject)
	p.Require("list_name", c.ListName)
	if len(c.PDF) > 0 {
		p.Require("pdf_name", c.PDFName)
	}
	for _, f := range [][2]string{{"subject", c.Subject}, {"embargo", c.Embargo}, {"list_name", c.ListName}, {"pdf_name", c.PDFName}} {
		if checkHeader(f[0], f[1]) != nil {
			p.Add(f[0], "caractère interdit (retour à la ligne ou caractère de contrôle) ou texte non UTF-8")
		}
	}
	for _, im := range c.Images {
		if checkMessageID("<"+im.ContentID+">") != nil || checkHeader("images", im.FileName) != nil || !strings.HasPrefix(im.Type, "image/") {
			p.Add("images", "image «\u202f"+im.FileName+"\u202f» mal décrite (identifiant, nom ou type)")
		}
	}
	if c.WebURL != "" && !isWebURL(c.WebURL) {
		p.Add("web_url", "adresse de la page en ligne invalide")
	}
	return p.Err()
}

// Sender returns the bare From address, for the SMTP envelope (MAIL FROM).
func (c *Campaign) Sender() string { return c.sender }

// Domain returns the domain of the From address, for MessageID.
func (c *Campaign) Domain() string { return domainOf(c.sender) }

// subject returns the subject as shown, with the embargo prefix when there is one.
func subject(c Content) string {
	if c.Embargo == "" {
		return c.Subject
	}
	return "[EMBARGO jusqu’au " + c.Embargo + "] " + c.Subject
}

// writeHead encodes the header fields common to every message.
func (c *Campaign) writeHead(ct Content, from *mail.Address, replyTo []*mail.Address, contentType string) {
	var b bytes.Buffer
	writeHeader(&b, "From", address(from))
	if len(replyTo) > 0 {
		writeHeader(&b, "Reply-To", addressList(replyTo))
	}
	writeHeader(&b, "Subject", encodeText(subject(ct)))
	writeHeader(&b, "List-Id", fmt.Sprintf("%s <liste-%d.%s>", phrase(ct.ListName), ct.ListID, domainOf(from.Address)))
	writeHeader(&b, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	writeHeader(&b, "MIME-Version", "1.0")
	writeHeader(&b, "Content-Type", contentType)
	c.head = b.Bytes()
	c.size += len(c.head)
}

// skeleton is a campaign message as jordan-wright/email encodes it, with slot markers where
// each recipient's greeting and footer go.
type skeleton struct {
	body        []byte
	contentType string
	markers     [slotCount]string
}

// buildSkeleton lets jordan-wright/email lay out the MIME structure once per campaign:
// boundaries, part headers, quoted-printable bodies and the base64 of the PDF. Its Bytes()
// re-encodes the attachment on every call (about 140 kB of base64 for our PDFs), so
// calling it per recipient would dominate the cost of a send; instead the personal lines
// are left as unique marker lines that quoted-printable keeps verbatim, and Build splices
// in their encodings. Quoted-printable restarts at each line break, so the result is
// byte for byte what Bytes() would produce for the personalised bodies (see
// TestBuildMatchesJordanWright).
func buildSkeleton(c Content, domain string) (*skeleton, error) {
	s := &skeleton{}
	nonce := make([]byte, 12)
	rand.Read(nonce)
	for i := range s.markers {
		s.markers[i] = fmt.Sprintf("pv-slot-%d-%s", i, hex.EncodeToString(nonce))
	}
	e := email.NewEmail()
	e.From = "skeleton@" + domain
	e.Text = []byte(textBody(c, s.markers[slotTextGreeting], s.markers[slotTextFooter]))
	e.HTML = []byte(htmlBody(c, s.markers[slotHTMLGreeting], s.markers[slotHTMLFooter]))
	for _, im := range c.Images {
		attachImage(e, im)
	}
	if len(c.PDF) > 0 {
		a, err := e.Attach(bytes.NewReader(c.PDF), c.PDFName, partHeader("application/pdf", "name", c.PDFName))
		if err != nil {
			return nil, fmt.Errorf("attach pdf: %w", err)
		}
		a.Header.Set("Content-Disposition", partHeader("attachment", "filename", c.PDFName))
		a.Header.Set("Content-ID", "<communique@"+domain+">")
	}
	raw, err := e.Bytes()
	if err != nil {
		return nil, fmt.Errorf("build skeleton: %w", err)
	}
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	hdr, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw[:end+4]))).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("read skeleton header: %w", err)
	}
	s.contentType = hdr.Get("Content-Type")
	s.body = raw[end+4:]
	return s, nil
}

// attachImage adds an image to the HTML part's multipart/related, where the HTML finds it
// by Content-ID.
func attachImage(e *email.Email, im Image) {
	e.Attachments = append(e.Attachments, &email.Attachment{
		Filename: im.FileName, ContentType: partHeader(im.Type, "name", im.FileName), Content: im.Data, HTMLRelated: true,
		Header: textproto.MIMEHeader{
			"Content-Disposition": {partHeader("inline", "filename", im.FileName)},
			"Content-Id":          {"<" + im.ContentID + ">"},
		},
	})
}

// partHeader formats a part's Content-Type or Content-Disposition with a file name.
// jordan-wright writes these two fields raw, which breaks on non-ASCII names: the name is
// encoded per RFC 2231 and the field folded as jordan-wright folds its own.
func partHeader(value, param, fileName string) string {
	return strings.Replace(mime.FormatMediaType(value, map[string]string{param: fileName}), "; ", ";\r\n ", 1)
}

// split cuts the skeleton body at its markers. Each marker must stand on a line of its
// own: a personal slot then starts a line, and the piece after it starts with a line
// break, which is what stuff relies on.
func (c *Campaign) split(s *skeleton) error {
	rest := s.body
	for i, m := range s.markers {
		before, after, ok := bytes.Cut(rest, []byte(m))
		if !ok || bytes.Contains(after, []byte(m)) {
			return fmt.Errorf("skeleton marker %d not found exactly once", i)
		}
		if !bytes.HasSuffix(before, []byte("\n")) || !bytes.HasPrefix(after, crlf) {
			return fmt.Errorf("skeleton marker %d not on a line of its own", i)
		}
		c.pieces[i], rest = before, after
	}
	c.pieces[slotCount] = rest
	for _, p := range c.pieces {
		c.size += len(p)
	}
	return nil
}

// stuff prepares the shared parts of every message's data phase. A personal slot starts a
// line and the piece after it with a line break (split checks both), so each part can be
// stuffed on its own: the pieces after a slot never start a line with ".".
func (c *Campaign) stuff() {
	first := append(append(bytes.Clone(c.head), crlf...), c.pieces[0]...)
	c.stuffed[0] = stuff(nil, first, true)
	c.shared = len(first)
	for i := 1; i <= slotCount; i++ {
		c.stuffed[i] = stuff(nil, c.pieces[i], false)
		c.shared += len(c.pieces[i])
	}
	if !bytes.HasSuffix(c.pieces[slotCount], crlf) {
		c.stuffed[slotCount] = append(c.stuffed[slotCount], crlf)
	}
}

// Build returns the message for one recipient, with CRLF line endings. Errors are
// *storage.Error (EINVALID) when a recipient field cannot go into a header.
func (c *Campaign) Build(r Recipient) ([]byte, error) {
	return c.Append(nil, r)
}

// Append is Build appending to dst, so that a caller building one message at a time can
// reuse its buffer: a fresh 150 kB message per recipient costs more in allocation than
// the splicing itself. The sender uses AppendData, which copies none of the shared parts.
func (c *Campaign) Append(dst []byte, r Recipient) ([]byte, error) {
	p, err := c.personalize(r)
	if err != nil {
		return dst, err
	}
	b := bytes.NewBuffer(dst)
	b.Grow(c.size + 2*len(p.unsubscribe) + 1024)
	c.writeFields(b, p)
	b.Write(c.head)
	b.Write(crlf)
	for i, text := range p.slots {
		b.Write(c.pieces[i])
		writeQP(b, text)
	}
	b.Write(c.pieces[slotCount])
	return b.Bytes(), nil
}

// AppendData is Append for the SMTP data phase: only the recipient's own lines are
// encoded, into buf (reused from message to message); the message's parts refer to them
// and to what the campaign stuffed once. parts is reused too. The Data is valid until buf
// is reused.
func (c *Campaign) AppendData(buf []byte, parts [][]byte, r Recipient) (Data, []byte, error) {
	p, err := c.personalize(r)
	if err != nil {
		return Data{}, buf, err
	}
	b := bytes.NewBuffer(buf[:0])
	c.writeFields(b, p)
	var ends [slotCount + 1]int // where the header fields and each slot end in b
	ends[0] = b.Len()
	for i, text := range p.slots {
		writeQP(b, text)
		ends[i+1] = b.Len()
	}
	own := b.Bytes()
	parts = stuff(parts[:0], own[:ends[0]], true)
	parts = append(parts, c.stuffed[0]...)
	for i := range slotCount {
		parts = stuff(parts, own[ends[i]:ends[i+1]], true)
		parts = append(parts, c.stuffed[i+1]...)
	}
	return Data{Parts: parts, Size: len(own) + c.shared}, own, nil
}

// personal is what one recipient's message holds of its own.
type personal struct {
	to          *mail.Address
	messageID   string
	unsubscribe string
	slots       [slotCount]string // before quoted-printable encoding
}

// personalize checks a recipient's fields and prepares the lines of their message.
func (c *Campaign) personalize(r Recipient) (personal, error) {
	to, err := parseAddress("To", r.Email)
	if err != nil {
		return personal{}, err
	}
	if to.Address != r.Email {
		return personal{}, storage.Errorf(storage.EINVALID, "« %s » n’est pas une adresse électronique seule.", r.Email)
	}
	name := strings.TrimSpace(strings.TrimSpace(r.FirstName) + " " + strings.TrimSpace(r.LastName))
	if err := checkHeader("To", name); err != nil {
		return personal{}, err
	}
	to.Name = name
	if err := checkMessageID(r.MessageID); err != nil {
		return personal{}, err
	}
	unsubscribe, err := checkUnsubscribe(r.UnsubscribeURL)
	if err != nil {
		return personal{}, err
	}
	greeting := greeting(c.greeting, strings.TrimSpace(r.FirstName))
	return personal{to: to, messageID: r.MessageID, unsubscribe: unsubscribe, slots: [slotCount]string{
		slotTextGreeting: greeting,
		slotTextFooter:   c.textFooter(r.Source, unsubscribe),
		slotHTMLGreeting: htmlGreeting(greeting),
		slotHTMLFooter:   c.htmlFooter(r.Source, unsubscribe),
	}}, nil
}

// writeFields writes the header fields proper to one message.
func (c *Campaign) writeFields(b *bytes.Buffer, p personal) {
	writeHeader(b, "Date", c.now().Format(time.RFC1123Z))
	writeHeader(b, "Message-ID", p.messageID)
	writeHeader(b, "To", address(p.to))
	writeHeader(b, "List-Unsubscribe", "<"+p.unsubscribe+">")
}

// writeQP writes a personal line quoted-printable.
func writeQP(b *bytes.Buffer, text string) {
	qp := quotedprintable.NewWriter(b)
	qp.Write([]byte(text)) // writes to a bytes.Buffer cannot fail
	qp.Close()
}

// checkUnsubscribe accepts an absolute http(s) URL that can sit inside <…> in a header.
func checkUnsubscribe(s string) (string, error) {
	if !isWebURL(s) {
		return "", storage.Errorf(storage.EINVALID, "Lien de désinscription « %s » invalide.", s)
	}
	return s, nil
}

// isWebURL reports an absolute http(s) URL of ASCII characters that can sit inside <…> in
// a header or in an HTML attribute.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		isASCII(s) && !strings.ContainsAny(s, " <>\"") && checkHeader("URL", s) == nil
}
