// Package contactfile reads and writes press-contact files: CSV (as written by
// Excel, LibreOffice, Google Contacts and Outlook) and vCard (3.0 and 4.0, and
// the 2.1 Outlook still exports).
//
// Reading is pure and tolerant: every readable row becomes a Row, every broken
// one a RowError naming its physical line as Excel numbers it (the header of a
// plain file is line 1), and one broken row never stops the rest of the file.
// Decisions worth knowing:
//
//   - The format is told from the content: a file starting with BEGIN:VCARD is
//     vCard, anything else CSV. The encoding is UTF-8 (with or without BOM),
//     UTF-16 (Excel's "Texte Unicode"), or else Windows-1252, the encoding of
//     French Excel's "CSV (séparateur : point-virgule)".
//   - The header is the first line naming an email column among the first ten
//     non-blank lines, so title rows above a table are skipped. The separator
//     (";", tab or ",") is the one that makes such a header; an Excel "sep=;"
//     first line is honoured.
//   - Quoted fields may span lines. A quote left open until the end of the file
//     is reported on its line; reading resumes on the next line, and from there
//     on a quoted field may no longer span lines, which keeps reading linear.
//   - Several columns may feed one field (Outlook's "Business Phone", then
//     "Mobile Phone"): the best-known non-blank one wins. Of Google's
//     " ::: "-separated values, email, phone and organisation keep the first;
//     regions and tags take them all, and also split at "," ";" and "|".
//   - A nine-digit phone number gets back the leading 0 Excel drops from
//     French numbers; one in scientific notation ("3,36123E+10") is refused.
//   - Carriage returns, line feeds and other control characters are refused in
//     every field: names and addresses end up in mail headers.
//   - When one email address appears on several rows, the last row wins; the
//     earlier ones are listed in Result.Duplicates with the line that won.
//   - Regions are read into the vocabulary of package region ("PACA" gives
//     "Provence-Alpes-Côte d’Azur"); a row naming an unknown region is refused.
//     A file without regions gives them from a département or postal code column.
//   - In a list cell, a backslash escapes a separator: WriteCSV writes a tag
//     "santé, recherche" as "santé\, recherche", which Read gives back whole.
//   - Cells written by WriteCSV that start with = + - or @ carry a leading
//     apostrophe against formula injection; Read removes it again.
package contactfile

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"portevoix/storage"
)

// File formats reported in Result.Format.
const (
	FormatCSV   = "csv"
	FormatVCard = "vcard"
)

// Encodings reported in Result.Encoding.
const (
	EncodingUTF8        = "utf-8"
	EncodingUTF16       = "utf-16"
	EncodingWindows1252 = "windows-1252"
)

// maxErrors bounds the errors kept for one file: past it, a file is garbage and
// reading stops rather than listing a million lines.
const maxErrors = 1000

// Result is what Read found in a file.
type Result struct {
	Format   string // FormatCSV or FormatVCard
	Encoding string // EncodingUTF8, EncodingUTF16 or EncodingWindows1252
	// Rows are the valid contacts, in file order, one per email address.
	Rows []Row
	// Errors are the rows left out, with the reason, in file order.
	Errors []RowError
	// IgnoredColumns are the CSV header names that match no contact field.
	IgnoredColumns []string
	// Duplicates are the rows dropped because a later row has the same email
	// address (compared with NormalizeEmail), in line order.
	Duplicates []Duplicate
}

// Duplicate is a row left out for a later row with the same address: Winner is
// the line imported in its place.
type Duplicate struct {
	Line, Winner int
}

// Row is one valid contact and the physical line where it starts: what the store imports.
type Row = storage.ImportRow

// RowError says why the row starting at Line was left out. Field is the JSON name of the
// contact field at fault ("email", "first_name"…), empty when the row itself is malformed.
// Message is French and safe to show. It is the store's import problem, so reader and store
// errors list together.
type RowError = storage.ImportProblem

// Read parses a CSV or vCard file of press contacts. filename only serves the
// error messages. Row problems are reported in Result.Errors; the error return
// is an EINVALID *storage.Error when the file as a whole cannot be read (empty,
// a spreadsheet rather than CSV, no email column), or the reader's error.
func Read(r io.Reader, filename string) (*Result, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("read contact file %q: %w", filename, err)
	}
	if isWorkbook(data) {
		return nil, storage.Errorf(storage.EINVALID,
			"%s est un classeur Excel ou LibreOffice\u00a0: enregistrez-le au format CSV (point-virgule) ou vCard.",
			quote(filename))
	}
	text, encoding := decode(data)
	if strings.TrimSpace(text) == "" {
		return nil, storage.Errorf(storage.EINVALID, "Le fichier %s est vide.", quote(filename))
	}
	res := &Result{Encoding: encoding}
	if isVCard(text) {
		res.Format = FormatVCard
		readVCards(text, res)
		return res, nil
	}
	res.Format = FormatCSV
	if err := readCSV(text, filename, res); err != nil {
		return nil, err
	}
	return res, nil
}

// readAll reads r to the end, in one allocation when r tells its size
// (strings.Reader, bytes.Reader, multipart's io.SectionReader).
func readAll(r io.Reader) ([]byte, error) {
	var size int64
	switch s := r.(type) {
	case interface{ Len() int }:
		size = int64(s.Len())
	case interface{ Size() int64 }:
		size = s.Size()
	default:
		return io.ReadAll(r)
	}
	buf := bytes.NewBuffer(make([]byte, 0, min(max(size, 0), 1<<30)+bytes.MinRead))
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// isWorkbook recognises .xlsx/.ods (zip) and .xls (OLE2) files, which users
// upload when they forget to save as CSV.
func isWorkbook(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) ||
		bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
}

// decode turns the file into UTF-8 text without BOM and names the encoding.
func decode(data []byte) (string, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return utf8Text(data[3:]), EncodingUTF8
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		// Excel's "Texte Unicode" export: UTF-16 with a BOM.
		return utf16Text(data, unicode.LittleEndian, unicode.ExpectBOM), EncodingUTF16
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[3] == 0:
		// UTF-16 without BOM: text starting with two ASCII characters has a
		// zero byte after each, which no other encoding we accept has.
		return utf16Text(data, unicode.LittleEndian, unicode.IgnoreBOM), EncodingUTF16
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0:
		return utf16Text(data, unicode.BigEndian, unicode.IgnoreBOM), EncodingUTF16
	case utf8.Valid(data):
		return string(data), EncodingUTF8
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(data) // never fails: every byte maps
	return string(out), EncodingWindows1252
}

// utf16Text decodes UTF-16; unpaired surrogates become U+FFFD.
func utf16Text(data []byte, e unicode.Endianness, bom unicode.BOMPolicy) string {
	out, _ := unicode.UTF16(e, bom).NewDecoder().Bytes(data) // never fails: bad input is replaced
	return utf8Text(out)
}

// utf8Text returns data as a string, replacing invalid sequences so that the
// rest of the package may assume valid UTF-8.
func utf8Text(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// isVCard reports whether text starts, after blank lines, with BEGIN:VCARD.
func isVCard(text string) bool {
	t := strings.TrimLeft(text, " \t\r\n")
	return len(t) >= 11 && strings.EqualFold(t[:11], "BEGIN:VCARD")
}

// quote frames a value in French quotation marks for a message.
func quote(s string) string {
	return "«\u202f" + s + "\u202f»"
}
