package contactfile

import (
	"fmt"
	"slices"
	"strings"

	"portevoix/storage"
)

// headerSearch is how many non-blank lines may come before the header: the
// title rows people put above a table ("Fichier presse — mars 2025").
const headerSearch = 10

// readCSV reads a CSV file into res. It fails only when no header naming an
// email column is found.
func readCSV(text, filename string, res *Result) error {
	sep, hinted := separatorHint(text)
	if !hinted {
		sep = detectSeparator(text)
	}
	s := newScanner(text, sep)
	if hinted {
		s.skipLine()
	}
	width, cols, ignored, err := findHeader(s, filename)
	if err != nil {
		return err
	}
	res.IgnoredColumns = ignored
	rows := csvRows{cols: cols, width: width, res: res}
	res.Rows = make([]Row, 0, strings.Count(text[s.pos:], "\n")+1)
	rows.seen = make(map[string]int, cap(res.Rows))
	for {
		line, problem, ok := s.next()
		if !ok {
			break
		}
		if problem != "" {
			res.Errors = append(res.Errors, RowError{Line: line, Value: display(s.firstLine()), Message: problem})
		} else if !blank(s.fields) {
			rows.add(line, s.fields)
		}
		if res.tooManyErrors(line) {
			break
		}
	}
	res.dropDuplicates()
	return nil
}

// tooManyErrors reports whether reading should stop at line, and then says so
// in a last error.
func (res *Result) tooManyErrors(line int) bool {
	if len(res.Errors) < maxErrors {
		return false
	}
	res.Errors = append(res.Errors, RowError{Line: line,
		Message: fmt.Sprintf("plus de %d erreurs\u00a0: lecture arrêtée à cette ligne", maxErrors)})
	return true
}

// findHeader finds the header: the first record, among the first headerSearch
// non-blank ones, that names an email column. It returns the header's width,
// the column mapping and the ignored column names.
func findHeader(s *scanner, filename string) (int, columns, []string, error) {
	var first []string
	var problem string
	problemLine := 0
	for n := 0; n < headerSearch; {
		line, p, ok := s.next()
		if !ok {
			break
		}
		if p != "" {
			if problem == "" {
				problem, problemLine = p, line
			}
			n++
			continue
		}
		if blank(s.fields) {
			continue
		}
		n++
		if cols, ignored := mapHeader(s.fields); len(cols[fieldEmail]) > 0 {
			return len(s.fields), cols, ignored, nil
		}
		if first == nil {
			first = slices.Clone(s.fields)
		}
	}
	switch {
	case problem != "":
		return 0, columns{}, nil, storage.Errorf(storage.EINVALID,
			"Ligne d'en-tête %d illisible\u00a0: %s.", problemLine, problem)
	case first == nil:
		return 0, columns{}, nil, storage.Errorf(storage.EINVALID, "Le fichier %s est vide.", quote(filename))
	}
	return 0, columns{}, nil, storage.Errorf(storage.EINVALID,
		"Aucune colonne d'adresse e-mail dans %s (colonnes lues\u00a0: %s)\u00a0: nommez-la %s.",
		quote(filename), strings.Join(nonEmpty(first), ", "), quote("E-mail"))
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func nonEmpty(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// csvRows turns records into contacts.
type csvRows struct {
	cols  columns
	width int // number of header cells
	res   *Result
	seen  map[string]int // normalised email → index in res.Rows
	v     validator
	d     draft
}

// add validates one record and stores it as a row or as errors.
func (r *csvRows) add(line int, rec []string) {
	r.v.line, r.v.errs = line, r.res.Errors
	if extra := extraCell(rec, r.width); extra != "" {
		r.v.add("", extra, msgExtraColumns+"\u00a0: "+quote(display(extra)))
		r.res.Errors = r.v.errs
		return
	}
	r.fill(rec)
	c, ok := r.v.contact(&r.d)
	r.res.Errors = r.v.errs
	if ok {
		r.res.addRow(line, c, r.seen)
	}
}

// extraCell returns the first non-blank cell beyond the header's width.
func extraCell(rec []string, width int) string {
	for i := width; i < len(rec); i++ {
		if s := strings.TrimSpace(rec[i]); s != "" {
			return s
		}
	}
	return ""
}

// fill copies the cells of rec into the draft.
func (r *csvRows) fill(rec []string) {
	r.d = draft{
		firstName:     r.cell(rec, fieldFirstName),
		lastName:      r.cell(rec, fieldLastName),
		fullName:      r.cell(rec, fieldFullName),
		email:         r.cell(rec, fieldEmail),
		phone:         r.cell(rec, fieldPhone),
		organization:  r.cell(rec, fieldOrganization),
		kind:          r.cell(rec, fieldKind),
		regions:       r.cell(rec, fieldRegions),
		tags:          r.cell(rec, fieldTags),
		language:      r.cell(rec, fieldLanguage),
		source:        r.cell(rec, fieldSource),
		lawfulBasis:   r.cell(rec, fieldLawfulBasis),
		optedOut:      r.cell(rec, fieldOptedOut),
		bounced:       r.cell(rec, fieldBounced),
		addressRegion: r.cell(rec, fieldAddressRegion),
		postalCode:    r.cell(rec, fieldPostalCode),
		departement:   r.cell(rec, fieldDepartement),
		country:       r.cell(rec, fieldCountry),
	}
	if r.d.fullName == "" {
		r.d.fullName = r.cell(rec, fieldFullNameReversed)
		r.d.reversed = true
	}
}

// cell returns the first non-blank cell among the columns of f.
func (r *csvRows) cell(rec []string, f field) string {
	for _, i := range r.cols[f] {
		if i < len(rec) {
			if s := unprotect(strings.TrimSpace(rec[i])); s != "" {
				return s
			}
		}
	}
	return ""
}

// addRow appends a valid contact. An earlier row with the same address is
// marked for removal (line 0) and recorded as a duplicate of this one.
func (res *Result) addRow(line int, c storage.Contact, seen map[string]int) {
	key := storage.NormalizeEmail(c.Email)
	if i, dup := seen[key]; dup {
		res.Duplicates = append(res.Duplicates, Duplicate{Line: res.Rows[i].Line, Winner: line})
		res.Rows[i].Line = 0
	}
	seen[key] = len(res.Rows)
	res.Rows = append(res.Rows, Row{Line: line, Contact: c})
}

// dropDuplicates removes the rows marked by addRow and names, for each, the
// line that finally won: of lines 2, 4 and 5, line 5 wins over both.
func (res *Result) dropDuplicates() {
	if len(res.Duplicates) == 0 {
		return
	}
	res.Rows = slices.DeleteFunc(res.Rows, func(r Row) bool { return r.Line == 0 })
	beatenBy := make(map[int]int, len(res.Duplicates))
	for _, d := range res.Duplicates {
		beatenBy[d.Line] = d.Winner
	}
	for i := range res.Duplicates {
		for w, ok := beatenBy[res.Duplicates[i].Winner]; ok; w, ok = beatenBy[w] {
			res.Duplicates[i].Winner = w
		}
	}
	slices.SortFunc(res.Duplicates, func(a, b Duplicate) int { return a.Line - b.Line })
}

// isFormulaStart reports the characters that make a spreadsheet cell a formula.
func isFormulaStart(c byte) bool {
	return c == '=' || c == '+' || c == '-' || c == '@'
}

// protect prefixes an apostrophe to a cell that a spreadsheet would run as a
// formula. Cells that are already apostrophes followed by a formula character
// get one more, so that unprotect gives back exactly the original.
func protect(s string) string {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i < len(s) && isFormulaStart(s[i]) {
		return "'" + s
	}
	return s
}

// unprotect undoes protect.
func unprotect(s string) string {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i > 0 && i < len(s) && isFormulaStart(s[i]) {
		return s[1:]
	}
	return s
}
