package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
)

// auditPerPage is the length of a page of the audit log.
const auditPerPage = 50

// auditPage is a page of the audit log, newest first.
type auditPage struct {
	Entries []auditItem
	Next    string // the older entries
	First   string // back to the newest, when not on the first page
}

// auditItem is one entry as the page shows it.
type auditItem struct {
	storage.AuditEntry
	What string // "modification"
	Kind string // "citation"
	Link string // the record's page, when it has one
}

// auditActions names the audit log's actions in French.
var auditActions = map[string]string{
	"create": "création", "update": "modification", "delete": "suppression", "approve": "approbation",
	"publish": "publication", "withdraw": "retrait", "opt_out": "désinscription", "bounce": "adresse en échec",
	"import": "import", "logo": "logo", "logo_normalised": "logo normalisé", "move": "déplacement", "done": "envoi terminé",
	"cancel": "annulation", "revoke": "fermeture", "enable": "réactivation", "disable": "désactivation",
}

// recordPages are the pages of one record, by kind: "/app/contacts/" + id.
var recordPages = map[string]string{"contacts": "/app/contacts/", "lists": "/app/lists/"}

// auditLog shows the audit log to admins, newest first, a page at a time.
func (u *UI) auditLog(c *gin.Context) {
	cursor := c.Query("cursor")
	found, err := u.Store.AuditLog(storage.ListOptions{Limit: auditPerPage, Cursor: cursor})
	if err != nil {
		u.fail(c, err)
		return
	}
	p := auditPage{Entries: make([]auditItem, 0, len(found.Items))}
	for _, e := range found.Items {
		p.Entries = append(p.Entries, describeAudit(e))
	}
	if found.Next != "" {
		p.Next = "/app/audit?" + url.Values{"cursor": {found.Next}}.Encode()
	}
	if cursor != "" {
		p.First = "/app/audit"
	}
	u.render(c, http.StatusOK, "audit", page{Title: "Journal des modifications", Section: "audit", Data: p})
}

func describeAudit(e storage.AuditEntry) auditItem {
	item := auditItem{AuditEntry: e, What: e.Action, Kind: storage.KindName(e.Kind)}
	if what, ok := auditActions[e.Action]; ok {
		item.What = what
	}
	if prefix, ok := recordPages[e.Kind]; ok && e.RecordID != 0 && e.Action != "delete" {
		item.Link = prefix + strconv.FormatUint(e.RecordID, 10)
	}
	return item
}
