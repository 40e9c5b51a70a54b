package ui

import (
	"bytes"
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"portevoix/server"
	"portevoix/storage"
	"portevoix/storage/contactfile"
)

// maxImportFile bounds a contact file, as the API does.
const maxImportFile = 32 << 20

// Uploads wait for their confirmation this long, and this many at most: the preview is
// read, then confirmed or abandoned, within minutes.
const (
	uploadTTL    = time.Hour
	uploadsKept  = 16
	uploadsField = "upload" // the confirmation form's field naming the upload
)

// pendingUploads keeps the files whose dry run was shown, until they are confirmed, so
// that nobody has to choose the file twice.
type pendingUploads struct {
	mu    sync.Mutex
	files map[string]pendingUpload
}

type pendingUpload struct {
	data    []byte
	name    string
	session uint64 // only the session that sent it may confirm it
	at      time.Time
}

// put keeps an upload under a new random token, dropping expired ones and the oldest
// beyond uploadsKept.
func (p *pendingUploads) put(up pendingUpload) (string, error) {
	token, err := randomToken(32)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.files == nil {
		p.files = map[string]pendingUpload{}
	}
	for k, v := range p.files {
		if up.at.Sub(v.at) > uploadTTL {
			delete(p.files, k)
		}
	}
	for len(p.files) >= uploadsKept {
		oldest := ""
		for k, v := range p.files {
			if oldest == "" || v.at.Before(p.files[oldest].at) {
				oldest = k
			}
		}
		delete(p.files, oldest)
	}
	p.files[token] = up
	return token, nil
}

// take removes and returns the upload of a token sent by that session.
func (p *pendingUploads) take(token string, session uint64, now time.Time) (pendingUpload, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	up, ok := p.files[token]
	if !ok || up.session != session || now.Sub(up.at) > uploadTTL {
		return pendingUpload{}, false
	}
	delete(p.files, token)
	return up, true
}

func (u *UI) routeImports(g *gin.RouterGroup) {
	canWrite := u.require(storage.RoleEditor)
	g.GET("/contacts/import", canWrite, u.importForm)
	g.POST("/contacts/import", canWrite, u.previewImport)
	g.POST("/contacts/import/confirm", canWrite, u.confirmImport)
	g.GET("/contacts/export", u.exportContacts)
}

// importPage is the upload form, or the dry run's report with the confirmation form.
type importPage struct {
	Form    *Form
	Report  *contactfile.Report
	Lines   []previewLine // the report line by line, at most previewLines of them
	More    int           // the lines not shown
	Name    string        // the file's name
	Token   string        // the upload waiting for confirmation
	MaxSize int
}

// previewLine is what the import does with one line of the file (a line refused for two
// reasons has two).
type previewLine struct {
	Line    int
	Outcome string // "à créer", "à mettre à jour", "ignorée", "refusée", "à noter"
	Class   string // the badge's class
	Value   string // the address, or the refused value
	Detail  string // why, or what changes
}

// previewLines bounds the preview's table: a file of thousands of lines gets the counts
// and its first lines.
const previewLines = 1000

// previewOf lists the report line by line, in file order.
func previewOf(r *storage.ImportReport) (lines []previewLine, more int) {
	for _, l := range r.Lines {
		p := previewLine{Line: l.Line, Outcome: "à créer", Class: "approved", Value: l.Email, Detail: "nouveau contact"}
		if l.Outcome == storage.ImportUpdated {
			p.Outcome, p.Class, p.Detail = "à mettre à jour", "pending", "modifie : "+fieldLabels(l.Changed)
		}
		lines = append(lines, p)
	}
	for _, group := range []struct {
		problems       []storage.ImportProblem
		outcome, class string
	}{{r.Notes, "ignorée", "draft"}, {r.Errors, "refusée", "withdrawn"}, {r.Warnings, "à noter", "pending"}} {
		for _, n := range group.problems {
			detail := n.Message
			if label := fieldLabel(n.Field); n.Field != "" && !strings.HasPrefix(n.Message, label) {
				detail = label + " : " + n.Message // unless the message names the field already
			}
			lines = append(lines, previewLine{Line: n.Line, Outcome: group.outcome, Class: group.class, Value: n.Value, Detail: detail})
		}
	}
	slices.SortStableFunc(lines, func(a, b previewLine) int { return cmp.Compare(a.Line, b.Line) })
	if len(lines) > previewLines {
		return lines[:previewLines], len(lines) - previewLines
	}
	return lines, 0
}

// fieldLabels names contact fields in French: "média, mots-clés".
func fieldLabels(names []string) string {
	labels := make([]string, len(names))
	for i, name := range names {
		labels[i] = fieldLabel(name)
	}
	return strings.Join(labels, ", ")
}

func (u *UI) importForm(c *gin.Context) {
	u.showImport(c, http.StatusOK, importPage{Form: newForm(nil)})
}

func (u *UI) showImport(c *gin.Context, status int, p importPage) {
	p.MaxSize = maxImportFile >> 20
	title := "Importer des contacts"
	if p.Report != nil {
		title = "Aperçu de l’import"
	}
	u.render(c, status, "import", page{Title: title, Section: "contacts", Data: p})
}

// previewImport runs the import as a dry run and shows what it would do, line by line.
func (u *UI) previewImport(c *gin.Context) {
	form := newForm(nil)
	data, err := uploaded(c, "file", maxImportFile)
	var name string
	var report *contactfile.Report
	if err == nil {
		fh, _ := c.FormFile("file")
		name = fh.Filename
		report, err = contactfile.Import(u.Store, actor(c), bytes.NewReader(data), name, true)
	}
	if form.Invalid(err) {
		if form.Errors["file"] == "" {
			form.Errors["file"] = form.Summary
		}
		u.showImport(c, server.StatusOf(err), importPage{Form: form})
		return
	}
	if err != nil {
		u.fail(c, err)
		return
	}
	token, err := u.uploads.put(pendingUpload{data: data, name: name, session: currentSession(c).ID, at: u.Now()})
	if err != nil {
		u.fail(c, err)
		return
	}
	lines, more := previewOf(&report.ImportReport)
	u.showImport(c, http.StatusOK, importPage{Form: form, Report: report, Lines: lines, More: more, Name: name, Token: token})
}

// confirmImport imports the file whose preview was shown.
func (u *UI) confirmImport(c *gin.Context) {
	up, ok := u.uploads.take(c.PostForm(uploadsField), currentSession(c).ID, u.Now())
	if !ok {
		u.fail(c, storage.Errorf(storage.ECONFLICT, "Cet aperçu a expiré ou a déjà été importé\u202f: envoyez le fichier à nouveau."))
		return
	}
	report, err := contactfile.Import(u.Store, actor(c), bytes.NewReader(up.data), up.name, false)
	if err != nil {
		u.fail(c, err)
		return
	}
	u.flash(c, importSummary(&report.ImportReport))
	redirect(c, "/app/contacts")
}

// importSummary says what an import did, in one sentence.
func importSummary(r *storage.ImportReport) string {
	return "Import terminé\u00a0: " + plural(r.Created, "contact créé", "contacts créés") + ", " +
		plural(r.Updated, "mis à jour", "mis à jour") + ", " + plural(r.Skipped+len(r.Errors), "ligne ignorée ou refusée", "lignes ignorées ou refusées") + "."
}

// plural writes n with the singular (0 and 1, as in French) or the plural.
func plural(n int, one, many string) string {
	if n < 2 {
		return strconv.Itoa(n) + "\u00a0" + one
	}
	return strconv.Itoa(n) + "\u00a0" + many
}

// exportContacts answers every contact as CSV for Excel, as the API does.
func (u *UI) exportContacts(c *gin.Context) {
	contacts, err := u.Store.AllContacts()
	if err != nil {
		u.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := contactfile.WriteCSV(&buf, contacts); err != nil {
		u.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="contacts-presse-`+u.Now().Format("2006-01-02")+`.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// contactFields names a contact's fields in French, for the import's report.
var contactFields = map[string]string{
	"first_name": "prénom", "last_name": "nom", "email": "adresse e-mail", "phone": "téléphone",
	"organization": "média", "kind": "type", "regions": "régions", "tags": "mots-clés", "pole_id": "pôle",
	"language": "langue", "source": "origine", "lawful_basis": "base légale", "opted_out": "désinscription", "bounced": "adresse en échec",
}

// fieldLabel is the French name of a contact field, or the name itself when unknown.
func fieldLabel(name string) string {
	if label, ok := contactFields[name]; ok {
		return label
	}
	return name
}
