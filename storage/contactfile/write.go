package contactfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"portevoix/storage"
)

// exportHeader is the header WriteCSV writes; Read maps every name back.
var exportHeader = []string{
	"Prénom", "Nom", "E-mail", "Téléphone", "Média", "Type", "Régions", "Thématiques",
	"Langue", "Source", "Base légale", "Désinscrit",
}

// kindLabels are the French names of the kinds in exported files.
var kindLabels = map[string]string{
	storage.KindJournalist:   "journaliste",
	storage.KindPressOfficer: "attaché(e) de presse",
	storage.KindAgency:       "agence",
	storage.KindOther:        "autre",
}

// WriteCSV writes contacts as a CSV file that Excel in France opens as is:
// UTF-8 with BOM, ";" separators, CRLF line endings, French headers. Cells a
// spreadsheet would run as formulas get a leading apostrophe, which Read
// removes. Lists are joined with ", ". It returns w's error, if any.
func WriteCSV(w io.Writer, contacts []storage.Contact) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return fmt.Errorf("write contacts: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("write contacts: %w", err)
	}
	record := make([]string, len(exportHeader))
	for i := range contacts {
		exportRecord(record, &contacts[i])
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write contacts: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write contacts: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write contacts: %w", err)
	}
	return nil
}

// exportRecord fills record with the cells of c, in exportHeader order.
func exportRecord(record []string, c *storage.Contact) {
	kind := c.Kind
	if label, ok := kindLabels[kind]; ok {
		kind = label
	}
	optedOut := "non"
	if c.OptedOut {
		optedOut = "oui"
	}
	cells := [...]string{
		c.FirstName, c.LastName, c.Email, c.Phone, c.Organization, kind,
		strings.Join(c.Regions, ", "), strings.Join(c.Tags, ", "),
		c.Language, c.Source, c.LawfulBasis, optedOut,
	}
	for i, s := range cells {
		record[i] = protect(s)
	}
}
