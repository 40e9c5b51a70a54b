package contactfile

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"portevoix/storage"
)

// Report is an import's outcome: the store's counts plus what the file reader found.
type Report struct {
	storage.ImportReport
	Format         string   `json:"format"`
	Encoding       string   `json:"encoding"`
	IgnoredColumns []string `json:"ignored_columns"`
}

// Import reads a CSV or vCard file and upserts its contacts (nothing is written with dryRun).
// Rows the reader rejects and rows the store rejects are listed together, by line.
func Import(s *storage.Store, actor string, r io.Reader, filename string, dryRun bool) (*Report, error) {
	res, err := Read(r, filename)
	if err != nil {
		return nil, err
	}
	source := "fichier « " + filepath.Base(filename) + " » importé le " + s.Now().Format("02/01/2006")
	for i := range res.Rows {
		if res.Rows[i].Contact.Source == "" {
			res.Rows[i].Contact.Source = source // where the address came from, for the GDPR footer
		}
	}
	stored, err := s.ImportContacts(actor, res.Rows, dryRun)
	if err != nil {
		return nil, err
	}
	report := &Report{ImportReport: *stored, Format: res.Format, Encoding: res.Encoding, IgnoredColumns: res.IgnoredColumns}
	if report.IgnoredColumns == nil {
		report.IgnoredColumns = []string{}
	}
	report.Errors = append(report.Errors, res.Errors...)
	for _, d := range res.Duplicates {
		report.Skipped++
		report.Notes = append(report.Notes, storage.ImportProblem{Line: d.Line, Field: "email",
			Message: fmt.Sprintf("doublon de la ligne %d (même adresse), la ligne %d l’emporte", d.Winner, d.Winner)})
	}
	sort.SliceStable(report.Errors, func(i, j int) bool { return report.Errors[i].Line < report.Errors[j].Line })
	sort.SliceStable(report.Notes, func(i, j int) bool { return report.Notes[i].Line < report.Notes[j].Line })
	return report, nil
}
