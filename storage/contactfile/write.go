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
	"Langue", "Source", "Base légale", "Désinscrit", "Adresse en échec",
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
// removes. Lists are joined with ", ", a separator inside an item escaped
// with a backslash. The last two columns say whether the address unsubscribed
// or bounced; Read reads both back. It returns w's error, if any.
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
	cells := [...]string{
		c.FirstName, c.LastName, c.Email, c.Phone, c.Organization, kind,
		joinList(c.Regions), joinList(c.Tags),
		c.Language, c.Source, c.LawfulBasis, yesNo(c.OptedOut), yesNo(c.Bounced),
	}
	for i, s := range cells {
		record[i] = protect(s)
	}
}

// joinList joins list items with ", ", escaping the separators inside them.
func joinList(items []string) string {
	if len(items) == 1 {
		return escapeList(items[0])
	}
	n := 2 * len(items)
	for _, item := range items {
		n += len(item)
	}
	var b strings.Builder
	b.Grow(n) // one allocation when nothing needs escaping, as strings.Join
	for i, item := range items {
		if i > 0 {
			b.WriteString(", ")
		}
		if needsEscape(item) {
			writeEscaped(&b, item)
		} else {
			b.WriteString(item)
		}
	}
	return b.String()
}

func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}
