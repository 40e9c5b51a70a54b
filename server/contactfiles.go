package server

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"portevoix/storage"
	"portevoix/storage/contactfile"
)

// maxImportFile bounds contact uploads: 50,000 rows of a press file fit in a few MB.
const maxImportFile = 32 << 20

func (s *Server) routeContactFiles(g *gin.RouterGroup) {
	g.POST("/contacts/import", canWrite, s.importContacts)
	g.GET("/contacts/export", canRead, s.exportContacts)
}

func (s *Server) importContacts(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxImportFile)
	file, header, err := c.Request.FormFile("file")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		fail(c, storage.Errorf(codeTooLarge, "Fichier trop volumineux (%d Mo au plus).", maxImportFile>>20))
		return
	case err != nil:
		fail(c, &storage.Error{Code: codeMalformed, Message: "Envoyez le fichier de contacts (CSV ou vCard) dans le champ «\u202ffile\u202f» d’un formulaire multipart.",
			Fields: []storage.FieldError{{Field: "file", Message: "fichier manquant"}}})
		return
	}
	defer file.Close()
	dryRun := c.Query("dry_run") == "1" || c.Query("dry_run") == "true"
	report, err := contactfile.Import(s.Store, actor(c), file, header.Filename, dryRun)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, report)
}

func (s *Server) exportContacts(c *gin.Context) {
	contacts, err := s.Store.AllContacts()
	if err != nil {
		fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := contactfile.WriteCSV(&buf, contacts); err != nil {
		fail(c, err)
		return
	}
	name := "contacts-presse-" + s.Now().Format("2006-01-02") + ".csv"
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
